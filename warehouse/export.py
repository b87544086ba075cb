"""Export every view and table for people without DuckDB: Parquet (one file per year where a
relation has a year column, for cheap per-year reads) or one CSV per relation.

Per-year files (NAME/year_2025.parquet, NAME/year_unknown.parquet for rows without a year)
keep `year` as an INTEGER column inside each file rather than in hive directory names:
pandas and pyarrow read a directory of them without a partition schema, so year stays an
integer (a hive NULL partition breaks pd.read_parquet, and hive keys come back as category).
CSV writes lists, structs and maps as JSON text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from warehouse.reader import reader
from warehouse.tx import first_row

EXPORT_FORMATS = ("parquet", "csv")


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, bool]]:
    """(name, has_year_column) for every user table and view in the main schema."""
    rows = con.execute(
        """
        SELECT t.table_name, bool_or(c.column_name = 'year')
        FROM information_schema.tables t
        JOIN information_schema.columns c USING (table_catalog, table_schema, table_name)
        WHERE t.table_schema = 'main' AND t.table_catalog = current_database()
        GROUP BY t.table_name ORDER BY t.table_name
        """
    ).fetchall()
    return [(name, bool(has_year)) for name, has_year in rows]


def export(db_path: str | Path, out_dir: str | Path, fmt: str = "parquet", *, wait: float = 3.0) -> list[Path]:
    """Write every relation under out_dir and return one path per relation: NAME.csv, NAME.parquet,
    or the directory NAME/ of year=YYYY partitions (read with hive_partitioning). An earlier
    export of the same relation is replaced."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use parquet or csv")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with reader(db_path, wait=wait) as (con, _):
        for name, has_year in relations(con):
            paths.append(_export_one(con, name, has_year, out, fmt))
    return paths


def _csv_select(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """SELECT of `name` with nested columns (lists, structs, maps) as JSON text."""
    cols = con.execute(f'DESCRIBE SELECT * FROM "{name}"').fetchall()
    exprs = [f'to_json("{c}") AS "{c}"' if ("[]" in t or t.startswith(("STRUCT", "MAP"))) else f'"{c}"'
             for c, t, *_ in cols]
    return f'SELECT {", ".join(exprs)} FROM "{name}"'


def _export_one(con: duckdb.DuckDBPyConnection, name: str, has_year: bool, out: Path, fmt: str) -> Path:
    # The marts are views over views: computing one costs seconds of planning alone, and a
    # partitioned export reads it once per year. Computed once into a temporary table instead
    # (allowed on the read-only connection), every further read is a scan.
    con.execute(f'CREATE OR REPLACE TEMP TABLE _export AS SELECT * FROM "{name}"')
    try:
        return _write(con, "_export", name, has_year, out, fmt)
    finally:
        con.execute("DROP TABLE IF EXISTS temp._export")


def _write(con: duckdb.DuckDBPyConnection, source: str, name: str, has_year: bool, out: Path, fmt: str) -> Path:
    rel = f'SELECT * FROM "{source}"'
    if fmt == "csv":
        target = out / f"{name}.csv"
        con.execute(f"COPY ({_csv_select(con, source)}) TO '{_lit(target)}' (FORMAT csv, HEADER true)")
        return target
    partitioned = has_year and first_row(con, f'SELECT count(*) FROM "{source}"')[0] > 0
    # Remove both layouts first: a relation that was empty last time was a single file.
    (out / f"{name}.parquet").unlink(missing_ok=True)
    if (out / name).is_dir():
        shutil.rmtree(out / name)
    if not partitioned:
        target = out / f"{name}.parquet"
        con.execute(f"COPY ({rel}) TO '{_lit(target)}' (FORMAT parquet)")
        return target
    target = out / name
    target.mkdir()
    for (year,) in con.execute(f'SELECT DISTINCT CAST(year AS INTEGER) FROM "{source}"').fetchall():
        part = target / f"year_{year if year is not None else 'unknown'}.parquet"
        where = "year IS NULL" if year is None else f"year = {int(year)}"
        con.execute(f"COPY ({rel} WHERE {where}) TO '{_lit(part)}' (FORMAT parquet)")
    return target


def _lit(path: Path) -> str:
    return str(path).replace("'", "''")
