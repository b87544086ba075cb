"""What a run did, for the morning reader: per-source outcomes, rows, failed checks, slow
documents and time per stage. The same table goes to stdout (rich) and to a Prefect
markdown artifact, both built from RunReport.to_dict() so they cannot disagree."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote

FETCH_FAILURES = {"not_pdf", "http_error", "too_large", "timeout", "error"}
ARCHIVED = {"new", "changed", "unchanged"}
PARSE_FAILURES = {"unreadable", "load_failed", "parse_crashed"}
COLUMNS = ("new", "changed", "unchanged", "failed")


def _file_name(url: str) -> str:
    return unquote(url.rstrip("/").rsplit("/", 1)[-1])


@dataclass
class RunReport:
    started: datetime
    finished: datetime | None = None
    run_id: str = ""
    stages: list[str] = field(default_factory=lambda: ["harvest", "parse", "load"])
    names: dict[str, str] = field(default_factory=dict)  # configured source url -> its name
    by_source: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    unchanged_documents: int = 0
    parsed: int = 0
    cached: int = 0
    loaded: int = 0
    pending: int = 0  # planned but not parsed yet (a load-only run)
    rows_loaded: int = 0
    statuses: Counter = field(default_factory=Counter)
    checks_failed: int = 0
    tables_verification: dict[str, int] = field(default_factory=dict)  # verified / mismatch / unverifiable
    checks_total: int = 0
    slowest: list[tuple[str, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    archived: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # sha256 -> (url, source)
    worked: set[str] = field(default_factory=set)  # sha256 this run parsed or loaded

    def source_name(self, source: str | None) -> str:
        return self.names.get(source or "") or source or "?"

    def add_records(self, records: list[dict]) -> None:
        """Harvest outcomes per source; a URL that could not be fetched is a failed document."""
        for r in records:
            counter = self.by_source[self.source_name(r.get("source"))]
            if r["outcome"] in FETCH_FAILURES:
                counter["failed"] += 1
                self.failures.append(f"{r['url']}: {r['outcome']} {r.get('error') or ''}".strip())
            else:
                counter[r["outcome"]] += 1
            if r["outcome"] in ARCHIVED and r.get("sha256"):
                self.archived.setdefault(str(r["sha256"]).lower(), (r["url"], r.get("source")))

    def add_parsed(self, work: list, parsed: list, loaded: dict | None) -> None:
        """Parse and load results; a document that failed to parse or load is counted failed.
        `loaded` is None when the run did not load (parse stage alone): parse statuses count."""
        items = {w.sha256: w for w in work}
        by_sha = {p.sha256: p for p in parsed}
        self.worked |= set(items)
        self.parsed = sum(1 for p in parsed if not p.cached and not p.error)
        self.cached = sum(1 for p in parsed if p.cached)
        self.pending = sum(1 for w in work if w.sha256 not in by_sha)
        if loaded is None:
            loaded = {"rows": 0, "statuses": {}}
            statuses = {p.sha256: p.status for p in parsed if not p.error and not p.cached}
        else:
            statuses = dict(loaded.get("statuses", {}))
        for p in parsed:
            if p.error:
                statuses[p.sha256] = "parse_crashed"
        for sha, status in statuses.items():
            self.statuses[status] += 1
            if status in PARSE_FAILURES:
                item = items[sha]
                p = by_sha.get(sha)
                why = loaded.get("errors", {}).get(sha) or (p.error if p else None)
                if not why and p is not None:
                    why = "; ".join(p.document(item.path).errors)
                self.failures.append(f"{item.url}: {status}: {why or status}")
                self.by_source[self.source_name(item.source)]["failed"] += 1
        self.loaded = sum(1 for s in loaded.get("statuses", {}).values() if s != "load_failed")
        self.rows_loaded = loaded.get("rows", 0)
        self.slowest = sorted(((_file_name(items[p.sha256].url), p.seconds) for p in parsed
                               if not p.cached and not p.error), key=lambda x: -x[1])[:5]

    def add_still_failing(self, con: Any) -> None:
        """Documents this run's harvest delivered again that were loaded earlier as failed
        (unreadable): settled as up to date, they would otherwise drop out of every report after
        the first, and the run would exit 0 with a broken document in the warehouse."""
        todo = {sha[:16]: (url, src) for sha, (url, src) in self.archived.items() if sha not in self.worked}
        if not todo:
            return
        rows = con.execute(
            "SELECT doc_id, status, errors, first_loaded_at FROM documents WHERE is_latest AND status IN "
            f"({','.join('?' * len(PARSE_FAILURES))}) AND doc_id IN ({','.join('?' * len(todo))}) ORDER BY doc_id",
            [*sorted(PARSE_FAILURES), *todo]).fetchall()
        for doc_id, status, errors, first in rows:
            url, source = todo[doc_id]
            since = f", first loaded {first:%Y-%m-%d}" if first else ""
            why = "; ".join(errors or []) or status
            self.failures.append(f"{url}: {status} (still failing{since}): {why}")
            self.by_source[self.source_name(source)]["failed"] += 1

    def add_checks(self, con: Any, shas: list[str]) -> None:
        """Quality checks of the documents loaded by this run (not of the whole warehouse)."""
        if not shas:
            return
        ids = [s[:16] for s in shas]
        row = con.execute(
            "SELECT count(*) FILTER (WHERE NOT passed), count(*) FROM quality_checks WHERE doc_id IN "
            f"({','.join('?' * len(ids))})", ids).fetchone()
        self.checks_failed, self.checks_total = int(row[0] or 0), int(row[1] or 0)
        rows = con.execute(
            "SELECT verification, count(*) FROM doc_tables WHERE verification IS NOT NULL AND doc_id IN "
            f"({','.join('?' * len(ids))}) GROUP BY ALL", ids).fetchall()
        self.tables_verification = {str(k): int(n) for k, n in rows}

    @property
    def failed(self) -> int:
        return len(self.failures)

    def counts(self) -> dict:
        totals: Counter = Counter()
        for c in self.by_source.values():
            totals.update(c)
        return {"new": totals["new"], "changed": totals["changed"], "unchanged": totals["unchanged"],
                "failed": self.failed, "parsed": self.parsed, "from_cache": self.cached,
                "up_to_date": self.unchanged_documents, "loaded": self.loaded, "pending": self.pending,
                "rows_loaded": self.rows_loaded, "checks_failed": self.checks_failed,
                "checks_total": self.checks_total,
                **{f"tables_{k}": self.tables_verification.get(k, 0) for k in ("verified", "mismatch", "unverifiable")}}

    def summary(self) -> str:
        """One line for the flow run's final state message."""
        c = self.counts()
        return (f"{c['failed']} failed; {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged; "
                f"{c['parsed']} parsed, {c['loaded']} loaded ({c['rows_loaded']} rows)")

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "started": self.started.isoformat(),
                "finished": self.finished.isoformat() if self.finished else None, "stages": list(self.stages),
                "counts": self.counts(), "by_source": {k: dict(v) for k, v in self.by_source.items()},
                "statuses": dict(self.statuses), "slowest": self.slowest, "failures": self.failures,
                "stage_seconds": {k: round(v, 2) for k, v in self.stage_seconds.items()}}


def source_rows(d: dict) -> list[tuple[str, int, int, int, int]]:
    """(source, new, changed, unchanged, failed) per source, sorted by name."""
    return [(src, *(int(n.get(k, 0)) for k in COLUMNS)) for src, n in sorted(d["by_source"].items())]


def detail_lines(d: dict) -> list[str]:
    c = d["counts"]
    lines = [f"documents parsed: {c['parsed']} (from cache: {c['from_cache']}; already up to date: "
             f"{c['up_to_date']}); loaded: {c['loaded']}" + (f"; not parsed yet: {c['pending']}" if c["pending"]
                                                             else ""),
             f"rows loaded: {c['rows_loaded']}",
             f"quality checks failed: {c['checks_failed']} of {c['checks_total']}",
             f"tables checked against their pages' text: {c.get('tables_verified', 0)} verified, "
             f"{c.get('tables_mismatch', 0)} mismatch, {c.get('tables_unverifiable', 0)} unverifiable",
             "time per stage: " + ", ".join(f"{k} {v:.1f}s" for k, v in d["stage_seconds"].items())]
    if d["slowest"]:
        lines.append("slowest documents: " + ", ".join(f"{n} ({s:.1f}s)" for n, s in d["slowest"]))
    return lines


def report_markdown(report: RunReport | dict) -> str:
    d = report.to_dict() if isinstance(report, RunReport) else report
    lines = [f"# budget-etl run {d['run_id']}", "",
             "| source | new | changed | unchanged | failed |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {src} | {new} | {changed} | {unchanged} | {failed} |"
              for src, new, changed, unchanged, failed in source_rows(d)]
    lines += ["", *(f"- {x}" for x in detail_lines(d))]
    if d["failures"]:
        lines += ["", "## Failed", *[f"- {f}" for f in d["failures"]]]
    return "\n".join(lines) + "\n"
