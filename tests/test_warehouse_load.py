"""Loading documents: figures in the views equal the synthetic truth; re-loads are idempotent;
failures leave nothing behind; unreadable documents still get a documents row."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

from parsers.document import Document, Row, Source, Table
from tests.fixtures.documents import (
    NAMES,
    all_truths,
    build_warehouse,
    class_sum,
    function_truth,
    source_url,
    truth_document,
    yuan,
)
from warehouse import LoadError, connect, doc_id_for, load_document
from warehouse.load import PER_DOCUMENT_TABLES

TRUTHS = all_truths()
COUNTED = (*PER_DOCUMENT_TABLES, "document_versions", "document_sources", "dim_units", "unit_aliases")


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    ids = build_warehouse(path)
    con = duckdb.connect(str(path), read_only=True)
    yield con, ids
    con.close()


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}


def test_unit_year_summary_equals_truth(wh):
    con, _ = wh
    rows = con.execute(
        "SELECT unit, region, year, total_expenditure, basic_expenditure, project_expenditure, personnel, public, "
        "three_public_total, staff_authorized, staff_actual FROM unit_year_summary"
    ).fetchall()
    got = {r[0]: r[1:] for r in rows}
    assert len(rows) == 4
    for truth in TRUTHS.values():
        mu = truth["money_unit"]
        assert got[truth["unit"]] == (
            "/".join(truth["region"]),
            truth["year"],
            class_sum(truth, "t3_expenditure_by_function", "total"),
            class_sum(truth, "t3_expenditure_by_function", "basic"),
            class_sum(truth, "t3_expenditure_by_function", "project"),
            class_sum(truth, "t6_gpb_basic_by_econ", "personnel"),
            class_sum(truth, "t6_gpb_basic_by_econ", "public"),
            yuan(truth["tables"]["t10_three_public"]["total"], mu),
            truth["staffing"]["authorized"],
            truth["staffing"]["actual"],
        ), truth["unit"]


def test_personnel_public_split_is_kept_as_printed(wh):
    # The real kjj report prints 人员经费 96.33 + 公用经费 7.31 against 基本支出 103.65.
    con, _ = wh
    basic, personnel, public = con.execute(
        "SELECT basic_expenditure, personnel, public FROM unit_year_summary WHERE unit = '乌鲁木齐市水磨沟区科学技术局'"
    ).fetchone()
    assert (basic, personnel, public) == (Decimal("1036500.00"), Decimal("963300.00"), Decimal("73100.00"))
    assert personnel + public != basic


def test_spend_by_function_equals_truth_per_code(wh):
    con, _ = wh
    for truth in TRUTHS.values():
        rows = con.execute(
            "SELECT code, total_yuan, basic_yuan, project_yuan FROM spend_by_function WHERE unit = ? AND year = ? AND kind = 'budget'",
            [truth["unit"], truth["year"]],
        ).fetchall()
        assert {r[0]: r[1:] for r in rows} == function_truth(truth), truth["unit"]


def test_budget_lines_hold_every_amount_exactly(wh):
    con, ids = wh
    for name, truth in TRUTHS.items():
        doc = truth_document(truth)
        expected_rows = sum(len(r.values) for t in doc.tables for r in t.rows)
        n, = con.execute("SELECT count(*) FROM budget_lines WHERE doc_id = ?", [ids[name]]).fetchone()
        assert n == expected_rows, name
        for table, kind in (("t5_gpb_expenditure_by_function", "gpb_expenditure_by_function"),
                            ("t6_gpb_basic_by_econ", "gpb_basic_by_econ")):
            got, = con.execute(
                "SELECT sum(amount_yuan) FROM budget_lines WHERE doc_id = ? AND table_kind = ? AND measure = 'total'",
                [ids[name], kind],
            ).fetchone()
            mu = truth["money_unit"]
            assert got == sum((yuan(r["total"], mu) for r in truth["tables"][table]), Decimal(0)), (name, kind)


def test_budget_lines_types_and_contract_columns(wh):
    con, _ = wh
    cols = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'budget_lines'").fetchall())
    for c in ("doc_id", "unit", "year", "table_kind", "code", "level", "name", "measure", "amount_yuan", "page"):
        assert c in cols
    assert cols["amount_yuan"] == "DECIMAL(18,2)"
    doc_cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'documents'").fetchall()}
    assert {"doc_id", "source_url", "sha256", "unit", "year", "kind", "scope", "status", "pages", "fetched_at",
            "parsed_at"} <= doc_cols


def test_per_head_figures(wh):
    con, _ = wh
    cent = Decimal("0.01")
    for truth in TRUTHS.values():
        actual = truth["staffing"]["actual"]
        mu = truth["money_unit"]
        row = con.execute(
            "SELECT spend_per_head, three_public_per_head, personnel_per_head FROM per_head "
            "WHERE unit = ? AND year = ? AND kind = 'budget'", [truth["unit"], truth["year"]],
        ).fetchone()
        assert row == (
            (class_sum(truth, "t3_expenditure_by_function", "total") / actual).quantize(cent, ROUND_HALF_UP),
            (yuan(truth["tables"]["t10_three_public"]["total"], mu) / actual).quantize(cent, ROUND_HALF_UP),
            (class_sum(truth, "t6_gpb_basic_by_econ", "personnel") / actual).quantize(cent, ROUND_HALF_UP),
        ), truth["unit"]


def test_projects_and_facts_tables(wh):
    con, ids = wh
    truth = TRUTHS["xj-smg-zjj-2025"]
    named = [r for r in truth["tables"]["t7_gpb_projects"] if r["project"]]
    n, total = con.execute("SELECT count(*), sum(total) FROM projects WHERE doc_id = ?",
                           [ids["xj-smg-zjj-2025"]]).fetchone()
    assert n == len(named)
    assert total == sum((yuan(r["total"], "元") for r in named), Decimal(0))
    tp = con.execute("SELECT abroad, reception, vehicle_operation FROM three_public WHERE doc_id = ? "
                     "AND period = 'current'", [ids["xj-smg-zjj-2025"]]).fetchone()
    t10 = truth["tables"]["t10_three_public"]
    assert tp == (yuan(t10["abroad"], "元"), yuan(t10["reception"], "元"), yuan(t10["vehicle_operation"], "元"))
    subs = {r[0] for r in con.execute("SELECT name FROM subordinate_units WHERE doc_id = ?",
                                      [ids["xj-smg-jyj-2025"]]).fetchall()}
    assert subs == set(TRUTHS["xj-smg-jyj-2025"]["subordinate_units"])


def test_reloading_changes_no_counts(tmp_path):
    path = tmp_path / "w.duckdb"
    build_warehouse(path)
    con = connect(path)
    before = counts(con)
    summary = con.execute("SELECT * FROM unit_year_summary ORDER BY unit").fetchall()
    for name, truth in TRUTHS.items():
        load_document(con, truth_document(truth), source_url=source_url(name))
    assert counts(con) == before
    assert con.execute("SELECT * FROM unit_year_summary ORDER BY unit").fetchall() == summary
    con.close()


def test_parsed_at_is_kept_exactly(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    truth = TRUTHS["xj-smg-kjj-2025"]
    doc = truth_document(truth)
    doc_id = doc_id_for(doc, "u")
    given = datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))
    load_document(con, doc, source_url="u", parsed_at=given)
    load_document(con, doc, source_url="u", parsed_at=given)
    got, iso = con.execute("SELECT parsed_at, parsed_at_iso FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    assert got == given and iso == given.isoformat()
    naive = datetime(2025, 3, 2, 8, 0, 0, 1)
    load_document(con, doc, source_url="u", parsed_at=naive)
    got, iso = con.execute("SELECT parsed_at, parsed_at_iso FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    assert iso == naive.isoformat()
    assert got == naive.astimezone()
    con.close()


def _bad_doc(value: float) -> Document:
    doc = truth_document(TRUTHS["xj-smg-kjj-2025"])
    doc.tables[1].rows[-1].values["total"] = value
    return doc


def test_invalid_amount_loads_nothing(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    empty = counts(con)
    with pytest.raises(LoadError):
        load_document(con, _bad_doc(math.nan), source_url="u")
    assert counts(con) == empty
    con.close()


def test_failure_mid_transaction_keeps_previous_load(tmp_path):
    path = tmp_path / "w.duckdb"
    ids = build_warehouse(path)
    con = connect(path)
    before = counts(con)
    sql = ("SELECT amount_yuan FROM budget_lines WHERE doc_id = ? AND table_kind = 'expenditure_by_function' "
           "AND code = '2080505' AND measure = 'total'")
    old = con.execute(sql, [ids["xj-smg-kjj-2025"]]).fetchall()
    # Same bytes (same doc_id), one amount too large for DECIMAL(18,2): DuckDB fails the insert
    # after the old rows were deleted and the documents row updated.
    with pytest.raises(duckdb.Error):
        load_document(con, _bad_doc(1e17), source_url=source_url("xj-smg-kjj-2025"))
    assert counts(con) == before
    assert con.execute(sql, [ids["xj-smg-kjj-2025"]]).fetchall() == old == [(Decimal("100000.00"),)]
    con.close()


def test_python_error_mid_transaction_rolls_back(tmp_path):
    # A row that slipped past validation (model_construct) breaks the bulk insert in Python,
    # after the old rows were deleted and other tables written: all of it must be undone.
    path = tmp_path / "w.duckdb"
    ids = build_warehouse(path)
    con = connect(path)
    before = counts(con)
    snapshot = con.execute("SELECT * FROM budget_lines ORDER BY doc_id, table_idx, row_idx, measure").fetchall()
    doc = truth_document(TRUTHS["xj-smg-kjj-2025"])
    doc.tables[1].rows[0] = Row.model_construct(code="206", name=206, values={"total": 1.0})
    with pytest.raises(Exception, match="206|str|int"):
        load_document(con, doc, source_url=source_url("xj-smg-kjj-2025"))
    assert counts(con) == before
    assert con.execute("SELECT * FROM budget_lines ORDER BY doc_id, table_idx, row_idx, measure").fetchall() == snapshot
    assert con.execute("SELECT count(*) FROM doc_tables WHERE doc_id = ?", [ids["xj-smg-kjj-2025"]]).fetchone() == (6,)
    con.close()


@pytest.mark.parametrize("status", ["unreadable", "no_text_layer", "not_a_budget"])
def test_unusable_documents_get_a_row_and_errors_only(tmp_path, status):
    con = connect(tmp_path / "w.duckdb")
    doc = Document(
        source=Source(file="x.pdf", sha256="ab" * 32, pages=3), status=status,
        errors=["x.pdf: the file ends after 1,024 bytes; download it again"],
        tables=[Table(kind="expenditure_by_function", rows=[Row(code="201", values={"total": 1.0})])],
    )
    assert load_document(con, doc, source_url="https://example.gov.cn/x.pdf") == 0
    row = con.execute("SELECT doc_id, status, errors, is_latest FROM documents").fetchall()
    assert row == [("ab" * 8, status, ["x.pdf: the file ends after 1,024 bytes; download it again"], True)]
    assert con.execute("SELECT count(*) FROM budget_lines").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM unit_year_summary").fetchone()[0] == 0
    con.close()


def test_document_without_hash_gets_a_stable_id(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    doc = Document(source=Source(file="gone.pdf", sha256=""), status="unreadable", errors=["gone.pdf: not found"])
    load_document(con, doc, source_url="/data/raw/gone.pdf")
    load_document(con, doc, source_url="/data/raw/gone.pdf")
    ids = con.execute("SELECT doc_id, sha256 FROM documents").fetchall()
    assert len(ids) == 1 and len(ids[0][0]) == 16 and ids[0][1] is None
    assert ids[0][0] == doc_id_for(doc, "/data/raw/gone.pdf") != doc_id_for(doc, "/data/raw/other.pdf")
    con.close()


def test_fetched_at_and_region_argument(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    truth = TRUTHS["xj-smg-wjw-2024"]
    doc = truth_document(truth)
    doc.document.region = []
    fetched = datetime(2024, 4, 1, 3, 0, tzinfo=UTC)
    load_document(con, doc, source_url="u", fetched_at=fetched, region=["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"])
    got = con.execute("SELECT fetched_at, region, short_name FROM documents").fetchone()
    assert got == (fetched, "新疆维吾尔自治区/乌鲁木齐市/水磨沟区", "卫生健康委员会")
    con.close()


def test_all_fixtures_present():
    assert sorted(TRUTHS) == sorted(NAMES) and all(TRUTHS[n]["tables"]["t3_expenditure_by_function"] for n in NAMES)


def test_connection_is_left_usable_for_relations(tmp_path):
    # DuckDB 2 refuses con.sql() while an execute() result is only partly fetched.
    path = tmp_path / "w.duckdb"
    for _ in range(2):  # a new file, then an existing one (different code paths in connect)
        con = connect(path)
        assert con.sql("SELECT 1").fetchall() == [(1,)]
        load_document(con, truth_document(TRUTHS["xj-smg-kjj-2025"]), source_url="u")
        assert con.sql("SELECT count(*) FROM documents").fetchall() == [(1,)]
        con.close()
    con = connect(path, read_only=True)
    assert con.sql("SELECT count(*) FROM documents").fetchall() == [(1,)]
    con.close()
