"""The index (coverage, failed checks, unverified tables, every unit) and the quality page."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from report import charts
from report.model import Evidence, Page
from report.pages_unit import KIND_NAMES, unit_path

_DETAIL = re.compile(r"^\s*(?P<code>\d{3,7})?\s*(?P<name>[^\[]*?)\s*(?:\[(?P<measure>[^\]]+)\])?\s*$")
_QUOTED = re.compile(r"'(?P<line>[^']+)'")
_ROW = re.compile(r"\brow (?P<code>\d{3,7})\b")
_LEAD = re.compile(r"^\s*(?P<code>\d{3,7})?\s*(?P<name>[^\d,.%-]*)(?P<amount>[\d,]+\.\d+)?")
_TITLE = re.compile(r"\((?P<title>[^()]+)\)\s*$")


def row_terms(detail: str | None, table_name: str | None = None) -> tuple[str, ...]:
    """What to look for on the page to box a check's row, best first.

    Arithmetic checks name the row ("20103 政府办公厅（室）及相关机构事务 [total]", "合计 [basic]");
    text-layer checks quote the printed line ("page 3: '201 一般公共服务支出 33,586.67 …': row 201: …");
    table-level checks name only the table, whose title line is boxed then."""
    text = detail or ""
    terms: list[str] = []
    if m := _ROW.search(text):
        terms.append(m["code"])
    if q := _QUOTED.search(text):
        lead = _LEAD.match(q["line"])
        if lead:
            terms += [lead["code"] or "", (lead["name"] or "").strip()[:12], lead["amount"] or ""]
    elif m := _DETAIL.match(text):
        terms += [m["code"] or "", (m["name"] or "").strip()[:12]]
    if t := _TITLE.search(table_name or ""):
        terms.append(t["title"])
    return tuple(dict.fromkeys(t for t in terms if t))


def latest_by_unit(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each unit's newest year (a budget before a 决算 of the same year)."""
    best: dict[str, dict[str, Any]] = {}
    for s in summaries:
        cur = best.get(s["unit_id"])
        if cur is None or (s["year"], s["kind"] == "budget") > (cur["year"], cur["kind"] == "budget"):
            best[s["unit_id"]] = s
    return sorted(best.values(), key=lambda s: (s["region"], s["unit"]))


def index_page(docs: list[dict[str, Any]], summaries: list[dict[str, Any]], failed: list[dict[str, Any]],
               unverified: list[dict[str, Any]], has_verification: bool, check_counts: dict[str, dict]) -> Page:
    page = Page("index.html", "index.html", "预决算公开报告", {})
    cov = Counter((d["region"], d["year"], d["kind"], d["status"]) for d in docs)
    coverage = [{"region": r, "year": y, "kind_name": KIND_NAMES.get(k or "", k or ""), "status": s, "n": n}
                for (r, y, k, s), n in sorted(cov.items(), key=lambda kv: tuple(str(x) for x in kv[0]))]
    by_region = Counter((d["region"], d["status"]) for d in docs)
    chart = charts.coverage_chart([{"region": r, "status": s, "n": n} for (r, s), n in sorted(by_region.items())])
    page.charts = [chart] if chart else []
    failed_docs = Counter(f["doc_id"] for f in failed)
    doc_rows = [dict(d, failed=failed_docs.get(d["doc_id"], 0),
                     checks=check_counts.get(d["doc_id"], {}).get("checks", 0),
                     kind_name=KIND_NAMES.get(d["kind"] or "", d["kind"] or ""),
                     href=unit_path(d["unit_id"]) if d["unit_id"] else None)
                for d in docs]
    units = [dict(s, href=unit_path(s["unit_id"]), kind_name=KIND_NAMES.get(s["kind"], s["kind"]))
             for s in latest_by_unit(summaries)]
    page.context = {"coverage": coverage, "chart": chart and chart.id, "documents": doc_rows, "units": units,
                    "n_failed": len(failed), "n_unverified": len(unverified), "has_verification": has_verification,
                    "n_docs": len(docs), "n_units": len(units),
                    "statuses": sorted(Counter(d["status"] for d in docs).items())}
    return page


def quality_page(failed: list[dict[str, Any]], unverified: list[dict[str, Any]], has_verification: bool,
                 ev: Evidence, units: set[str]) -> Page:
    """Every failed check and every unverified table, with its page image and the row boxed."""
    page = Page("quality.html", "quality.html", "质量检查", {})
    checks = []
    for f in failed:
        diff = None if f["expected"] is None or f["actual"] is None else f["actual"] - f["expected"]
        checks.append(dict(f, diff=diff, kind_name=KIND_NAMES.get(f["kind"] or "", f["kind"] or ""),
                           image=ev.image(page, f["doc_id"], f["page"], row_terms(f["detail"], f["table_name"])),
                           href=unit_path(f["unit_id"]) if f["unit_id"] in units else None))
    tables = [dict(u, image=ev.image(page, u["doc_id"], u["page"], (u.get("title") or "",)),
                   href=unit_path(u["unit_id"]) if u["unit_id"] in units else None) for u in unverified]
    page.context = {"checks": checks, "tables": tables, "has_verification": has_verification}
    return page
