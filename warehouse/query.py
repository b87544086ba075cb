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

__all__ = ["FORMATS", "CompareError", "compare", "export", "run_sql"]


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


class CompareError(ValueError):
    """No row for a compare request, with the reason as the exit code (README: compare)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code


NO_YEAR, NO_CODE, NO_REGION, NO_CATEGORY = 3, 4, 5, 6
SORTS = {"amount": "amount DESC NULLS LAST", "share": "share DESC NULLS LAST",
         "per_head": "per_head DESC NULLS LAST"}


def compare(db_path: str | Path, year: int, code: str, region: str | list[str] | None = None,
            *, kind: str = "budget", category: str | None = None, sort: str = "amount",
            wait: float = 3.0) -> list[dict[str, Any]]:
    """Rows of unit_comparison for one year and function code, ranked by `sort` (amount, share
    of the unit's total, or amount per person employed).

    `region` narrows the units to those whose region path contains it ('水磨沟', '江苏省/苏州市');
    `category` to one kind of body (信访, 财政 …). rank and n_units are recomputed within the
    selection. Raises CompareError saying whether the year, the code or the region/category
    found nothing.
    """
    if sort not in SORTS:
        raise CompareError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}", 2)
    where, params = ["c.year = ?", "c.code = ?", "c.kind = ?"], [year, code, kind]
    if region:
        path = "/".join(region) if isinstance(region, list) else region.strip("/")
        where.append("contains(coalesce(c.region, ''), ?)")
        params.append(path)
    if category:
        where.append("u.category = ?")
        params.append(category)
    sql = f"""
        WITH sel AS (
            SELECT c.year, c.kind, c.code, c.name, c.unit, c.region, u.category, c.amount_yuan AS amount, c.share,
                   CAST(div2(c.amount_yuan, s.staff_actual) AS DECIMAL(18, 2)) AS per_head, s.staff_actual,
                   c.unit_total_expenditure, c.unit_id
            FROM unit_comparison c JOIN units u USING (unit_id)
            LEFT JOIN unit_year_kind_summary s ON s.unit_id = c.unit_id AND s.year = c.year AND s.kind = c.kind
            WHERE {' AND '.join(where)}
        )
        SELECT year, kind, code, name, unit, region, category, amount, share, per_head,
               rank() OVER (ORDER BY {SORTS[sort]}) AS rank, count(*) OVER () AS n_units,
               unit_total_expenditure, staff_actual, unit_id
        FROM sel ORDER BY rank, unit
    """
    with reader(db_path, wait=wait) as (con, _):
        cur = con.execute(sql, params)
        columns = [d[0] for d in cur.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
        if not rows:
            _why_empty(con, year, code, kind, region, category)
    return rows


def _why_empty(con: Any, year: int, code: str, kind: str, region: Any, category: str | None) -> None:
    years = [y for (y,) in con.execute("SELECT DISTINCT year FROM unit_comparison WHERE kind = ? "
                                       "ORDER BY year", [kind]).fetchall()]
    if year not in years:
        raise CompareError(f"no {kind} report for year {year} (years in the warehouse: "
                           f"{', '.join(map(str, years)) or 'none'})", NO_YEAR)
    if not con.execute("SELECT 1 FROM unit_comparison WHERE year = ? AND code = ? AND kind = ? LIMIT 1",
                       [year, code, kind]).fetchall():
        raise CompareError(f"no unit reports code {code} for {year}", NO_CODE)
    if region:
        raise CompareError(f"no unit whose region contains {region!r} reports code {code} for {year}", NO_REGION)
    raise CompareError(f"no unit of category {category!r} reports code {code} for {year}", NO_CATEGORY)
