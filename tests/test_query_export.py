"""export() round-trips: every relation comes back with the same rows and exact amount sums."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.fixtures.documents import build_warehouse
from warehouse.export import relations
from warehouse.query import export


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "warehouse.duckdb"
    build_warehouse(path)
    return path


@pytest.fixture(scope="module")
def parquet(db, tmp_path_factory) -> tuple[Path, list[Path]]:
    """One Parquet export shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("pq")
    return out, export(db, out)


@pytest.fixture(scope="module")
def csv(db, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("csv")
    return out, export(db, out, fmt="csv")


def decimal_columns(con, name: str) -> list[str]:
    return [c for c, t in con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                      "WHERE table_name = ? AND data_type LIKE 'DECIMAL%'", [name]).fetchall()]


def fingerprint(con, source: str, cols: list[str]) -> tuple:
    sums = ", ".join(f'sum("{c}")' for c in cols)
    return con.execute(f"SELECT count(*){', ' + sums if sums else ''} FROM {source}").fetchone()


def parquet_source(path: Path) -> str:
    if path.is_dir():
        return f"read_parquet('{path}/*.parquet')"
    return f"read_parquet('{path}')"


def test_parquet_round_trip(db, parquet):
    _, paths = parquet
    con = duckdb.connect(str(db), read_only=True)
    names = [n for n, _ in relations(con)]
    assert sorted(p.name.removesuffix(".parquet") for p in paths) == sorted(names)
    by_name = {p.name.removesuffix(".parquet"): p for p in paths}
    assert by_name["budget_lines"].is_dir() and (by_name["budget_lines"] / "year_2025.parquet").is_file()
    assert by_name["line_amounts"].suffix == ".parquet"
    reader = duckdb.connect()
    checked = 0
    for name in names:
        cols = decimal_columns(con, name)
        assert fingerprint(reader, parquet_source(by_name[name]), cols) == fingerprint(con, f'"{name}"', cols), name
        checked += bool(cols)
    assert checked >= 10
    assert fingerprint(con, "budget_lines", ["amount_yuan"])[0] > 1000
    con.close()


def test_csv_export(db, csv):
    out, paths = csv
    assert all(p.suffix == ".csv" for p in paths)
    con = duckdb.connect(str(db), read_only=True)
    src = f"read_csv('{out / 'budget_lines.csv'}', header = true, types = {{'amount_yuan': 'DECIMAL(18,2)'}})"
    assert fingerprint(duckdb.connect(), src, ["amount_yuan"]) == fingerprint(con, "budget_lines", ["amount_yuan"])
    con.close()


def test_export_replaces_an_earlier_export(db, parquet, tmp_path):
    out, first = parquet
    assert export(db, out) == first
    files = list((out / "budget_lines").rglob("*.parquet"))
    assert len(files) == 2  # one per year (2024, 2025), not doubled
    with pytest.raises(ValueError):
        export(db, out, fmt="xlsx")


def test_exports_read_back_in_pandas_and_pyarrow(db, parquet):
    """Every relation, NULL-year rows included, reads back with year an integer."""
    import pandas as pd
    import pyarrow.dataset as ds

    _, paths = parquet
    con = duckdb.connect(str(db), read_only=True)
    for path in paths:
        name = path.name.removesuffix(".parquet")
        frame = pd.read_parquet(path)
        assert len(frame) == con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0], name
        table = ds.dataset(path, format="parquet").to_table()
        assert table.num_rows == len(frame), name
        if "year" in frame.columns and len(frame):
            assert str(table.schema.field("year").type) == "int32", name
            assert frame["year"].dropna().map(float.is_integer if frame["year"].dtype.kind == "f" else
                                              (lambda v: True)).all(), name
    con.close()


def test_null_year_rows_are_kept(db, tmp_path):
    import shutil

    import pandas as pd

    from tests.comparable_support import build

    copy = tmp_path / "w.duckdb"
    shutil.copy(db, copy)
    build(copy, ["jinan_yingjiju_yishenqing-liuchengtu_NOT-BUDGET.pdf"]).close()  # a real file with no year
    con = duckdb.connect(str(copy), read_only=True)
    nulls = con.execute("SELECT count(*) FROM documents WHERE year IS NULL").fetchone()[0]
    con.close()
    assert nulls >= 1
    export(copy, tmp_path / "pq")
    assert (tmp_path / "pq" / "documents" / "year_unknown.parquet").is_file()
    frame = pd.read_parquet(tmp_path / "pq" / "documents", dtype_backend="numpy_nullable")
    assert str(frame["year"].dtype) == "Int32"
    assert int(frame["year"].isna().sum()) == nulls


def test_csv_lists_are_json(csv):
    import json

    import pandas as pd

    out, _ = csv
    frame = pd.read_csv(out / "documents.csv")
    lists = frame["source_urls"].dropna()
    assert len(lists) and all(isinstance(json.loads(v), list) for v in lists)
    assert pd.api.types.is_integer_dtype(pd.read_csv(out / "unit_year_summary.csv")["year"])
