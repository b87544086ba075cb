"""unit_year_summary fills every field the report prints or implies, says where each came
from and on which fund basis, and counts a report made of several files once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.comparable_support import build

FIXTURES = [
    "shenzhen_caizhengju_2026_yusuan_p1_p10_p16-26_p38.pdf",  # class rows printed by name only
    "jiangsu_gaoyuan_2017_yusuan.pdf",  # 301/302/303 rows, no 人员经费 column
    "beijing_caizhengju_2026_yusuan_text.pdf",  # narrative only, no tables
    "beijing_sifaju_2026_yusuan_text.pdf",  # 说明 ...
    "beijing_sifaju_2026_yusuan_tables.pdf",  # ... and 报表 of one report
    "central_guojia-xinfangju_2026_yusuan.pdf",
]
COLS = ("total_expenditure, basic_expenditure, project_expenditure, personnel, public, three_public_total, "
        "summary_basis, bases_mixed, total_expenditure_source, basic_expenditure_source, personnel_source, "
        "personnel_basis, public_basis, doc_ids, report_key")


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build(tmp_path_factory.mktemp("summary") / "w.duckdb", FIXTURES)
    yield c
    c.close()


def summary(con, unit: str) -> dict:
    cur = con.execute(f"SELECT {COLS} FROM unit_year_summary WHERE unit = ?", [unit])
    rows = cur.fetchall()
    assert len(rows) == 1, (unit, rows)
    return dict(zip([d[0] for d in cur.description], rows[0], strict=True))


def test_personnel_and_public_from_class_names(con):
    s = summary(con, "深圳市财政局")
    assert s["personnel"] + s["public"] == s["basic_expenditure"] == Decimal("110243100.00")
    assert s["personnel_source"].startswith("derived: personnel = 301 + 303")
    assert "since 2018" in s["personnel_source"]
    assert (s["summary_basis"], s["personnel_basis"], s["bases_mixed"]) == ("全部资金", "全部资金", False)


def test_pre_2018_classes_and_a_different_basis_is_flagged(con):
    s = summary(con, "江苏省高级人民法院")
    assert s["personnel"] is not None and s["public"] is not None
    assert "before 2018" in s["personnel_source"]
    # personnel/public come from the 一般公共预算 basic table while the total is all funds: said, not hidden
    assert (s["summary_basis"], s["personnel_basis"], s["bases_mixed"]) == ("全部资金", "一般公共预算", True)


def test_totals_from_the_narrative_when_no_tables(con):
    s = summary(con, "北京市财政局")
    assert s["total_expenditure"] == Decimal("441693600.00")
    assert s["total_expenditure_source"].startswith("narrative p.7")
    assert "44169.36万元" in s["total_expenditure_source"]
    assert s["three_public_total"] == Decimal("2238000.00")


def test_text_and_tables_files_are_one_report(con):
    s = summary(con, "北京市司法局")
    assert len(s["doc_ids"]) == 2
    assert s["total_expenditure_source"].startswith("table ")  # the 报表 file has the figure
    files = con.execute("SELECT n_files, roles FROM reports WHERE report_key = ?", [s["report_key"]]).fetchone()
    assert files[0] == 2 and set(files[1]) == {"说明", "报表"}
    assert con.execute("SELECT count(*) FROM unit_year_summary WHERE unit = '北京市司法局'").fetchone() == (1,)


def test_printed_figures_win_and_name_their_table(con):
    s = summary(con, "国家信访局")
    assert s["total_expenditure"] == s["basic_expenditure"] + s["project_expenditure"]
    assert s["basic_expenditure_source"].startswith("table expenditure_by_function")
    assert s["personnel_source"].startswith("table gpb_basic_by_econ")
