"""run_sql formats, read-only behaviour, the writer lock, and compare()."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.fixtures.documents import build_warehouse
from warehouse import WarehouseBusy, connect, writer
from warehouse.query import CompareError, compare, run_sql

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = "SELECT unit, year, total_expenditure, staff_actual FROM unit_year_summary ORDER BY total_expenditure"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "warehouse.duckdb"
    build_warehouse(path)
    return path


def test_csv_is_header_then_rows(db):
    out = run_sql(db, SUMMARY, "csv")
    lines = out.splitlines()
    assert lines[0] == "unit,year,total_expenditure,staff_actual"
    assert lines[1] == "乌鲁木齐市水磨沟区科学技术局,2025,1144600.00,6"
    assert len(list(csv.reader(io.StringIO(out)))) == 5


def test_json_is_an_array_of_row_objects_with_exact_numbers(db):
    rows = json.loads(run_sql(db, SUMMARY, "json"), parse_float=Decimal)
    assert isinstance(rows, list) and len(rows) == 4
    assert rows[0] == {"unit": "乌鲁木齐市水磨沟区科学技术局", "year": 2025, "total_expenditure": Decimal("1144600.00"),
                       "staff_actual": 6}
    big = run_sql(db, "SELECT 1234567890123456.78::DECIMAL(18,2) AS x, NULL AS y, [1.50::DECIMAL(9,2)] AS z", "json")
    assert json.loads(big, parse_float=Decimal) == [{"x": Decimal("1234567890123456.78"), "y": None,
                                                    "z": [Decimal("1.50")]}]
    assert run_sql(db, "SELECT 1 AS a WHERE false", "json").strip() == "[]"


def test_table_and_markdown(db):
    table = run_sql(db, SUMMARY)
    assert table.splitlines()[0].split() == ["unit", "year", "total_expenditure", "staff_actual"]
    assert "1144600.00" in table and table.rstrip().endswith("(4 rows)")
    md = run_sql(db, SUMMARY, "markdown").splitlines()
    assert md[0] == "| unit | year | total_expenditure | staff_actual |"
    assert md[1] == "|---|---:|---:|---:|"
    assert len(md) == 6
    with pytest.raises(ValueError, match="unknown format"):
        run_sql(db, SUMMARY, "xml")


def test_sql_is_read_only(db):
    with pytest.raises(duckdb.Error, match="read-only"):
        run_sql(db, "DELETE FROM document_versions")
    assert run_sql(db, "SELECT count(*) AS n FROM document_versions", "csv") == "n\n4\n"


def test_same_process_writer_is_reused_but_guarded(db):
    writer = connect(db)
    try:
        assert run_sql(db, "SELECT count(*) AS n FROM documents", "csv") == "n\n4\n"
        with pytest.raises(PermissionError, match="DROP|DELETE"):
            run_sql(db, "DELETE FROM runs")
    finally:
        writer.close()


HOLD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from warehouse import connect
    con = connect({path!r}, read_only=sys.argv[2] == "ro")
    print("locked", flush=True)
    time.sleep(float(sys.argv[1]))
    con.close()
""")


def _hold(path: Path, seconds: float, read_only: bool = False) -> subprocess.Popen:
    """Another process holding the warehouse open (read-write like the nightly job, or read-only)."""
    args = [sys.executable, "-c", HOLD.format(root=str(ROOT), path=str(path)), str(seconds), "ro" if read_only else "rw"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_reader_gets_a_clear_message_while_the_nightly_job_writes(db):
    proc = _hold(db, 30)
    try:
        t0 = time.monotonic()
        with pytest.raises(WarehouseBusy) as err:
            run_sql(db, SUMMARY, wait=0.5)
        assert time.monotonic() - t0 >= 0.5
        msg = str(err.value)
        assert "nightly job" in msg and "retry" in msg.lower() and "export" in msg and f"process {proc.pid}" in msg
    finally:
        proc.kill()
        proc.wait()
    assert run_sql(db, "SELECT count(*) AS n FROM documents", "csv") == "n\n4\n"


def test_writer_waits_for_a_reader_to_let_go(db):
    proc = _hold(db, 30, read_only=True)
    try:
        with pytest.raises(WarehouseBusy, match="reader that keeps it open"):
            connect(db, wait=0.2)
    finally:
        proc.kill()
        proc.wait()
    proc = _hold(db, 1.0, read_only=True)
    with writer(db, wait=20) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (4,)
    proc.wait()


def test_reader_waits_for_a_short_write(db):
    proc = _hold(db, 1.0)
    try:
        assert run_sql(db, "SELECT count(*) AS n FROM documents", "csv", wait=20) == "n\n4\n"
    finally:
        proc.wait()


def test_compare_by_region(db):
    rows = compare(db, 2025, "208")
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert [r["amount"] for r in rows] == sorted((r["amount"] for r in rows), reverse=True)
    assert rows[-1]["unit"] == "乌鲁木齐市水磨沟区科学技术局" and rows[-1]["amount"] == Decimal("100000.00")
    assert rows[-1]["share"] == round(100000 / 1144600, 6)
    assert compare(db, 2025, "208", region="水磨沟区") == rows
    assert compare(db, 2025, "208", region=["新疆维吾尔自治区", "乌鲁木齐市"]) == rows
    assert compare(db, 2025, "208", region="新疆维吾尔自治区/乌鲁木") == rows  # part of a path (issue 10)
    with pytest.raises(CompareError, match="广东省"):  # no match in the region is an error (issue 10)
        compare(db, 2025, "208", region="广东省")
    assert compare(db, 2024, "208")[0]["unit"] == "乌鲁木齐市水磨沟区卫生健康委员会"
