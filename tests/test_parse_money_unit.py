"""A table's money unit printed in the forms reports use besides 单位：万元, and none at all.

Read wrongly, a 万元 table is stored 10,000× too small and still passes every check (its
figures are the page's), so each form is drawn here with reportlab (a real PDF read by the
real parser): a bare 万元 at the end of the 编制单位 line, 合计（万元） in the header, 单位：万
wrapped over two lines, no unit anywhere (flagged, naming the page), and no unit but a
sentence of the report quoting the total with its unit (tests/drawn_reports.py draws them);
and a unit line the prose contradicts (the total exactly 10,000× or 1/10,000 of the figure a
sentence states).
"""

from __future__ import annotations

import pytest

from parsers import parse_pdf
from parsers.normalise.money import find_table_unit
from tests.drawn_reports import draw_report

BODY = [("", "合计", "350.00", "250.00", "100.00"),
        ("201", "一般公共服务支出", "300.00", "200.00", "100.00"),
        ("20101", "人大事务", "300.00", "200.00", "100.00"),
        ("2010101", "行政运行", "300.00", "200.00", "100.00"),
        ("221", "住房保障支出", "50.00", "50.00", ""),
        ("22102", "住房改革支出", "50.00", "50.00", ""),
        ("2210201", "住房公积金", "50.00", "50.00", "")]


def _table(tmp_path, name: str, unit_lines: list[str], total_head: str = "合计", prose: str | None = None):
    path = draw_report(tmp_path / f"{name}.pdf", "2026年部门支出总表", ["科目编码", "科目名称", total_head, "基本支出",
                                                                      "项目支出"], BODY, unit_lines, prose)
    doc = parse_pdf(path)
    (t,) = [t for t in doc.tables if not t.empty]
    return doc, t


@pytest.mark.parametrize(("unit_lines", "total_head"), [
    (["万元"], "合计"),  # bare, at the end of the 编制单位 line
    ([], "合计（万元）"),  # in the header
    (["单位：万", "元"], "合计"),  # wrapped: the bare 元 left on the next line is not the unit
], ids=["bare", "header", "wrapped"])
def test_unit_printed_without_a_full_unit_line(tmp_path, unit_lines, total_head) -> None:
    doc, t = _table(tmp_path, "unit", unit_lines, total_head)
    assert t.money_unit == "万元"
    assert t.verification == "verified"
    assert t.total["total"] == 3_500_000.0
    assert next(r for r in t.rows if r.code == "201").values == {"total": 3_000_000.0, "basic": 2_000_000.0,
                                                                  "project": 1_000_000.0}


def test_no_unit_anywhere_is_flagged_with_its_page(tmp_path) -> None:
    doc, t = _table(tmp_path, "none", [])
    assert t.money_unit is None
    assert t.verification == "unverifiable"
    (check,) = [c for c in doc.checks if c.rule == "text layer: money unit printed"]
    assert not check.passed and check.page == 2 == t.pages[0]
    assert "page 2" in check.detail and "元" in check.detail


@pytest.mark.parametrize(("prose", "unit", "total"), [
    ("2026年支出预算350.00万元，比上年增加10.00万元。", "万元", 3_500_000.0),
    ("2026年支出预算350.00元。", "元", 350.0),
], ids=["wan", "yuan"])
def test_no_unit_printed_but_the_prose_quotes_the_total(tmp_path, prose, unit, total) -> None:
    doc, t = _table(tmp_path, "prose", [], prose=prose)
    assert t.money_unit == unit and t.total["total"] == total
    assert t.verification == "verified"
    (check,) = [c for c in doc.checks if c.rule == "money unit from the report's prose"]
    assert check.passed and f"read as {unit}" in check.detail and "page 2" in check.detail


def test_prose_quoting_another_figure_decides_nothing(tmp_path) -> None:
    doc, t = _table(tmp_path, "other", [], prose="2026年支出预算123.00万元。")
    assert t.money_unit is None and t.verification == "unverifiable"


@pytest.mark.parametrize(("text", "unit"), [
    ("编制单位：某局        万元", "万元"), ("（元）", "元"), ("本年预算数(万元)", "万元"), ("金额单位：元", "元"),
    ("单位：万", "万元"),
    ("支出 100.00 万元", None), ("支出 100.00  万元", None), ("共计100万元。", None),
    ("部门名称：某局  元", None), ("第一单元", None), ("人数（人）", None),
])
def test_find_table_unit(text, unit) -> None:
    assert find_table_unit(text) == unit


@pytest.mark.parametrize(("unit_line", "prose", "relation"), [
    ("单位：元", "2026年支出预算350.00万元。", "1/10,000 of"),  # a 万元 table whose unit line says 元
    ("单位：万元", "2026年支出预算350.00元。", "10,000×"),
], ids=["read-as-yuan", "read-as-wan"])
def test_a_unit_the_prose_contradicts_fails_on_the_tables_page(tmp_path, unit_line, prose, relation) -> None:
    doc, t = _table(tmp_path, "contradicted", [unit_line], prose=prose)
    assert t.verification == "mismatch"
    (check,) = [c for c in doc.checks if c.rule == "money unit agrees with the report's prose"]
    assert not check.passed and check.page == t.pages[0] == 3
    assert relation in check.detail and "page 2" in check.detail


def test_a_unit_the_prose_confirms_passes(tmp_path) -> None:
    doc, t = _table(tmp_path, "confirmed", ["单位：万元"], prose="2026年支出预算350.00万元。")
    assert t.verification == "verified"
    assert not [c for c in doc.checks if not c.passed]
