"""Schema migrations: a version-1 warehouse file upgrades in place and keeps its data."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pytest

from tests.fixtures.documents import all_truths, truth_document
from warehouse import WarehouseOutdated, connect, load_document
from warehouse.migrate import available, latest_version, migrate

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def make_v1(path) -> None:
    """A file as the first release wrote it: schema 1 with one loaded document."""
    con = duckdb.connect(str(path))
    assert migrate(con, upto=1) == [1]
    con.execute(
        "INSERT INTO document_versions (doc_id, sha256, source_url, unit, year, kind, scope, status, pages, "
        "first_loaded_at, loaded_at, parsed_at) VALUES ('00aa00aa00aa00aa', ?, 'https://old.example/a.pdf', "
        "'老单位', 2023, 'budget', 'department', 'parsed', 9, ?, ?, ?)",
        ["00aa" * 16, NOW, NOW, NOW],
    )
    con.execute("INSERT INTO document_sources VALUES ('https://old.example/a.pdf', '00aa00aa00aa00aa', ?, ?, 'fetch')",
                [NOW, NOW])
    con.execute("INSERT INTO doc_tables (doc_id, table_idx, kind, n_rows) "
                "VALUES ('00aa00aa00aa00aa', 0, 'expenditure_by_function', 1)")
    con.execute("INSERT INTO line_amounts (doc_id, table_idx, row_idx, table_kind, code, level, name, measure, "
                "amount_yuan) VALUES ('00aa00aa00aa00aa', 0, 0, 'expenditure_by_function', '201', 1, "
                "'一般公共服务 支出', 'total', 12345.67)")
    con.execute("INSERT INTO table_totals VALUES ('00aa00aa00aa00aa', 0, 'expenditure_by_function', 'total', 12345.67)")
    con.close()


def test_migrations_are_numbered_and_v1_is_the_first():
    versions = [m.version for m in available()]
    assert versions == sorted(set(versions)) and versions[0] == 1 and latest_version() >= 2


def test_v1_file_upgrades_in_place(tmp_path):
    path = tmp_path / "old.duckdb"
    make_v1(path)
    con = connect(path)
    assert [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()] == list(
        range(1, latest_version() + 1))
    # data kept, new columns back-filled, views work over the old rows
    assert con.execute("SELECT doc_id, unit, unit_id, is_latest FROM documents").fetchall() == [
        ("00aa00aa00aa00aa", "老单位", "|老单位", True)]
    assert con.execute("SELECT name_norm FROM line_amounts").fetchall() == [("一般公共服务支出",)]
    assert con.execute("SELECT unit, year, total_expenditure FROM unit_year_summary").fetchall() == [
        ("老单位", 2023, Decimal("12345.67"))]
    assert con.execute("SELECT count(*) FROM code_reference WHERE scheme = 'function'").fetchone()[0] > 0
    # the upgraded file takes new loads, and connecting again applies nothing
    load_document(con, truth_document(all_truths()["xj-smg-kjj-2025"]), source_url="u")
    assert con.execute("SELECT count(*) FROM unit_year_summary").fetchone()[0] == 2
    assert migrate(con) == []
    con.close()
    con = connect(path)
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == latest_version()
    con.close()


def test_read_only_connection_refuses_an_outdated_file(tmp_path):
    path = tmp_path / "old.duckdb"
    make_v1(path)
    with pytest.raises(WarehouseOutdated, match="schema version 1"):
        connect(path, read_only=True)
    connect(path).close()
    connect(path, read_only=True).close()


def test_failed_migration_leaves_previous_version(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    make_v1(path)
    import warehouse.migrate as m

    real = m.available()
    broken = [real[0], m.Migration(2, "broken", "CREATE TABLE ok_table (a INTEGER); SELECT * FROM no_such_table;")]
    monkeypatch.setattr(m, "available", lambda: broken)
    con = duckdb.connect(str(path))
    with pytest.raises(duckdb.CatalogException):
        m.migrate(con)
    assert m.current_version(con) == 1
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ok_table'").fetchone()[0] == 0
    con.close()


def test_missing_file_read_only(tmp_path):
    with pytest.raises(FileNotFoundError, match="no warehouse"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_a_lower_numbered_migration_merged_late_still_runs(tmp_path, monkeypatch):
    """Branches merged out of order: 005 arrives after 006–008 were applied; it must still run."""
    import warehouse.migrate as m

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    every = available()
    late = every[4]
    monkeypatch.setattr(m, "available", lambda: [x for x in every if x.version != late.version])
    migrate(con)
    assert late.version not in {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    monkeypatch.setattr(m, "available", lambda: every)
    assert migrate(con) == [late.version]
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(every)


def _schema(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "objects": con.execute("SELECT table_name, table_type FROM information_schema.tables ORDER BY 1").fetchall(),
            "columns": con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                                   "ORDER BY 1, 2").fetchall(),
            "migrations": con.execute("SELECT version, name, checksum FROM schema_migrations ORDER BY 1").fetchall(),
            "meta": con.execute("SELECT * FROM warehouse_meta ORDER BY 1").fetchall(),
            "codes": con.execute("SELECT * FROM code_reference ORDER BY scheme, code").fetchall(),
        }
    finally:
        con.close()


def test_a_new_warehouse_copied_from_the_empty_one_equals_one_built_in_place(tmp_path, monkeypatch):
    """warehouse/template.py: the copy is the same schema, views, reference lists and metadata
    as building from nothing, and it loads and reads like one."""
    monkeypatch.setenv("BUDGET_ETL_CACHE", str(tmp_path / "cache"))
    connect(tmp_path / "copied.duckdb").close()
    assert len(list((tmp_path / "cache").glob("empty-warehouse-*.duckdb"))) == 1
    (tmp_path / "not-a-dir").write_text("")
    monkeypatch.setenv("BUDGET_ETL_CACHE", str(tmp_path / "not-a-dir"))  # no cache: built in place
    connect(tmp_path / "built.duckdb").close()
    assert _schema(tmp_path / "copied.duckdb") == _schema(tmp_path / "built.duckdb")
    assert _schema(tmp_path / "copied.duckdb")["codes"]  # not two empty files

    monkeypatch.setenv("BUDGET_ETL_CACHE", str(tmp_path / "cache"))
    truth = next(iter(all_truths().values()))
    for name in ("copied.duckdb", "second-copy.duckdb"):
        with connect(tmp_path / name) as con:
            load_document(con, truth_document(truth), source_url="file:///a.pdf")
            assert con.execute("SELECT count(*) FROM unit_year_summary").fetchone()[0] == 1
    assert len(list((tmp_path / "cache").glob("*"))) == 1  # the second copy reused the first


def test_a_changed_schema_gets_its_own_empty_warehouse(tmp_path, monkeypatch):
    from warehouse.template import copy_empty

    monkeypatch.setenv("BUDGET_ETL_CACHE", str(tmp_path / "cache"))
    built = []

    def build(con):
        built.append(1)
        con.execute(f"CREATE TABLE t{len(built)} (x INTEGER)")

    assert copy_empty(tmp_path / "a.duckdb", ["v1"], build) and copy_empty(tmp_path / "b.duckdb", ["v1"], build)
    assert copy_empty(tmp_path / "c.duckdb", ["v2"], build)
    assert len(built) == 2 and len(list((tmp_path / "cache").glob("*.duckdb"))) == 2
    tables = {n: duckdb.connect(str(tmp_path / n)).execute("SELECT table_name FROM information_schema.tables")
              .fetchall() for n in ("a.duckdb", "b.duckdb", "c.duckdb")}
    assert tables == {"a.duckdb": [("t1",)], "b.duckdb": [("t1",)], "c.duckdb": [("t2",)]}


def test_the_copy_never_replaces_a_file_another_process_created_meanwhile(tmp_path, monkeypatch):
    from warehouse.template import copy_empty

    monkeypatch.setenv("BUDGET_ETL_CACHE", str(tmp_path / "cache"))
    theirs = tmp_path / "w.duckdb"
    duckdb.connect(str(theirs)).execute("CREATE TABLE theirs AS SELECT 42 AS x").close()
    assert copy_empty(theirs, ["v1"], lambda con: con.execute("CREATE TABLE empty (x INTEGER)"))
    assert duckdb.connect(str(theirs)).execute("SELECT x FROM theirs").fetchall() == [(42,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "w.duckdb"]  # no staged copy left behind
