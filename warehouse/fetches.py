"""The harvest manifest: every URL seen per run (table fetches), and what the next run needs
to make conditional requests (prior_fetches)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb

from warehouse.insert import insert_rows
from warehouse.load import aware
from warehouse.tx import transaction
from warehouse.urls import canonical_url
from warehouse.write import SIGHTING_UPSERT

OUTCOMES = ("new", "unchanged", "changed", "not_pdf", "http_error", "too_large", "timeout", "error")
SUCCESS = ("new", "unchanged", "changed")  # a PDF was obtained (or confirmed unchanged)
FIELDS = ("source", "url", "article_url", "article_title", "link_text", "fetched_at", "http_status",
          "sha256", "bytes", "content_type", "etag", "last_modified", "outcome", "error", "file_name")


def _get(record: object, name: str) -> Any:
    if isinstance(record, Mapping):
        return record.get(name)
    return getattr(record, name, None)


def _timestamp(x: object) -> datetime | None:
    if isinstance(x, str) and x:
        x = datetime.fromisoformat(x)
    return aware(x) if isinstance(x, datetime) else None


def record_fetches(con: duckdb.DuckDBPyConnection, run_id: str, records: Iterable[object]) -> int:
    """Store one row per (run, URL) from harvest records (dataclass instances or dicts); return
    how many. Re-recording a URL in the same run replaces its row. A successful fetch also
    records that the URL delivered that version (document_sources), which decides which
    version is the latest even when the file was not re-parsed. An 'unchanged' fetch without
    sha256/etag/last_modified (a bare 304) inherits them from the URL's previous success.
    """
    rows = [{f: _get(r, f) for f in FIELDS} for r in records]
    for row in rows:
        if not row["url"]:
            raise ValueError(f"fetch record without url: {row}")
        if row["outcome"] not in OUTCOMES:
            raise ValueError(f"unknown fetch outcome {row['outcome']!r} for {row['url']}; expected one of {OUTCOMES}")
    prior = prior_fetches(con) if any(r["outcome"] == "unchanged" for r in rows) else {}
    now = datetime.now(UTC)
    last: dict[str, dict[str, Any]] = {}  # one statement per table, not per URL (a no-change night)
    sightings: dict[tuple[str, str], tuple[datetime, datetime]] = {}
    for seq, row in enumerate(rows):
        row["fetched_at"] = _timestamp(row["fetched_at"]) or now
        if row["outcome"] == "unchanged":
            for key, value in prior.get(row["url"], {}).items():
                row[key] = row[key] or value
        last.pop(row["url"], None)  # a URL recorded twice: the later record replaces the row
        last[row["url"]] = {"run_id": run_id, "seq": seq, **row}
        if row["outcome"] in SUCCESS and row["sha256"]:
            key = (canonical_url(row["url"]), str(row["sha256"]).lower()[:16])
            t = row["fetched_at"]
            first, latest = sightings.get(key, (t, t))
            sightings[key] = (min(first, t), max(latest, t))
    updates = ", ".join(f"{c} = excluded.{c}" for c in ("seq", *FIELDS) if c != "url")
    with transaction(con):
        insert_rows(con, "fetches", list(last.values()), suffix=f"ON CONFLICT (run_id, url) DO UPDATE SET {updates}")
        insert_rows(con, "document_sources", [
            {"url": url, "doc_id": doc_id, "first_seen_at": first, "last_seen_at": latest, "seen_from": "fetch"}
            for (url, doc_id), (first, latest) in sightings.items()], suffix=SIGHTING_UPSERT)
    return len(rows)


def prior_fetches(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """{url: {etag, last_modified, sha256}} of the last successful fetch of each URL."""
    rows = con.execute(
        f"""
        SELECT url, etag, last_modified, sha256 FROM fetches
        WHERE outcome IN {SUCCESS}
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, run_id DESC) = 1
        """
    ).fetchall()
    return {url: {"etag": etag, "last_modified": lm, "sha256": sha} for url, etag, lm, sha in rows}


def file_name_for(con: duckdb.DuckDBPyConnection, url: str, sha256: str) -> str | None:
    """The name the file had when `url` delivered it (its newest fetch), else the URL's last
    segment: what documents.source_file shows instead of the archive's sha256 name."""
    row = con.execute(
        "SELECT file_name FROM fetches WHERE url = ? AND lower(sha256) = lower(?) AND file_name IS NOT NULL "
        "ORDER BY fetched_at DESC LIMIT 1", [url, sha256]).fetchone()
    if row:
        return str(row[0])
    return _last_segment(url)


def file_names_for(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]) -> list[str | None]:
    """file_name_for of many (url, sha256) pairs in one query (a load batch asks for all of its files)."""
    if not pairs:
        return []
    rows = con.execute(
        "SELECT url, lower(sha256), file_name FROM fetches WHERE file_name IS NOT NULL "
        "AND url IN (SELECT unnest(?::VARCHAR[])) "
        "QUALIFY row_number() OVER (PARTITION BY url, lower(sha256) ORDER BY fetched_at DESC) = 1",
        [sorted({u for u, _ in pairs})]).fetchall()
    known = {(url, sha): str(name) for url, sha, name in rows}
    return [known.get((url, sha.lower())) or _last_segment(url) for url, sha in pairs]


def _last_segment(url: str) -> str | None:
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or None
