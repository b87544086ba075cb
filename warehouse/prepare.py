"""Document → everything its load writes, built before any transaction (pure, no database):
the documents row, the per-table records and the units to resolve. A bad amount fails here,
before anything is touched, and a batch can be checked whole before it is written."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from parsers.document import Document
from parsers.meta import canonical_unit, consolidation
from parsers.normalise.names import clean_region, normalise_name
from warehouse.disclosure import disclosure_records
from warehouse.facts import fact_records, subordinate_names
from warehouse.records import Records, check_records, table_records
from warehouse.regions import Region, region_of
from warehouse.units import unit_region
from warehouse.urls import canonical_url

CONTENT_STATUSES = ("parsed", "partial")  # other statuses load only their documents row + errors


@dataclass
class Prepared:
    """One document version ready to write; unit ids are filled in by the writer."""

    doc_id: str
    source_url: str
    fetched_at: datetime | None
    version: dict[str, Any]
    records: Records
    unit: tuple[str | None, list[str]] | None            # (printed name, region) to resolve
    subordinates: list[tuple[str, str, list[str]]] = field(default_factory=list)  # name, source, region

    @property
    def lines(self) -> int:
        return len(self.records.get("line_amounts", []))


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


def prepare(doc: Document | dict[str, Any], *, source_url: str, fetched_at: datetime | None = None,
            region: list[str] | None = None, parsed_at: datetime | None = None, run_id: str | None = None,
            source_file: str | None = None, now: datetime | None = None) -> Prepared:
    """Build the rows of one load (see warehouse.load.load_document for the arguments)."""
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
    where = _unit_region(doc.document.unit, tuple(region or ()))
    if not where.path:  # the parser's guess, only as far as the divisions reference confirms it
        where = _region_of("".join(clean_region(doc.document.region)))
    comps = list(where.path)
    now = now or datetime.now(UTC)
    version = _version_row(doc, doc_id, source_url=source_url, region=comps, fetched_at=aware(fetched_at),
                           parsed_at=parsed_at, run_id=run_id, now=now, source_file=source_file)
    return Prepared(doc_id=doc_id, source_url=source_url, fetched_at=aware(fetched_at), version=version,
                    records=records, unit=(doc.document.unit, comps) if has_content else None,
                    subordinates=_subordinates(doc, comps) if has_content else [])


def _version_row(doc: Document, doc_id: str, *, source_url: str, region: list[str],
                 fetched_at: datetime | None, parsed_at: datetime | None, run_id: str | None,
                 now: datetime, source_file: str | None) -> dict[str, Any]:
    meta = doc.document
    canonical, _ = canonical_unit(meta.unit)
    stated = (doc.facts.get("budget_units") or {}).get("count")
    coverage, n_units = consolidation(meta.unit, meta.title, meta.scope, doc.facts.get("subordinate_units"),
                                      stated if isinstance(stated, int) else None)
    return {
        "doc_id": doc_id, "sha256": doc.source.sha256 or None, "source_url": source_url,
        "source_file": source_file or doc.source.file, "pages": doc.source.pages,
        "unit": canonical or normalise_name(meta.unit), "unit_printed": normalise_name(meta.unit),
        "consolidation": coverage, "units_consolidated": n_units,
        "unit_id": None, "region": region, "region_path": "/".join(region), "year": meta.year,
        "kind": meta.kind, "scope": meta.scope, "title": meta.title, "status": doc.status,
        "schema_tag": doc.schema_, "parser_version": doc.parser_version, "parse_seconds": doc.seconds,
        "facts": json.dumps(doc.facts, ensure_ascii=False, default=str), "fetched_at": fetched_at,
        "parsed_at": aware(parsed_at) if parsed_at else now,
        "parsed_at_iso": parsed_at.isoformat() if parsed_at else now.isoformat(),
        "first_loaded_at": now, "loaded_at": now, "run_id": run_id,
    }


def _subordinates(doc: Document, region: list[str]) -> list[tuple[str, str, list[str]]]:
    """Subordinate units named in facts, document meta or a table's 单位 column, each with the
    region it resolves in (its own name's place, else the document's)."""
    named = [(n, "facts") for n in subordinate_names(doc.facts)]
    named += [(n, "document") for n in doc.document.subordinate_units]
    named += [(r.unit, "table") for t in doc.tables for r in t.rows if r.unit]
    doc_unit = normalise_name(doc.document.unit)
    seen: set[str] = set()
    out = []
    for name, source in named:
        norm = normalise_name(name)
        if not norm or norm == doc_unit or norm in seen:
            continue
        seen.add(norm)
        out.append((norm, source, list(_unit_region(norm, ()).path or region)))
    return out


# Matching a name against the divisions reference is the costly part of preparing a document,
# and the same units and subordinates come back every year: remembered per process.
@lru_cache(maxsize=1 << 16)
def _unit_region(name: str | None, given: tuple[str, ...]) -> Region:
    return unit_region(name, list(given) or None)


_region_of = lru_cache(maxsize=1 << 16)(region_of)
