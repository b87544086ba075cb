"""Analyst entry points: SQL in any output format, exports, and cross-unit comparisons.

All of them open the warehouse read-only for as short as possible. While the nightly job is
writing, DuckDB refuses readers (a file lock, not a queue): after a short retry they raise
WarehouseBusy, whose message says to retry later or to query an export instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.export import export
from warehouse.formats import FORMATS, render
from warehouse.reader import check_read_only, reader

__all__ = ["FORMATS", "compare", "export", "run_sql"]


def run_sql(db_path: str | Path, sql: str, fmt: str = "table", *, wait: float = 3.0) -> str:
    """Run `sql` read-only and render its last statement's result: table, csv (header line then
    rows), json (an array of row objects, Decimals as exact numbers) or markdown."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    with reader(db_path, wait=wait) as (con, enforced):
        if not enforced:
            check_read_only(con, sql)
        statements = con.extract_statements(sql)
        if not statements:
            raise ValueError("no SQL statement given")
        for stmt in statements[:-1]:
            con.execute(stmt)
        cur = con.execute(statements[-1])
        if cur.description is None:
            return render([], [], fmt)
        columns = [d[0] for d in cur.description]
        return render(columns, cur.fetchall(), fmt)


def compare(db_path: str | Path, year: int, code: str, region: str | list[str] | None = None,
            *, kind: str = "budget", wait: float = 3.0) -> list[dict[str, Any]]:
    """Rows of unit_comparison for one year and function code, largest first.

    `region` narrows the units: a path ('新疆维吾尔自治区/乌鲁木齐市') or list matches that region
    and everything under it; a single name ('水磨沟区') matches any region containing it. rank
    and n_units are recomputed within the selection.
    """
    where, params = ["year = ?", "code = ?", "kind = ?"], [year, code, kind]
    if region:
        path = "/".join(region) if isinstance(region, list) else region.strip("/")
        if "/" in path:
            where.append("(region = ? OR starts_with(region, ?))")
            params += [path, path + "/"]
        else:
            where.append("list_contains(string_split(region, '/'), ?)")
            params.append(path)
    sql = f"""
        SELECT year, kind, code, name, unit, region, amount, share,
               rank() OVER (ORDER BY amount DESC NULLS LAST) AS rank, count(*) OVER () AS n_units,
               unit_total_expenditure, unit_id
        FROM unit_comparison WHERE {' AND '.join(where)}
        ORDER BY rank, unit
    """
    with reader(db_path, wait=wait) as (con, _):
        cur = con.execute(sql, params)
        columns = [d[0] for d in cur.description]
        return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
