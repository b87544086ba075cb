"""Layouts of other regions' templates that no report of the corpus prints, drawn with
reportlab (tests/drawn_reports.py) and read by the real parser.

Titles name their kind: 部门 and 财政拨款 支出经济分类表 (all funds or appropriations by
economic class) are their own kinds, never the 支出总表 or a 基本支出表, and their rows keep
the economic codes and figures the page prints. A code column of bracketed ([201]) or spaced
(201 01 01) codes beside a name column is the code column, not the names. A 决算 reports its 决算数, not the budget beside it. A 三公
table printing only the vehicle parts has no vehicle_total of 0; one of item lines takes this
year's column, one of year lines the document's year's line.
"""

from __future__ import annotations

import pytest

from parsers import parse_pdf
from parsers.kinds import classify_title
from tests.drawn_reports import draw_report

BODY = [("", "合计", "500.00", "400.00", "100.00"),
        ("301", "工资福利支出", "300.00", "300.00", ""),
        ("30101", "基本工资", "200.00", "200.00", ""),
        ("30102", "津贴补贴", "100.00", "100.00", ""),
        ("302", "商品和服务支出", "200.00", "100.00", "100.00"),
        ("30201", "办公费", "200.00", "100.00", "100.00")]


@pytest.mark.parametrize(("title", "kind"), [
    ("2026年部门支出经济分类预算表", "expenditure_by_econ"),
    ("2026年部门预算支出经济分类汇总表", "expenditure_by_econ"),
    ("2026年财政拨款支出经济分类预算表", "fiscal_expenditure_by_econ"),
])
def test_an_economic_classification_table_is_its_own_kind(tmp_path, title, kind) -> None:
    doc = parse_pdf(draw_report(tmp_path / "econ.pdf", title, ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                                BODY))
    (t,) = [t for t in doc.tables if not t.empty]
    assert t.kind == kind and t.verification == "verified"
    assert t.total == {"total": 5_000_000.0, "basic": 4_000_000.0, "project": 1_000_000.0}
    rows = {r.code: r for r in t.rows}
    assert set(rows) == {"301", "30101", "30102", "302", "30201"}
    assert rows["30201"].scheme == "econ_dept" and rows["30201"].values == {"total": 2_000_000.0,
                                                                            "basic": 1_000_000.0,
                                                                            "project": 1_000_000.0}
    assert not [c for c in doc.checks if not c.passed]


@pytest.mark.parametrize(("title", "kind"), [
    ("财政拨款基本支出预算表（经济科目）", "fiscal_basic_by_econ"),  # 江苏/苏州: still the 基本支出 table
    ("部门基本支出经济分类表", "basic_by_econ"),
    ("部门综合预算基本支出明细表", "basic_by_econ"),
    ("一般公共预算支出表（按经济分类）", "gpb_expenditure_by_econ"),
    ("部门支出总表", "expenditure_by_function"),
    ("部门收支总表", "income_expenditure_summary"),
])
def test_economic_titles_leave_the_other_kinds_alone(title, kind) -> None:
    assert classify_title(title)["kind"] == kind


FUNCTION_ROWS = [("201", "一般公共服务支出", "300.00", "280.00", "20.00"),
                 ("20101", "人大事务", "300.00", "280.00", "20.00"),
                 ("2010101", "行政运行", "300.00", "280.00", "20.00"),
                 ("221", "住房保障支出", "100.00", "70.00", "30.00"),
                 ("22102", "住房改革支出", "100.00", "70.00", "30.00"),
                 ("2210201", "住房公积金", "100.00", "70.00", "30.00")]


@pytest.mark.parametrize("printed", [lambda c: f"[{c}]", lambda c: " ".join([c[:3]] + [c[i:i + 2] for i in range(3, len(c), 2)])],
                         ids=["bracketed", "spaced"])
def test_a_code_column_of_bracketed_or_spaced_codes_keeps_its_names(tmp_path, printed) -> None:
    body = [("", "合计", "400.00", "350.00", "50.00")] + [(printed(c), n, *v) for c, n, *v in FUNCTION_ROWS]
    doc = parse_pdf(draw_report(tmp_path / "codes.pdf", "2026年部门支出总表",
                                ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], body))
    (t,) = [t for t in doc.tables if not t.empty]
    assert t.verification == "verified"
    assert [(r.code, r.name, r.values["total"]) for r in t.rows] == [(c, n, float(v[0]) * 10000)
                                                                      for c, n, *v in FUNCTION_ROWS]


def test_a_final_accounts_table_reports_the_final_figures_not_the_budget(tmp_path) -> None:
    """A 决算 table printing 年初预算数 | 调整预算数 | 决算数: its `total` is the 决算数 (the budget
    columns are budget_*), in a 决算 report; in a 预算 report 本年预算数 is the total and 上年决算数
    last year's."""
    body = [("", "合计", "400.00", "350.00", "300.00"), ("201", "一般公共服务支出", "400.00", "350.00", "300.00")]
    final = parse_pdf(draw_report(tmp_path / "final.pdf", "2025年度一般公共预算财政拨款支出决算表",
                                  ["科目编码", "科目名称", "年初预算数", "调整预算数", "决算数"], body,
                                  cover="某市某区某局2025年度部门决算"))
    budget = parse_pdf(draw_report(tmp_path / "budget.pdf", "2026年一般公共预算支出表",
                                   ["科目编码", "科目名称", "上年决算数", "本年预算数", "增减额"], body))
    assert final.document.kind == "final_accounts"
    (t,) = [t for t in final.tables if not t.empty]
    assert t.total == {"budget_initial": 4_000_000.0, "budget_adjusted_budget": 3_500_000.0, "total": 3_000_000.0}
    (b,) = [t for t in budget.tables if not t.empty]
    assert b.total == {"prior_total": 4_000_000.0, "total": 3_500_000.0, "change": 3_000_000.0}


def test_a_three_public_table_printing_only_the_vehicle_parts(tmp_path) -> None:
    """合计 | 因公出国（境）费 | 公务用车购置费 | 公务用车运行维护费 | 公务接待费: no 公务用车购置及运行费
    column, so the table's totals hold no vehicle_total (a 0 there would be a figure the page
    does not print); the report's 三公 facts add the parts."""
    doc = parse_pdf(draw_report(tmp_path / "tp.pdf", "2026年一般公共预算“三公”经费支出表",
                                ["合计", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"],
                                [("35.00", "10.00", "15.00", "8.00", "2.00")], cols=[40, 160, 280, 400, 540, 680]))
    (t,) = [t for t in doc.tables if not t.empty]
    assert t.kind == "three_public" and t.verification == "verified"
    assert t.total == {"total": 350_000.0, "abroad": 100_000.0, "vehicle_purchase": 150_000.0,
                       "vehicle_operation": 80_000.0, "reception": 20_000.0}
    assert doc.facts["three_public"]["vehicle_total"] == 230_000.0
    assert not [c for c in doc.checks if not c.passed]


def test_a_three_public_table_of_item_lines_takes_this_years_column(tmp_path) -> None:
    """项目 | 上年预算数 | 本年预算数, one line per item: the items and totals are this year's
    figures, last year's kept beside them (the first column had been taken as the total)."""
    body = [("合计", "30.00", "35.00"), ("因公出国（境）费", "10.00", "10.00"), ("公务用车购置及运行费", "18.00", "23.00"),
            ("其中：公务用车购置费", "10.00", "15.00"), ("公务用车运行维护费", "8.00", "8.00"), ("公务接待费", "2.00", "2.00")]
    doc = parse_pdf(draw_report(tmp_path / "tp.pdf", "2026年一般公共预算“三公”经费支出表",
                                ["项目", "上年预算数", "本年预算数"], body, cols=[60, 300, 480, 660]))
    (t,) = [t for t in doc.tables if not t.empty]
    assert t.verification == "verified"
    assert t.total == {"total": 350_000.0, "abroad": 100_000.0, "vehicle_total": 230_000.0,
                       "vehicle_purchase": 150_000.0, "vehicle_operation": 80_000.0, "reception": 20_000.0}
    assert t.items[0].label == "合计" and t.items[0].values == {"prior_total": 300_000.0, "total": 350_000.0}


@pytest.mark.parametrize("labels", [("2025年预算数", "2026年预算数"), ("上年预算数", "本年预算数"),
                                    ("2026年预算数", "2025年预算数")], ids=["years", "shangnian", "this-year-first"])
def test_a_three_public_table_of_year_lines_takes_the_documents_year(tmp_path, labels) -> None:
    """项目 | 合计 | 因公出国… with one line per year: the 2026 budget's figures are the 2026 (本年)
    line's wherever it prints, the other line is prior_* (it had been taken as the total, or as
    a unit's item)."""
    figures = {"2025年预算数": ("30.00", "10.00", "10.00", "8.00", "2.00"),
               "上年预算数": ("30.00", "10.00", "10.00", "8.00", "2.00"),
               "2026年预算数": ("35.00", "10.00", "15.00", "8.00", "2.00"),
               "本年预算数": ("35.00", "10.00", "15.00", "8.00", "2.00")}
    doc = parse_pdf(draw_report(tmp_path / "tp.pdf", "2026年一般公共预算“三公”经费支出表",
                                ["项目", "合计", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"],
                                [(label, *figures[label]) for label in labels], cols=[40, 160, 260, 380, 500, 640, 780]))
    (t,) = [t for t in doc.tables if not t.empty]
    assert t.verification == "verified" and not t.items
    assert {k: v for k, v in t.total.items() if not k.startswith("prior_")} == {
        "total": 350_000.0, "abroad": 100_000.0, "vehicle_purchase": 150_000.0, "vehicle_operation": 80_000.0,
        "reception": 20_000.0}
    assert t.total["prior_total"] == 300_000.0 and t.total["prior_vehicle_purchase"] == 100_000.0
