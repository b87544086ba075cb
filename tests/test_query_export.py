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


def decimal_columns(con, name: str) -> list[str]:
    return [c for c, t in con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                      "WHERE table_name = ? AND data_type LIKE 'DECIMAL%'", [name]).fetchall()]


def fingerprint(con, source: str, cols: list[str]) -> tuple:
    sums = ", ".join(f'sum("{c}")' for c in cols)
    return con.execute(f"SELECT count(*){', ' + sums if sums else ''} FROM {source}").fetchone()


def parquet_source(path: Path) -> str:
    if path.is_dir():
        return f"read_parquet('{path}/**/*.parquet', hive_partitioning = true)"
    return f"read_parquet('{path}')"


def test_parquet_round_trip(db, tmp_path):
    paths = export(db, tmp_path / "out")
    con = duckdb.connect(str(db), read_only=True)
    names = [n for n, _ in relations(con)]
    assert sorted(p.name.removesuffix(".parquet") for p in paths) == sorted(names)
    by_name = {p.name.removesuffix(".parquet"): p for p in paths}
    assert by_name["budget_lines"].is_dir() and (by_name["budget_lines"] / "year=2025").is_dir()
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


def test_csv_export(db, tmp_path):
    paths = export(db, tmp_path / "csv", fmt="csv")
    assert all(p.suffix == ".csv" for p in paths)
    con = duckdb.connect(str(db), read_only=True)
    src = f"read_csv('{tmp_path / 'csv' / 'budget_lines.csv'}', header = true, types = {{'amount_yuan': 'DECIMAL(18,2)'}})"
    assert fingerprint(duckdb.connect(), src, ["amount_yuan"]) == fingerprint(con, "budget_lines", ["amount_yuan"])
    con.close()


def test_export_replaces_an_earlier_export(db, tmp_path):
    first = export(db, tmp_path / "out")
    second = export(db, tmp_path / "out")
    assert first == second
    files = list((tmp_path / "out" / "budget_lines").rglob("*.parquet"))
    assert len(files) == 2  # one per year (2024, 2025), not doubled
    with pytest.raises(ValueError):
        export(db, tmp_path / "out", fmt="xlsx")
