"""Load one parsed document version into the warehouse, atomically and idempotently."""

from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

import duckdb

from parsers.document import Document
from parsers.meta import canonical_unit, consolidation
from parsers.normalise.names import clean_region, normalise_name
from warehouse.disclosure import TABLES as DISCLOSURE_TABLES
from warehouse.disclosure import disclosure_records
from warehouse.facts import fact_records, subordinate_names
from warehouse.insert import IN_BATCH, insert_rows
from warehouse.records import Records, check_records, table_records
from warehouse.regions import region_of
from warehouse.tx import first_row, transaction
from warehouse.units import resolve_unit, unit_region
from warehouse.urls import canonical_url

# Every table holding rows of one document version; a re-load deletes from all of them first.
PER_DOCUMENT_TABLES = (
    "doc_tables", "line_amounts", "table_totals", "summary_items", "quality_checks", "parse_errors",
    "three_public_amounts", "staffing_counts", "procurement", "assets", "operating_costs",
    "yoy_statements", "performance_targets", "subordinate_units",
)
PER_DOCUMENT_TABLES += DISCLOSURE_TABLES  # warehouse/disclosure.py
CONTENT_STATUSES = ("parsed", "partial")  # other statuses load only their documents row + errors


def doc_id_for(doc: Document, source_url: str) -> str:
    """First 16 hex chars of the PDF's sha256; a file the parser could not even hash gets a
    stable id from its URL instead, so it still has a documents row."""
    sha = (doc.source.sha256 or "").strip().lower()
    if sha:
        return sha[:16]
    return hashlib.sha256(f"unhashed:{canonical_url(source_url)}".encode()).hexdigest()[:16]


def aware(ts: datetime | None) -> datetime | None:
    """Naive datetimes are local time (Python's convention); stored as TIMESTAMPTZ instants."""
    if ts is None or ts.tzinfo is not None:
        return ts
    return ts.astimezone()


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
    if not isinstance(doc, Document):
        doc = Document.model_validate(doc)
    source_url = canonical_url(source_url)
    doc_id = doc_id_for(doc, source_url)
    has_content = doc.status in CONTENT_STATUSES
    records: Records = check_records(doc, doc_id)
    if has_content:
        records |= table_records(doc, doc_id)
        records |= fact_records(doc.facts, doc_id)
        records |= disclosure_records(doc, doc_id)
    where = unit_region(doc.document.unit, region)
    if not where.path:  # the parser's guess, only as far as the divisions reference confirms it
        where = region_of("".join(clean_region(doc.document.region)))
    comps = where.path
    now = datetime.now(UTC)

    with nullcontext(con) if IN_BATCH.get() else transaction(con):  # warehouse/batch.py holds one open
        if first_row(con, "SELECT 1 FROM document_versions WHERE doc_id = ?", [doc_id]):  # a new one has no rows
            for table in PER_DOCUMENT_TABLES:
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
        unit_id = resolve_unit(con, doc.document.unit, comps) if has_content else None
        _upsert_version(con, doc, doc_id, source_url=source_url, unit_id=unit_id, region=comps,
                        fetched_at=aware(fetched_at), parsed_at=parsed_at, run_id=run_id, now=now,
                        source_file=source_file)
        _upsert_source(con, source_url, doc_id, aware(fetched_at), now)
        if has_content:
            records["subordinate_units"] = _subordinates(con, doc, doc_id, comps)
        for table, rows in records.items():
            insert_rows(con, table, rows)
    return len(records.get("line_amounts", []))


def _upsert_version(con: duckdb.DuckDBPyConnection, doc: Document, doc_id: str, *, source_url: str,
                    unit_id: str | None, region: list[str], fetched_at: datetime | None,
                    parsed_at: datetime | None, run_id: str | None, now: datetime,
                    source_file: str | None = None) -> None:
    meta = doc.document
    canonical, _ = canonical_unit(meta.unit)
    coverage, n_units = consolidation(meta.unit, meta.title, meta.scope, doc.facts.get("subordinate_units"))
    row: dict[str, Any] = {
        "doc_id": doc_id, "sha256": doc.source.sha256 or None, "source_url": source_url,
        "source_file": source_file or doc.source.file, "pages": doc.source.pages,
        "unit": canonical or normalise_name(meta.unit), "unit_printed": normalise_name(meta.unit),
        "consolidation": coverage, "units_consolidated": n_units,
        "unit_id": unit_id, "region": region, "region_path": "/".join(region), "year": meta.year,
        "kind": meta.kind, "scope": meta.scope, "title": meta.title, "status": doc.status,
        "schema_tag": doc.schema_, "parser_version": doc.parser_version, "parse_seconds": doc.seconds,
        "facts": json.dumps(doc.facts, ensure_ascii=False, default=str), "fetched_at": fetched_at,
        "parsed_at": aware(parsed_at) if parsed_at else now,
        "parsed_at_iso": parsed_at.isoformat() if parsed_at else now.isoformat(),
        "first_loaded_at": now, "loaded_at": now, "run_id": run_id,
    }
    cols = list(row)
    keep = {"doc_id", "source_url", "first_loaded_at", "fetched_at"}
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in keep)
    con.execute(
        f"INSERT INTO document_versions ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
        f"ON CONFLICT (doc_id) DO UPDATE SET {updates}, "
        "fetched_at = least(document_versions.fetched_at, excluded.fetched_at)",
        [row[c] for c in cols],
    )


def _upsert_source(con: duckdb.DuckDBPyConnection, url: str, doc_id: str,
                   fetched_at: datetime | None, now: datetime) -> None:
    """Record that `url` delivered this version. Without a fetch time the load time stands in,
    and a known pairing is left alone, so re-loading an old version never makes it look newer
    than its successor."""
    if fetched_at is None:
        con.execute("INSERT INTO document_sources VALUES (?, ?, ?, ?, 'load') ON CONFLICT DO NOTHING",
                    [url, doc_id, now, now])
    else:
        touch_source(con, url, doc_id, fetched_at)


def touch_source(con: duckdb.DuckDBPyConnection, url: str, doc_id: str, seen_at: datetime) -> None:
    """Widen the (url, version) sighting window to include the fetch time `seen_at`; a fetch
    time replaces a load-time stand-in."""
    url = canonical_url(url)
    con.execute(
        "INSERT INTO document_sources VALUES (?, ?, ?, ?, 'fetch') ON CONFLICT (url, doc_id) DO UPDATE SET "
        "first_seen_at = CASE WHEN document_sources.seen_from = 'load' THEN excluded.first_seen_at "
        "ELSE least(document_sources.first_seen_at, excluded.first_seen_at) END, "
        "last_seen_at = CASE WHEN document_sources.seen_from = 'load' THEN excluded.last_seen_at "
        "ELSE greatest(document_sources.last_seen_at, excluded.last_seen_at) END, "
        "seen_from = 'fetch'",
        [url, doc_id, seen_at, seen_at],
    )


def _subordinates(con: duckdb.DuckDBPyConnection, doc: Document, doc_id: str,
                  region: list[str]) -> list[dict[str, Any]]:
    """Subordinate units named in facts, document meta or a table's 单位 column, resolved to units."""
    named = [(n, "facts") for n in subordinate_names(doc.facts)]
    named += [(n, "document") for n in doc.document.subordinate_units]
    named += [(r.unit, "table") for t in doc.tables for r in t.rows if r.unit]
    doc_unit = normalise_name(doc.document.unit)
    seen: set[str] = set()
    rows = []
    for name, source in named:
        norm = normalise_name(name)
        if not norm or norm == doc_unit or norm in seen:
            continue
        seen.add(norm)
        own = unit_region(norm).path or region
        rows.append({"doc_id": doc_id, "name": norm, "unit_id": resolve_unit(con, norm, own), "source": source})
    return rows
