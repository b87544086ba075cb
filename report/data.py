"""Everything the site shows, read once from the warehouse over a read-only connection.

One pass of bulk queries (report/queries.sql) is far cheaper than a query per page, and it
means the site is one consistent snapshot even if the nightly job writes right after.
Optional columns that other parts of the project may add later (a `category` on `units`, a
per-table verification status) are looked up in the catalog and read when present.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from warehouse.reader import reader

QUERIES = Path(__file__).with_name("queries.sql")
VERIFY_COLUMNS = ("verification_status", "verification", "verify_status", "verified")


def load_queries(path: Path = QUERIES) -> dict[str, str]:
    """The named queries of queries.sql ("-- name: x" starts one)."""
    text = path.read_text(encoding="utf-8")
    return {m[1]: m[2].strip() for m in re.finditer(r"^-- name: (\w+)\n(.*?)(?=^-- name:|\Z)", text, re.S | re.M)}


@dataclass
class Filters:
    """The --unit / --region / --year options: substrings of unit name and region, a year."""

    unit: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)

    def keep(self, unit: str | None, region: str | None, year: int | None) -> bool:
        if self.unit and not any(u in (unit or "") for u in self.unit):
            return False
        if self.region and not any(r in (region or "") for r in self.region):
            return False
        return not (self.year and year not in self.year)


@dataclass
class SiteData:
    """Rows per query (dicts), plus the optional extras found in this warehouse."""

    rows: dict[str, list[dict[str, Any]]]
    categories: dict[str, str]          # unit_id -> category from the warehouse, when it has one
    unverified: list[dict[str, Any]]    # tables whose verification status is not a pass
    has_verification: bool

    def by_unit(self, name: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.rows[name]:
            out[r["unit_id"]].append(r)
        return out


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for table, col in con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall():
        out[table].add(col)
    return out


def _categories(con: duckdb.DuckDBPyConnection, cols: dict[str, set[str]]) -> dict[str, str]:
    if "category" not in cols.get("units", set()):
        return {}
    return {u: c for u, c in con.execute("SELECT unit_id, category FROM units WHERE category IS NOT NULL").fetchall()}


def _verification(con: duckdb.DuckDBPyConnection, cols: dict[str, set[str]]) -> tuple[bool, list[dict[str, Any]]]:
    """Tables whose verification status is anything but a pass, from whichever relation has one:
    table_totals, doc_tables, or any table named *verif* keyed by doc_id and table_idx."""
    candidates = ["table_totals", "doc_tables"] + sorted(t for t in cols if "verif" in t)
    for table in candidates:
        have = cols.get(table, set())
        col = next((c for c in VERIFY_COLUMNS if c in have), None)
        if not col or not {"doc_id", "table_idx"} <= have:
            continue
        rows = _dicts(con, f"""
            SELECT v.doc_id, v.table_idx, any_value(CAST(v."{col}" AS VARCHAR)) AS status,
                   any_value(t.kind) AS kind, any_value(t.title) AS title, any_value(t.pages[1]) AS page,
                   any_value(d.unit) AS unit, any_value(d.unit_id) AS unit_id, any_value(d.year) AS year,
                   any_value(coalesce(d.region, '')) AS region, any_value(d.sha256) AS sha256
            FROM "{table}" v JOIN documents d USING (doc_id)
            LEFT JOIN doc_tables t USING (doc_id, table_idx)
            WHERE v."{col}" IS NOT NULL
              AND lower(CAST(v."{col}" AS VARCHAR)) NOT IN ('true', 'verified', 'ok', 'passed', 'pass', 'match')
            GROUP BY v.doc_id, v.table_idx ORDER BY v.doc_id, v.table_idx""")
        return True, rows
    return False, []


def read_site_data(db_path: str | Path) -> SiteData:
    """Run every report query against the warehouse at db_path (read-only)."""
    queries = load_queries()
    with reader(db_path) as (con, _enforced):
        rows = {name: _dicts(con, sql) for name, sql in queries.items()}
        cols = _columns(con)
        has_verification, unverified = _verification(con, cols)
        categories = _categories(con, cols)
    return SiteData(rows, categories, unverified, has_verification)
