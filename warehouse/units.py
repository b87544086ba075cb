"""The unit dimension: map a printed unit name (+ region) to one stable unit_id, so a unit
printed with and without its region prefix, with or without （本级）/（汇总）, or first seen
without a region, stays one unit. Table row labels (对个人和家庭的补助) never become units."""

from __future__ import annotations

import duckdb

from parsers.meta import canonical_unit
from parsers.normalise.names import clean_region, short_unit_name
from warehouse.categories import category_of
from warehouse.regions import Region, complete_region, region_of
from warehouse.tx import first_row


def unit_region(name: str | None, given: list[str] | None = None) -> Region:
    """A source's configured region wins (completed with its province); else the place the
    canonical name starts with; else nothing."""
    comps = clean_region(given)
    if comps:
        return complete_region(comps)
    canonical, _ = canonical_unit(name)
    return region_of(canonical)


def resolve_unit(con: duckdb.DuckDBPyConnection, name: str | None, region: list[str] | None) -> str | None:
    """Return the unit_id for `name` in `region`, creating or enriching dim_units as needed.

    Order: the same alias in the same region; the same short name in the same region; the same
    alias known without a region (adopt it: the region is now known); without a region, the one
    unit that alias belongs to; else a new unit.
    """
    alias, _ = canonical_unit(name)
    if alias is None:
        return None
    where = complete_region(clean_region(region))
    comps = where.path
    rpath = "/".join(comps)
    short = short_unit_name(alias, comps)
    unit_id = _one(con, "SELECT unit_id FROM unit_aliases WHERE alias = ? AND region_path = ?", [alias, rpath])
    if unit_id is None and rpath:
        unit_id = _one(con, "SELECT unit_id FROM dim_units WHERE short_name = ? AND region_path = ?", [short, rpath])
        if unit_id is None:
            unit_id = _one(con, "SELECT unit_id FROM unit_aliases WHERE alias = ? AND region_path = ''", [alias])
            if unit_id is not None:
                con.execute("UPDATE dim_units SET region = ?, region_path = ?, short_name = ? WHERE unit_id = ?",
                            [comps, rpath, short, unit_id])
    elif unit_id is None:
        ids = con.execute("SELECT DISTINCT unit_id FROM unit_aliases WHERE alias = ?", [alias]).fetchall()
        unit_id = ids[0][0] if len(ids) == 1 else None
    if unit_id is None:
        unit_id = _new_id(con, f"{rpath}|{short}")
        con.execute("INSERT INTO dim_units (unit_id, unit, short_name, region, region_path) VALUES (?, ?, ?, ?, ?)",
                    [unit_id, alias, short, comps, rpath])
    else:
        # Display the most specific spelling seen (the one with the region prefix).
        con.execute("UPDATE dim_units SET unit = ? WHERE unit_id = ? AND length(unit) < length(?)",
                    [alias, unit_id, alias])
    con.execute("INSERT INTO unit_aliases VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [alias, rpath, unit_id])
    con.execute("UPDATE dim_units SET category = ?, region_code = coalesce(?, region_code) WHERE unit_id = ?",
                [category_of(alias), where.code, unit_id])
    return unit_id


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> str | None:
    row = first_row(con, sql, params)
    return row[0] if row else None


def _new_id(con: duckdb.DuckDBPyConnection, base: str) -> str:
    candidate, n = base, 1
    while _one(con, "SELECT unit_id FROM dim_units WHERE unit_id = ?", [candidate]) is not None:
        n += 1
        candidate = f"{base}#{n}"
    return candidate
