"""Research views and the rules behind unit_year_summary: split disclosures, scope preference,
subordinate-unit rows, missing table totals, series across years, codes and units."""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal

import pytest

from parsers.document import Document, DocumentMeta, Row, Source, Table
from parsers.normalise.names import normalise_name, short_unit_name
from tests.fixtures.documents import all_truths, build_warehouse, source_url, truth_document, yuan
from warehouse import connect, load_document

TRUTHS = all_truths()
REGION = ["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"]


def make_doc(unit: str, sha: str, *, year: int = 2025, kind: str = "budget", scope: str | None = "department",
             tables: list[Table] | None = None, facts: dict | None = None) -> Document:
    return Document(source=Source(file=f"{sha}.pdf", sha256=sha * 64), tables=tables or [], facts=facts or {},
                    document=DocumentMeta(unit=unit, year=year, kind=kind, scope=scope, region=REGION))


def ebf(rows: list[Row], total: dict | None = None, kind: str = "expenditure_by_function") -> Table:
    return Table(kind=kind, rows=rows, total=total or {})


def summary(con, unit: str, table: str = "unit_year_summary"):
    return con.execute(
        f"SELECT total_expenditure, basic_expenditure, project_expenditure, three_public_total, staff_authorized, "
        f"staff_actual FROM {table} WHERE unit = ?", [unit]).fetchall()


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "w.duckdb")
    yield c
    c.close()


def test_split_disclosure_combines_narrative_and_tables(con):
    unit = "乌鲁木齐市水磨沟区文化体育局"
    narrative = make_doc(unit, "a", scope=None, facts={"staffing": {"authorized": 12, "actual": 10},
                                                      "three_public": {"total": 5000.0}})
    tables = make_doc(unit, "b", tables=[ebf([Row(code="207", values={"total": 900.0, "basic": 400.0,
                                                                      "project": 500.0})],
                                         total={"total": 900.0, "basic": 400.0, "project": 500.0})])
    load_document(con, narrative, source_url="https://x/narrative.pdf")
    load_document(con, tables, source_url="https://x/tables.pdf")
    assert summary(con, unit) == [(Decimal("900.00"), Decimal("400.00"), Decimal("500.00"), Decimal("5000.00"), 12, 10)]
    assert con.execute("SELECT len(doc_ids) FROM unit_year_summary").fetchone() == (2,)


def test_department_scope_preferred_over_unit_scope(con):
    unit = "乌鲁木齐市水磨沟区文化体育局"
    unit_doc = make_doc(unit, "c", scope="unit", tables=[ebf([Row(code="207", values={"total": 300.0})])])
    load_document(con, unit_doc, source_url="https://x/unit.pdf")
    assert summary(con, unit)[0][0] == Decimal("300.00")
    dept_doc = make_doc(unit, "d", scope="department", tables=[ebf([Row(code="207", values={"total": 900.0})])])
    load_document(con, dept_doc, source_url="https://x/dept.pdf")
    assert summary(con, unit)[0][0] == Decimal("900.00")
    assert con.execute("SELECT count(*) FROM unit_year_summary").fetchone() == (1,)


def test_gpb_table_when_no_expenditure_table(con):
    unit = "乌鲁木齐市水磨沟区文化体育局"
    doc = make_doc(unit, "e", tables=[ebf([Row(code="207", values={"total": 77.0, "basic": 70.0, "project": 7.0})],
                                          kind="gpb_expenditure_by_function")])
    load_document(con, doc, source_url="u")
    assert summary(con, unit)[0][:3] == (Decimal("77.00"), Decimal("70.00"), Decimal("7.00"))
    assert con.execute("SELECT table_kind, total_yuan FROM spend_by_function").fetchall() == [
        ("gpb_expenditure_by_function", Decimal("77.00"))]


def test_missing_total_falls_back_to_level1_rows(con):
    unit = "乌鲁木齐市水磨沟区文化体育局"
    rows = [Row(code="207", values={"total": 100.10}), Row(code="20701", values={"total": 100.10}),
            Row(code="208", values={"total": 0.25})]
    load_document(con, make_doc(unit, "f", tables=[ebf(rows)]), source_url="u")
    assert summary(con, unit)[0][0] == Decimal("100.35")
    assert con.execute("SELECT from_printed_total FROM table_amounts WHERE measure = 'total'").fetchone() == (False,)


def test_subordinate_unit_rows(con):
    dept = "乌鲁木齐市水磨沟区教育局"
    rows = [Row(code="205", unit="水磨沟区第一小学", values={"total": 10.0}),
            Row(code="205", unit="水磨沟区第二中学", values={"total": 32.5}),
            Row(code="20502", unit="水磨沟区第一小学", values={"total": 10.0}),
            Row(code="20502", unit="水磨沟区第二中学", values={"total": 32.5})]
    load_document(con, make_doc(dept, "g", tables=[ebf(rows)]), source_url="u")
    lines = con.execute("SELECT unit, doc_unit FROM budget_lines WHERE code = '205' ORDER BY unit").fetchall()
    assert lines == [("水磨沟区第一小学", dept), ("水磨沟区第二中学", dept)]
    assert con.execute("SELECT unit, code, total_yuan FROM spend_by_function ORDER BY code").fetchall() == [
        (dept, "205", Decimal("42.50")), (dept, "20502", Decimal("42.50"))]
    assert summary(con, dept)[0][0] == Decimal("42.50")
    parents = con.execute("SELECT unit, short_name, parent_unit FROM units WHERE parent_unit IS NOT NULL "
                          "ORDER BY unit").fetchall()
    assert parents == [("水磨沟区第一小学", "第一小学", dept), ("水磨沟区第二中学", "第二中学", dept)]


def test_unit_scope_report_of_a_listed_subordinate_gets_its_parent(con):
    dept = "乌鲁木齐市水磨沟区科学技术局"
    load_document(con, truth_document(TRUTHS["xj-smg-kjj-2025"]), source_url="u1")
    sub = make_doc("乌鲁木齐市水磨沟区科技信息服务中心", "h", scope="unit",
                   tables=[ebf([Row(code="206", values={"total": 5.0})])])
    load_document(con, sub, source_url="u2")
    got = con.execute("SELECT s.unit, u.parent_unit FROM unit_year_summary s JOIN units u USING (unit_id) "
                      "WHERE s.unit LIKE '%中心'").fetchall()
    assert got == [("乌鲁木齐市水磨沟区科技信息服务中心", dept)]


def test_unit_series_changes_between_years(tmp_path):
    path = tmp_path / "w.duckdb"
    build_warehouse(path)
    truth = copy.deepcopy(TRUTHS["xj-smg-wjw-2024"])
    truth["year"] = 2025
    t3 = truth["tables"]["t3_expenditure_by_function"]
    dropped = t3.pop()  # a 项 that has no 2025 budget
    t3[0]["total"] = round(t3[0]["total"] + 12.34, 2)
    con = connect(path)
    load_document(con, truth_document(truth), source_url=source_url("wjw-2025"))
    rows = con.execute("SELECT code, year, amount_yuan, prev_year, prev_amount_yuan, change_yuan, change_pct FROM unit_series "
                       "WHERE unit = '乌鲁木齐市水磨沟区卫生健康委员会' AND kind = 'budget' AND code IN (?, ?) "
                       "ORDER BY code, year", [t3[0]["code"], dropped["code"]]).fetchall()
    old0 = yuan(TRUTHS["xj-smg-wjw-2024"]["tables"]["t3_expenditure_by_function"][0]["total"], "万元")
    new0 = yuan(t3[0]["total"], "万元")
    pct = ((new0 - old0) * 100 / old0).quantize(Decimal("0.01"), ROUND_HALF_UP)
    gone = yuan(dropped["total"], "万元")
    assert rows == [
        (t3[0]["code"], 2024, old0, None, None, None, None),
        (t3[0]["code"], 2025, new0, 2024, old0, Decimal("123400.00"), pct),
        (dropped["code"], 2024, gone, None, None, None, None),
        (dropped["code"], 2025, Decimal("0"), 2024, gone, -gone, Decimal("-100.00")),
    ]
    con.close()


def test_unit_comparison_share_and_rank(tmp_path):
    path = tmp_path / "w.duckdb"
    build_warehouse(path)
    con = connect(path, read_only=True)
    rows = con.execute("SELECT unit, amount_yuan, share, rank, n_units FROM unit_comparison "
                       "WHERE year = 2025 AND code = '208' AND kind = 'budget' ORDER BY rank").fetchall()
    expected = []
    for key in ("xj-smg-kjj-2025", "xj-smg-jyj-2025", "xj-smg-zjj-2025"):
        t = TRUTHS[key]
        mu = t["money_unit"]
        amount = next(yuan(r["total"], mu) for r in t["tables"]["t3_expenditure_by_function"] if r["code"] == "208")
        total = sum((yuan(r["total"], mu) for r in t["tables"]["t3_expenditure_by_function"] if len(r["code"]) == 3),
                    Decimal(0))
        expected.append((t["unit"], amount, round(float(amount / total), 6)))
    expected.sort(key=lambda e: e[1], reverse=True)
    assert rows == [(u, a, s, i + 1, 3) for i, (u, a, s) in enumerate(expected)]
    con.close()


def test_final_accounts_have_their_own_summary(con):
    unit = "乌鲁木齐市水磨沟区文化体育局"
    load_document(con, make_doc(unit, "i", year=2024, kind="final_accounts",
                                tables=[ebf([Row(code="207", values={"total": 88.0})])]), source_url="u")
    assert summary(con, unit) == []
    assert summary(con, unit, "unit_year_final_summary")[0][0] == Decimal("88.00")


def test_classification_codes_reference_learned_and_conflicts(con):
    a = make_doc("乌鲁木齐市水磨沟区甲局", "j", tables=[ebf([Row(code="2060199", name="其他科学技术管理事务支出",
                                                                values={"total": 1.0}),
                                                            Row(code="206", name="科学技术支出", values={"total": 1.0})])])
    b = make_doc("乌鲁木齐市水磨沟区乙局", "k", tables=[ebf([Row(code="2060199", name="其他科技管理支出",
                                                                values={"total": 2.0})])])
    c = make_doc("乌鲁木齐市水磨沟区乙局", "l", year=2024,
                 tables=[ebf([Row(code="2060199", name="其他科学技术管理事务支出", values={"total": 2.0})])])
    for i, d in enumerate((a, b, c)):
        load_document(con, d, source_url=f"u{i}")
    got = dict((r[0], r[1:]) for r in con.execute(
        "SELECT code, name, level, parent_code, years_seen, name_source, name_conflict, conflict_years "
        "FROM classification_codes WHERE code IN ('206', '2060199', '301')").fetchall())
    assert got["206"] == ("科学技术支出", 1, None, [2025], "reference", False, None)
    assert got["2060199"][1:6] == (3, "20601", [2024, 2025], "learned", True)
    assert got["2060199"][6] == [2025]
    assert got["301"] == ("工资福利支出", 1, None, [], "reference", False, None)


def test_unit_names_and_aliases(con):
    assert normalise_name(" 水磨沟区 卫生健康委员会(本级)") == "水磨沟区卫生健康委员会（本级）"
    assert short_unit_name("乌鲁木齐市水磨沟区科学技术局", REGION) == "科学技术局"
    assert short_unit_name("新疆水磨沟区教育局", REGION) == "教育局"
    assert short_unit_name("水磨沟区", REGION) == "水磨沟区"
    long_name = make_doc("乌鲁木齐市水磨沟区科学技术局", "m", tables=[ebf([Row(code="206", values={"total": 1.0})])])
    short = make_doc("水磨沟区科学技术局", "n", year=2026, tables=[ebf([Row(code="206", values={"total": 2.0})])])
    load_document(con, short, source_url="u2")
    load_document(con, long_name, source_url="u1")
    assert con.execute("SELECT unit, year FROM unit_year_summary ORDER BY year").fetchall() == [
        ("乌鲁木齐市水磨沟区科学技术局", 2025), ("乌鲁木齐市水磨沟区科学技术局", 2026)]
    assert con.execute("SELECT count(*) FROM dim_units").fetchone() == (1,)


def test_region_learned_later_is_adopted(con):
    doc = make_doc("科学技术局", "o")  # a name without its place: the region is unknown at first
    doc.document.region = []
    load_document(con, doc, source_url="u1")
    assert con.execute("SELECT region, short_name FROM units").fetchall() == [("", "科学技术局")]
    load_document(con, make_doc("科学技术局", "p", year=2026), source_url="u2")
    assert con.execute("SELECT region, short_name FROM units").fetchall() == [
        ("新疆维吾尔自治区/乌鲁木齐市/水磨沟区", "科学技术局")]
