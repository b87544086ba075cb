"""What a run did, for the morning reader: per-source outcomes, rows, failed checks, slow
documents and time per stage. The same table goes to stdout (rich) and to a Prefect
markdown artifact."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

FETCH_FAILURES = {"not_pdf", "http_error", "too_large", "timeout", "error"}
PARSE_FAILURES = {"unreadable", "load_failed"}


@dataclass
class RunReport:
    started: datetime
    finished: datetime | None = None
    run_id: str = ""
    by_source: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    unchanged_documents: int = 0
    parsed: int = 0
    cached: int = 0
    rows_loaded: int = 0
    statuses: Counter = field(default_factory=Counter)
    checks_failed: int = 0
    checks_total: int = 0
    slowest: list[tuple[str, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def add_records(self, records: list[dict]) -> None:
        for r in records:
            self.by_source[r.get("source") or "?"][r["outcome"]] += 1
            if r["outcome"] in FETCH_FAILURES:
                self.failures.append(f"{r['url']}: {r['outcome']} {r.get('error') or ''}".strip())

    def add_parsed(self, work, parsed, loaded: dict) -> None:
        names = {w.sha256: (w.source, w.url, unquote(w.url.rstrip("/").rsplit("/", 1)[-1])) for w in work}
        for p in parsed:
            self.parsed += 0 if p.cached else 1
            self.cached += 1 if p.cached else 0
        statuses = loaded.get("statuses", {})
        for sha, status in statuses.items():
            self.statuses[status] += 1
            if status in PARSE_FAILURES:
                p = next(p for p in parsed if p.sha256 == sha)
                why = p.error or "; ".join(p.document(names[sha][1]).errors) or status
                self.failures.append(f"{names[sha][1]}: {status}: {why}")
                self.by_source[names[sha][0] or "?"]["failed"] += 1
        self.rows_loaded = loaded.get("rows", 0)
        self.slowest = sorted(((names[p.sha256][2], p.seconds) for p in parsed if not p.cached),
                              key=lambda x: -x[1])[:5]

    def add_checks(self, con, shas: list[str]) -> None:
        if not shas:
            return
        ids = [s[:16] for s in shas]
        row = con.execute(
            "SELECT count(*) FILTER (WHERE NOT passed), count(*) FROM quality_checks WHERE doc_id IN "
            f"({','.join('?' * len(ids))})", ids).fetchone()
        self.checks_failed, self.checks_total = int(row[0] or 0), int(row[1] or 0)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def counts(self) -> dict:
        totals = Counter()
        for c in self.by_source.values():
            totals.update(c)
        return {"new": totals["new"], "changed": totals["changed"], "unchanged": totals["unchanged"],
                "failed": self.failed, "parsed": self.parsed, "from_cache": self.cached,
                "up_to_date": self.unchanged_documents, "rows_loaded": self.rows_loaded,
                "checks_failed": self.checks_failed, "checks_total": self.checks_total}

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "started": self.started.isoformat(),
                "finished": self.finished.isoformat() if self.finished else None,
                "counts": self.counts(), "by_source": {k: dict(v) for k, v in self.by_source.items()},
                "statuses": dict(self.statuses), "slowest": self.slowest, "failures": self.failures,
                "stage_seconds": {k: round(v, 2) for k, v in self.stage_seconds.items()}}


def report_markdown(report: RunReport | dict) -> str:
    d = report.to_dict() if isinstance(report, RunReport) else report
    c = d["counts"]
    lines = [f"# budget-etl run {d['run_id']}", "",
             "| source | new | changed | unchanged | failed |", "|---|---:|---:|---:|---:|"]
    for src, n in sorted(d["by_source"].items()):
        bad = sum(v for k, v in n.items() if k in FETCH_FAILURES or k == "failed")
        lines.append(f"| {src} | {n.get('new', 0)} | {n.get('changed', 0)} | {n.get('unchanged', 0)} | {bad} |")
    lines += ["", f"- documents parsed: {c['parsed']} (from cache: {c['from_cache']}; already up to date: "
                  f"{c['up_to_date']})",
              f"- rows loaded: {c['rows_loaded']}",
              f"- quality checks failed: {c['checks_failed']} of {c['checks_total']}",
              "- time per stage: " + ", ".join(f"{k} {v:.1f}s" for k, v in d["stage_seconds"].items())]
    if d["slowest"]:
        lines.append("- slowest documents: " + ", ".join(f"{n} ({s:.1f}s)" for n, s in d["slowest"]))
    if d["failures"]:
        lines += ["", "## Failed", *[f"- {f}" for f in d["failures"]]]
    return "\n".join(lines) + "\n"


def print_report(d: dict, warehouse: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"run {d['run_id']}")
    for col in ("source", "new", "changed", "unchanged", "failed"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for src, n in sorted(d["by_source"].items()):
        bad = sum(v for k, v in n.items() if k in FETCH_FAILURES or k == "failed")
        table.add_row(src, *(str(n.get(k, 0)) for k in ("new", "changed", "unchanged")), str(bad))
    console.print(table)
    c = d["counts"]
    console.print(f"documents new {c['new']} / changed {c['changed']} / unchanged {c['unchanged']} / "
                  f"failed {c['failed']}; parsed {c['parsed']} (cache {c['from_cache']}), "
                  f"rows loaded {c['rows_loaded']}, checks failed {c['checks_failed']}/{c['checks_total']}")
    console.print("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in d["stage_seconds"].items()))
    if d["slowest"]:
        console.print("slowest: " + ", ".join(f"{n} {s:.1f}s" for n, s in d["slowest"]))
    for f in d["failures"]:
        console.print(f"[red]failed[/red] {f}")
    console.print(f"warehouse: {warehouse}")
