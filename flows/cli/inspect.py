"""`budget-etl inspect DIR`: how the parser does on a folder of PDFs, one line per file.

Status, tables found by kind, coded rows, identity checks passed/failed, disclosure score
(warehouse/disclosure_score.py: missing tables, narrative figures that disagree), seconds;
then a total line. Used to measure the parser on a corpus (see README, "Measured").
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SHORT = {"income_expenditure_summary": "收支", "revenue_summary": "收入", "expenditure_by_function": "支出",
         "fiscal_appropriation_summary": "财拨", "gpb_expenditure_by_function": "一般", "gpb_basic_by_econ": "基本",
         "gpb_projects": "项目", "gov_fund_expenditure": "基金", "soe_capital_expenditure": "国资",
         "three_public": "三公", "carryover": "结转", "gpb_basic_by_function": "基本(功能)",
         "gpb_expenditure_by_econ": "一般(经济)", "fiscal_expenditure_by_function": "财拨支出",
         "fiscal_basic_by_econ": "财拨基本", "basic_by_econ": "基本总", "project_summary": "项目总",
         "operating_costs": "运行经费", "procurement": "采购", "purchase_of_services": "购买服务",
         "performance_targets": "绩效", "expenditure_by_econ": "支出(经济)", "fiscal_expenditure_by_econ": "财拨(经济)"}


def summarise(path: str) -> dict:
    from parsers.parse import parse_pdf
    from warehouse.disclosure_score import document_score

    t0 = time.perf_counter()
    doc = parse_pdf(path)
    kinds = Counter(t.kind for t in doc.tables if not t.empty)
    return {"file": Path(path).name, "status": doc.status, "kinds": dict(kinds),
            "rows": sum(len(t.rows) for t in doc.tables),
            "verification": dict(Counter(t.verification for t in doc.tables if t.verification)),
            "checks_ok": sum(c.passed for c in doc.checks), "checks": len(doc.checks),
            "disclosure": document_score(doc) if doc.status in ("parsed", "partial") else None,
            "seconds": time.perf_counter() - t0, "errors": doc.errors[:2],
            "failed_checks": [f"{c.table} {c.rule} {c.detail}" for c in doc.checks if not c.passed][:3]}


def verification_cell(v: dict[str, int]) -> str:
    """"9/11 2✗": tables verified against their pages' text, of those checked; mismatches."""
    n = sum(v.values())
    if not n:
        return "-"
    bad = v.get("mismatch", 0)
    return f"{v.get('verified', 0)}/{n}" + (f" {bad}✗" if bad else "")


def disclosure_cell(d: dict | None) -> str:
    """"92.7 −0t 1≠": score, missing tables, narrative figures that disagree with the tables."""
    if not d or d.get("score") is None:
        return "-"
    return f"{d['score']:.1f} −{d['tables_missing']}t {d['inconsistencies']}≠"


def inspect_dir(directory: Path, workers: int = 1) -> int:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    files = sorted(str(p) for p in Path(directory).rglob("*.pdf"))
    console = Console(width=max(150, shutil.get_terminal_size().columns))
    if not files:
        console.print(f"no PDFs under {directory}")
        return 1
    results = []
    t0 = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task("parsing", total=len(files))
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                for r in pool.map(summarise, files):
                    results.append(r)
                    progress.advance(bar)
        else:
            for f in files:
                results.append(summarise(f))
                progress.advance(bar)
    table = Table(show_lines=False)
    for col in ("file", "status", "tables by kind", "rows", "verified", "checks", "disclosure", "s"):
        table.add_column(col, justify="right" if col in ("rows", "verified", "checks", "disclosure", "s") else "left",
                         overflow="fold")
    statuses = Counter()
    for r in results:
        statuses[r["status"]] += 1
        kinds = " ".join(f"{SHORT.get(k, k)}{'×' + str(n) if n > 1 else ''}" for k, n in sorted(r["kinds"].items()))
        table.add_row(r["file"], r["status"], kinds, str(r["rows"]), verification_cell(r["verification"]),
                      f"{r['checks_ok']}/{r['checks']}",
                      disclosure_cell(r.get("disclosure")), f"{r['seconds']:.1f}")
    console.print(table)
    ok = sum(r["checks_ok"] for r in results)
    total = sum(r["checks"] for r in results)
    tables = Counter()
    for r in results:
        tables.update(r["verification"])
    console.print("tables checked against their pages' text: "
                  + ", ".join(f"{k} {tables[k]}" for k in ("verified", "mismatch", "unverifiable")))
    console.print(f"total: {len(results)} files ({', '.join(f'{k} {v}' for k, v in statuses.most_common())}), "
                  f"{sum(r['rows'] for r in results)} rows, checks {ok}/{total} passed "
                  f"({ok / max(total, 1):.2%}), parse {sum(r['seconds'] for r in results):.1f}s "
                  f"(wall {time.perf_counter() - t0:.1f}s)")
    for r in results:
        for e in r["errors"]:
            console.print(f"[yellow]{r['file']}[/yellow]: {e}")
    return 0
