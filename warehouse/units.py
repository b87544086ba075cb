"""The unit dimension: map a printed unit name (+ region) to one stable unit_id, so a unit
printed with and without its region prefix, with or without （本级）/（汇总）, or first seen
without a region, stays one unit. Table row labels (对个人和家庭的补助) never become units."""

from __future__ import annotations

import duckdb

from parsers.meta import canonical_unit
from parsers.normalise.names import clean_region
from warehouse.regions import Region, complete_region, region_of
from warehouse.unitbook import UnitBook


def unit_region(name: str | None, given: list[str] | None = None) -> Region:
    """A source's configured region wins (completed with its province); else the place the
    canonical name starts with; else nothing."""
    comps = clean_region(given)
    if comps:
        return complete_region(comps)
    canonical, _ = canonical_unit(name)
    return region_of(canonical)


def resolve_unit(con: duckdb.DuckDBPyConnection, name: str | None, region: list[str] | None) -> str | None:
    """Return the unit_id for `name` in `region`, creating or enriching dim_units as needed
    (the rules are warehouse/unitbook.py's, which resolves a whole batch at once)."""
    book = UnitBook.fetch(con, [(name, region)])
    unit_id = book.resolve(name, region)
    book.flush(con)
    return unit_id
