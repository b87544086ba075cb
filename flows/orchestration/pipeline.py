"""The pipeline's stages as plain functions: harvest → plan → parse (cached) → load.

The Prefect flows in flows/orchestration/ only orchestrate these; keeping the work here makes
each stage testable without a Prefect server, and lets `budget-etl parse` stay Prefect-free.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flows.config import Config, SourceConfig
from parsers.document import PARSER_VERSION, Document

if TYPE_CHECKING:
    import duckdb


@dataclass
class WorkItem:
    """One archived PDF version that still has to be parsed and/or loaded."""

    sha256: str
    path: str
    url: str
    source: str
    fetched_at: datetime | None = None
    hint: str = ""  # link text + article title: metadata fallback when the PDF does not say
    region: list[str] = field(default_factory=list)
    cache: str = ""  # where the parse result is cached (keyed by sha256 and parser version)


@dataclass
class Parsed:
    """What a parse task hands back: where the document JSON is, not the JSON itself, so it
    stays small across processes and as a flow parameter."""

    sha256: str
    cache: str
    parsed_at: str
    seconds: float
    cached: bool
    status: str = ""
    error: str | None = None  # the parse itself crashed (no cache written)

    def document(self, path: str) -> Document:
        if self.error:
            from parsers.document import Source

            return Document(source=Source(file=Path(path).name, sha256=self.sha256), status="unreadable",
                            errors=[f"{Path(path).name}: the parser crashed ({self.error})"])
        data = json.loads(Path(self.cache).read_text(encoding="utf-8"))
        return Document.model_validate(data["document"])


def cache_path(cfg: Config, sha256: str) -> Path:
    """Parse results are cached by (sha256, parser version): bumping the version re-parses."""
    return cfg.parsed_dir / f"{sha256}.{PARSER_VERSION}.json"


def cached(sha256: str, cache_file: str) -> Parsed | None:
    """The cached parse of this (sha256, parser version), or None: an unchanged document is
    never parsed twice. A cache file that does not read back (it cannot be half-written: the
    writes are atomic, but a disk can fail) counts as absent and is parsed again."""
    cache = Path(cache_file)
    if not cache.exists():
        return None
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        return Parsed(sha256, cache_file, data["parsed_at"], 0.0, True, data["document"].get("status", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clean_stale_temp_files(cfg: Config) -> int:
    """Delete cache temp files left by a killed run (call only while holding the run lock)."""
    n = 0
    if cfg.parsed_dir.is_dir():
        for p in cfg.parsed_dir.glob("*.tmp"):
            p.unlink(missing_ok=True)
            n += 1
    return n


def close_interrupted_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Runs still 'running' in the warehouse were killed (the caller holds the run lock, so
    none is alive): mark them 'interrupted' so run_summary does not show them as running."""
    ids = [r[0] for r in con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchall()]
    for run_id in ids:
        con.execute("UPDATE runs SET status = 'interrupted' WHERE run_id = ?", [run_id])
    return ids


def plan(con, cfg: Config, sources: list[SourceConfig]) -> tuple[list[WorkItem], int]:
    """PDFs seen by any run whose current parser version is not in the warehouse yet.

    Reading the plan from the fetches manifest (not from this run's records) is what makes a
    killed run recoverable: whatever was archived but not loaded is picked up next time.
    Returns the work and how many archived versions are already up to date (batched, no task each).
    """
    regions = {s.url: list(s.region) for s in sources}
    rows = con.execute(
        """
        WITH seen AS (
            SELECT sha256, url, source, fetched_at, link_text, article_title,
                   row_number() OVER (PARTITION BY sha256 ORDER BY fetched_at) AS n
            FROM fetches WHERE sha256 IS NOT NULL AND outcome IN ('new', 'changed', 'unchanged')
        )
        SELECT s.sha256, s.url, s.source, s.fetched_at, s.link_text, s.article_title,
               (v.doc_id IS NOT NULL) AS up_to_date
        FROM seen s
        LEFT JOIN document_versions v ON v.doc_id = substr(s.sha256, 1, 16) AND v.parser_version = ?
        WHERE s.n = 1
        ORDER BY s.fetched_at, s.url
        """,
        [PARSER_VERSION],
    ).fetchall()
    work, current = [], 0
    for sha, url, source, fetched_at, link_text, title, up_to_date in rows:
        if up_to_date:
            current += 1
            continue
        path = cfg.raw_dir / f"{sha}.pdf"
        if not path.exists():
            continue  # archived elsewhere by an older layout; the next fetch re-archives it
        hint = " ".join(x for x in (link_text, title) if x)
        work.append(WorkItem(sha, str(path), url, source or "", fetched_at, hint, regions.get(source or "", []),
                             str(cache_path(cfg, sha))))
    return work, current


def apply_hint(doc: Document, hint: str) -> None:
    """Link text and article title fill what the PDF itself did not say (year, kind, scope)."""
    if not hint:
        return
    from flows.harvest import guess_meta

    guess = guess_meta(hint)
    meta = doc.document
    if meta.year is None and guess.get("year"):
        meta.year = guess["year"]
    if meta.kind is None and guess.get("kind"):
        meta.kind = guess["kind"]
    if meta.scope is None and guess.get("scope"):
        meta.scope = guess["scope"]
