"""Unit resolution for a batch of documents in memory: the unit rules of warehouse/units.py
applied to a copy of the dim_units / unit_aliases rows the batch can touch, fetched in three
queries, written back in three statements. Per document and unit the same questions were a
round trip each (5–8 a unit), which made them the cost of a load.

The rules, in order: the same alias in the same region; the same short name in the same
region; the same alias known without a region (adopt it: the region is now known); without a
region, the one unit that alias belongs to; else a new unit (`region_path|short_name`, `#2` …
when taken). The display name is the most specific (longest) spelling seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

from parsers.meta import canonical_unit
from parsers.normalise.names import clean_region, short_unit_name
from warehouse.categories import category_of
from warehouse.insert import registered
from warehouse.regions import Region, complete_region

DIM_COLUMNS = ("unit_id", "unit", "short_name", "region", "region_path", "category", "region_code")
UnitRequest = tuple[str | None, list[str] | None]  # (printed name, region components)


class _Key:
    """What one request resolves by: the alias, its completed region, the short name."""

    __slots__ = ("alias", "where", "rpath", "short")

    def __init__(self, name: str | None, region: list[str] | None) -> None:
        self.alias, _ = canonical_unit(name)
        self.where: Region = complete_region(clean_region(region))
        self.rpath = "/".join(self.where.path)
        self.short = short_unit_name(self.alias, self.where.path) if self.alias else ""


class UnitBook:
    """The dimension rows a batch may read or change, and what it changed."""

    def __init__(self) -> None:
        self.dims: dict[str, dict[str, Any]] = {}          # unit_id → current row
        self.original: dict[str, tuple] = {}                # unit_id → row as fetched
        self.aliases: dict[str, dict[str, str]] = {}        # alias → {region_path: unit_id}
        self.new_aliases: list[tuple[str, str, str]] = []
        self._keys: dict[UnitRequest, _Key] = {}

    @classmethod
    def fetch(cls, con: duckdb.DuckDBPyConnection, requests: Iterable[UnitRequest]) -> UnitBook:
        """Read every row the requests can reach: their aliases (any region), the units those
        name, the units of the same short name and region, and the ids a new unit could take."""
        book = cls()
        keys = [k for k in (book._key(n, r) for n, r in requests) if k.alias]
        aliases = sorted({k.alias for k in keys})
        pairs = sorted({f"{k.short}\x00{k.rpath}" for k in keys})
        bases = sorted({f"{k.rpath}|{k.short}" for k in keys})
        for alias, rpath, unit_id in con.execute(
                "SELECT alias, region_path, unit_id FROM unit_aliases WHERE alias IN (SELECT unnest(?::VARCHAR[]))",
                [aliases]).fetchall():
            book.aliases.setdefault(alias, {})[rpath] = unit_id
        ids = sorted({u for by_region in book.aliases.values() for u in by_region.values()})
        cols = ", ".join(DIM_COLUMNS)
        rows = con.execute(
            f"SELECT {cols} FROM dim_units WHERE unit_id IN (SELECT unnest(?::VARCHAR[])) "
            "OR short_name || chr(0) || region_path IN (SELECT unnest(?::VARCHAR[])) "
            "OR unit_id IN (SELECT unnest(?::VARCHAR[])) "
            "OR (contains(unit_id, '#') AND split_part(unit_id, '#', 1) IN (SELECT unnest(?::VARCHAR[])))",
            [ids, pairs, bases, bases]).fetchall()
        for row in rows:
            book.dims[row[0]] = dict(zip(DIM_COLUMNS, row, strict=True))
            book.original[row[0]] = tuple(row)
        return book

    def _key(self, name: str | None, region: list[str] | None) -> _Key:
        req = (name, tuple(region or ()))
        if req not in self._keys:
            self._keys[req] = _Key(name, region)
        return self._keys[req]

    def resolve(self, name: str | None, region: list[str] | None) -> str | None:
        """The unit_id for `name` in `region`, creating or enriching units in the book."""
        k = self._key(name, region)
        if k.alias is None:
            return None
        known = self.aliases.get(k.alias, {})
        unit_id = known.get(k.rpath)
        if unit_id is None and k.rpath:
            unit_id = self._by_short(k.short, k.rpath)
            if unit_id is None:
                unit_id = known.get("")
                if unit_id is not None:
                    self.dims[unit_id].update(region=list(k.where.path), region_path=k.rpath, short_name=k.short)
        elif unit_id is None:
            ids = set(known.values())
            unit_id = next(iter(ids)) if len(ids) == 1 else None
        if unit_id is None:
            unit_id = self._new_id(f"{k.rpath}|{k.short}")
            self.dims[unit_id] = {"unit_id": unit_id, "unit": k.alias, "short_name": k.short,
                                  "region": list(k.where.path), "region_path": k.rpath,
                                  "category": None, "region_code": None}
        elif len(self.dims[unit_id]["unit"]) < len(k.alias):
            self.dims[unit_id]["unit"] = k.alias
        if k.rpath not in known:
            self.aliases.setdefault(k.alias, {})[k.rpath] = unit_id
            self.new_aliases.append((k.alias, k.rpath, unit_id))
        dim = self.dims[unit_id]
        dim["category"] = category_of(k.alias)
        dim["region_code"] = k.where.code if k.where.code is not None else dim["region_code"]
        return unit_id

    def _by_short(self, short: str, rpath: str) -> str | None:
        return next((u for u, d in self.dims.items() if d["short_name"] == short and d["region_path"] == rpath),
                    None)

    def _new_id(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.dims:
            n += 1
            candidate = f"{base}#{n}"
        return candidate

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        """Write new units, changed units and new aliases (inside the caller's transaction)."""
        new = [d for u, d in self.dims.items() if u not in self.original]
        changed = [d for u, d in self.dims.items()
                   if u in self.original and tuple(d[c] for c in DIM_COLUMNS) != self.original[u]]
        if new:
            _with_arrow(con, "_new_units", new, "INSERT INTO dim_units BY NAME SELECT * FROM _new_units")
        if changed:
            sets = ", ".join(f"{c} = v.{c}" for c in DIM_COLUMNS[1:])
            _with_arrow(con, "_changed_units", changed,
                        f"UPDATE dim_units SET {sets} FROM _changed_units v WHERE dim_units.unit_id = v.unit_id")
        if self.new_aliases:
            rows = [dict(zip(("alias", "region_path", "unit_id"), a, strict=True)) for a in self.new_aliases]
            _with_arrow(con, "_new_aliases", rows,
                        "INSERT INTO unit_aliases BY NAME SELECT * FROM _new_aliases ON CONFLICT DO NOTHING")
        self.original.update({d["unit_id"]: tuple(d[c] for c in DIM_COLUMNS) for d in [*new, *changed]})
        self.new_aliases = []


_TYPES = {"region": pa.list_(pa.string())}


def _with_arrow(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict[str, Any]], sql: str) -> None:
    cols = list(rows[0])
    data = pa.table({c: pa.array([r[c] for r in rows], _TYPES.get(c, pa.string())) for c in cols})
    with registered(con, name, data):
        con.execute(sql)
