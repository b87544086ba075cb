"""The harvest manifest: every URL seen per run (table fetches), and what the next run needs
to make conditional requests (prior_fetches)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb

from warehouse.load import aware, touch_source
from warehouse.tx import transaction

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
    prior = prior_fetches(con)
    now = datetime.now(UTC)
    with transaction(con):
        for seq, row in enumerate(rows):
            row["fetched_at"] = _timestamp(row["fetched_at"]) or now
            if row["outcome"] == "unchanged":
                for key, value in prior.get(row["url"], {}).items():
                    row[key] = row[key] or value
            cols = ["run_id", "seq", *FIELDS]
            values = [run_id, seq, *(row[f] for f in FIELDS)]
            con.execute(
                f"INSERT OR REPLACE INTO fetches ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})", values
            )
            if row["outcome"] in SUCCESS and row["sha256"]:
                touch_source(con, row["url"], str(row["sha256"]).lower()[:16], row["fetched_at"])
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
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or None
