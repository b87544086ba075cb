"""Write prepared documents inside the caller's transaction, a batch at a time.

Every statement costs about a millisecond whatever it carries, so the cost of a load is the
number of statements: here it is a constant per batch (one existence query, a DELETE per
table only for documents already loaded, three unit queries and three unit writes, one
upsert of the documents rows, two of their sources and one Arrow INSERT per fact table),
not per document or per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from warehouse.columns import merged
from warehouse.disclosure import TABLES as DISCLOSURE_TABLES
from warehouse.insert import insert_rows
from warehouse.prepare import Prepared
from warehouse.unitbook import UnitBook

# Every table holding rows of one document version; a re-load deletes from all of them first.
PER_DOCUMENT_TABLES = (
    "doc_tables", "line_amounts", "table_totals", "summary_items", "quality_checks", "parse_errors",
    "three_public_amounts", "staffing_counts", "procurement", "assets", "operating_costs",
    "yoy_statements", "performance_targets", "subordinate_units", *DISCLOSURE_TABLES,
)
_KEEP_ON_RELOAD = {"doc_id", "source_url", "first_loaded_at", "fetched_at"}


def write_prepared(con: duckdb.DuckDBPyConnection, batch: Sequence[Prepared]) -> None:
    """Write a batch of distinct document versions (the caller holds the transaction).

    Re-loading a doc_id replaces all of its rows; the documents row keeps its first URL, first
    load time and earliest fetch time."""
    ids = [p.doc_id for p in batch]
    if len(set(ids)) != len(ids):
        raise ValueError("write_prepared: a batch must not hold one doc_id twice")
    known = [r[0] for r in con.execute(
        "SELECT doc_id FROM document_versions WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()]
    if known:  # a new document has no rows to delete
        for table in PER_DOCUMENT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [known])
    _resolve_units(con, batch)
    _upsert_versions(con, [p.version for p in batch])
    _upsert_sources(con, batch)
    tables: dict[str, list[Any]] = {}
    for p in batch:
        for table, rows in p.records.items():
            tables.setdefault(table, []).append(rows)
    for table, parts in tables.items():
        insert_rows(con, table, merged(parts))


def _resolve_units(con: duckdb.DuckDBPyConnection, batch: Sequence[Prepared]) -> None:
    """Documents in order, each its own unit first and then its subordinates, as one at a time."""
    requests = [p.unit for p in batch if p.unit] + [(n, r) for p in batch for n, _, r in p.subordinates]
    if not requests:
        return
    book = UnitBook.fetch(con, requests)
    for p in batch:
        if p.unit is None:
            continue
        p.version["unit_id"] = book.resolve(*p.unit)
        p.records["subordinate_units"] = [
            {"doc_id": p.doc_id, "name": name, "unit_id": book.resolve(name, region), "source": source}
            for name, source, region in p.subordinates
        ]
    book.flush(con)


def _upsert_versions(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    cols = list(rows[0])
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in _KEEP_ON_RELOAD)
    insert_rows(con, "document_versions", rows,
                suffix=f"ON CONFLICT (doc_id) DO UPDATE SET {updates}, "
                       "fetched_at = least(document_versions.fetched_at, excluded.fetched_at)")


def _upsert_sources(con: duckdb.DuckDBPyConnection, batch: Sequence[Prepared]) -> None:
    """Record that each URL delivered its version. Without a fetch time the load time stands
    in, and a known pairing is left alone, so re-loading an old version never makes it look
    newer than its successor."""
    loaded = [{"url": p.source_url, "doc_id": p.doc_id, "first_seen_at": p.version["loaded_at"],
               "last_seen_at": p.version["loaded_at"], "seen_from": "load"} for p in batch if p.fetched_at is None]
    fetched = [{"url": p.source_url, "doc_id": p.doc_id, "first_seen_at": p.fetched_at,
                "last_seen_at": p.fetched_at, "seen_from": "fetch"} for p in batch if p.fetched_at is not None]
    if loaded:
        insert_rows(con, "document_sources", loaded, suffix="ON CONFLICT DO NOTHING")
    if fetched:
        insert_rows(con, "document_sources", fetched, suffix=SIGHTING_UPSERT)


# A fetch time widens the (url, version) sighting window; it replaces a load-time stand-in.
SIGHTING_UPSERT = (
    "ON CONFLICT (url, doc_id) DO UPDATE SET "
    "first_seen_at = CASE WHEN document_sources.seen_from = 'load' THEN excluded.first_seen_at "
    "ELSE least(document_sources.first_seen_at, excluded.first_seen_at) END, "
    "last_seen_at = CASE WHEN document_sources.seen_from = 'load' THEN excluded.last_seen_at "
    "ELSE greatest(document_sources.last_seen_at, excluded.last_seen_at) END, "
    "seen_from = 'fetch'"
)
