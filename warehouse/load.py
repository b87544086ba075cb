"""Load one parsed document version into the warehouse, atomically and idempotently.

The work is split by job: warehouse/prepare.py builds every row (pure), warehouse/write.py
writes a batch of prepared documents, warehouse/batch.py loads many documents a transaction.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from parsers.document import Document
from warehouse.prepare import CONTENT_STATUSES, aware, doc_id_for, prepare
from warehouse.tx import transaction
from warehouse.urls import canonical_url
from warehouse.write import PER_DOCUMENT_TABLES, SIGHTING_UPSERT, write_prepared

__all__ = ["CONTENT_STATUSES", "PER_DOCUMENT_TABLES", "aware", "doc_id_for", "load_document", "touch_source"]


def load_document(
    con: duckdb.DuckDBPyConnection,
    doc: Document,
    *,
    source_url: str,
    fetched_at: datetime | None = None,
    region: list[str] | None = None,
    parsed_at: datetime | None = None,
    run_id: str | None = None,
    source_file: str | None = None,
) -> int:
    """Load (or re-load) one document version in one transaction; return its budget_lines rows.

    Re-loading a doc_id replaces all of its rows; any failure rolls back, leaving the previous
    state (nothing, or the earlier load) untouched. `region` (from the harvest source config)
    wins over the parser's document.region. `parsed_at` is stored as given (parsed_at_iso
    keeps its exact text). Documents with status unreadable/no_text_layer/not_a_budget get
    their documents row and errors only. Must not be called inside an open transaction.
    `source_file` (the file's own name from the harvest) wins over the parser's file name,
    which for an archived PDF is its sha256 name.
    """
    prepared = prepare(doc, source_url=source_url, fetched_at=fetched_at, region=region,
                       parsed_at=parsed_at, run_id=run_id, source_file=source_file)
    with transaction(con):
        write_prepared(con, [prepared])
    return prepared.lines


def touch_source(con: duckdb.DuckDBPyConnection, url: str, doc_id: str, seen_at: datetime) -> None:
    """Widen the (url, version) sighting window to include the fetch time `seen_at`; a fetch
    time replaces a load-time stand-in."""
    con.execute(f"INSERT INTO document_sources VALUES (?, ?, ?, ?, 'fetch') {SIGHTING_UPSERT}",
                [canonical_url(url), doc_id, seen_at, seen_at])
