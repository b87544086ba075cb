"""Real reports, one per template family, with figures read off the printed page.

Each fixture is a real disclosure from ../shared/corpus/real (some cut to the pages a family
needs, with pypdfium2; the pages are untouched). The expected figures are the printed ones,
converted to 元.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tests.parse_cache import cached_parse

REAL = Path(__file__).parent / "fixtures" / "real"
SAMPLES = Path(__file__).parent.parent / "samples" / "corpus"


@cache
def doc(name: str):
    path = REAL / name if (REAL / name).exists() else SAMPLES / name
    return cached_parse(path)


def table(d, kind, n=0):
    found = [t for t in d.tables if t.kind == kind and not t.empty]
    assert len(found) > n, f"no {kind} table in {d.source.file}"
    return found[n]


def rows(t, code):
    return [r for r in t.rows if r.code == code]


def row(t, code):
    found = rows(t, code)
    assert found, f"{code} not in {t.kind}"
    return found[0]


def test_jiangsu_word_report_joined_codes_titles_only():
    d = doc("jiangsu_gaoyuan_2017_yusuan.pdf")
    assert (d.status, d.document.unit, d.document.year, d.document.kind, d.document.scope) == \
        ("parsed", "江苏省高级人民法院", 2017, "budget", "department")
    assert row(table(d, "fiscal_expenditure_by_function"), "2040501").values["total"] == 117_869_200.00
    assert row(table(d, "gpb_basic_by_econ"), "30311").values["total"] == 10_291_500.00
    tp = table(d, "three_public").total  # 合计 2,599.37 includes 会议费 and 培训费; 三公 is 670.12
    assert (tp["total"], tp["abroad"], tp["reception"], tp["vehicle_total"]) == (
        6_701_200.00, 1_800_000.00, 1_857_200.00, 3_044_000.00)
    assert tp["grand_total"] == 25_993_700.00


def test_jiangsu_rotated_a3_tables():
    d = doc("jiangsu_shengwei-bgt_2019_yusuan_tables.pdf")
    assert d.status == "parsed" and d.document.unit == "中共江苏省委办公厅"
    t = table(d, "fiscal_expenditure_by_function")
    assert row(t, "2013101").values["total"] == 93_701_200.00
    assert t.total["total"] == 276_642_200.00


def test_shanghai_yuan_split_codes_and_dropped_leading_zero():
    d = doc("shanghai-putuo_wanli-jiedao_2024_yusuan_bumen.pdf")
    exp = table(d, "expenditure_by_function")
    assert exp.money_unit == "元"
    assert row(exp, "2010507").values == {"total": 257_700.0, "basic": 0.0, "project": 257_700.0}
    r = row(exp, "212")
    assert (r.level, r.name, r.values["total"], r.values["basic"], r.values["project"]) == (
        1, "城乡社区支出", 119_385_303.0, 76_609_000.0, 42_776_303.0)
    econ = table(d, "gpb_basic_by_econ")  # printed "301  2  津贴补贴"
    assert row(econ, "30102").values["personnel"] == 16_623_810.0
    assert row(econ, "30102").name == "津贴补贴"
    tp = table(d, "three_public")
    assert tp.money_unit == "万元" and tp.total["reception"] == 13_500.0
    assert table(d, "revenue_summary").total["total"] == 156_211_123.0


def test_shanghai_final_accounts_unlabelled_side_by_side_blocks():
    d = doc("shanghai-putuo_shehui-gongzuobu_2024_juesuan.pdf")
    assert (d.document.kind, d.document.year) == ("final_accounts", 2024)
    econ = table(d, "gpb_basic_by_econ")
    assert row(econ, "30101").values["personnel"] == 141_200.0
    assert row(econ, "30201").values["public"] == 37_800.0
    assert (econ.total["personnel"], econ.total["public"]) == (953_600.0, 102_300.0)
    r = row(table(d, "expenditure_by_function"), "201")
    assert (r.values["total"], r.values["basic"], r.values["project"]) == (2_648_700.0, 626_300.0, 2_022_400.0)


def test_beijing_six_decimals_titles_inside_frame_two_code_columns():
    d = doc("beijing_sifaju_2026_yusuan_tables.pdf")
    assert [t.label for t in d.tables[:3]] == ["预算01表", "预算02表", "预算03表"]
    econ = table(d, "gpb_basic_by_econ")
    first = econ.rows[0]
    assert (first.code, first.alt_code, first.name, first.values["total"]) == ("30101", "50101", "基本工资",
                                                                             21_645_288.00)
    assert table(d, "expenditure_by_function").total["total"] == 299_562_654.60
    assert table(d, "three_public").total["total"] == 1_021_097.87


def test_central_prior_year_and_change_columns():
    d = doc("central_guojia-xinfangju_2026_yusuan.pdf")
    r = row(table(d, "gpb_expenditure_by_function"), "2014001")
    assert (r.values["total"], r.values["prior_total"], r.values["change"]) == (
        58_262_100.0, 55_550_700.0, 2_711_400.0)
    assert row(table(d, "expenditure_by_function"), "2014001").values["total"] == 62_862_100.0
    tp = d.facts["three_public"]
    assert (tp["total"], tp["abroad"], tp["vehicle_operation"], tp["reception"]) == (
        1_126_100.0, 685_000.0, 386_000.0, 55_100.0)
    targets = [t for t in d.facts["performance_targets"] if t["project"] == "信息化运行维护"]
    assert targets[0] == {**targets[0], "level1": "成本指标", "level2": "经济成本指标", "level3": "项目总成本",
                          "value": "≤2134.87 万元", "weight": 20.0}
    assert {t["project"] for t in d.facts["performance_targets"]} == {"信息化运行维护", "信访综合保障经费", "信访业务培训"}
    # the 国有资本 table has a title but no grid: an empty table, recognised as such
    soe = [t for t in d.tables if t.kind == "soe_capital_expenditure"]
    assert soe and soe[0].empty


def test_changsha_split_function_codes_number_row():
    d = doc("changsha_xinfangju_2026_yusuan.pdf")
    econ = table(d, "gpb_basic_by_econ")
    assert row(econ, "30101").values["personnel"] == 2_250_800.0
    assert (econ.total["total"], econ.total["personnel"], econ.total["public"]) == (
        15_179_500.0, 13_949_700.0, 1_229_800.0)
    assert row(table(d, "gpb_expenditure_by_function"), "2014001").values["total"] == 15_179_500.0


def test_changsha_target_values_keep_their_printed_unit():
    """长沙 绩效目标表: 指标值 | 计量单位 in two ruled columns, the page line '3000 人次' written
    over both: each word goes to its column and the value keeps its unit."""
    d = doc("changsha_xinfangju_2026_yusuan.pdf")
    value = {t["level3"]: t["value"] for t in d.facts["performance_targets"] if t["table"] == "unit"}
    assert value["接待走访群众数量"] == "3000 人次"
    assert value["转办申诉求决类信访事项总量"] == "10000 件"
    assert value["不发生信访极端恶性事件"] == "0 次"


def test_shenzhen_rows_land_under_their_subordinate_unit():
    d = doc("shenzhen_shuiwuju_2026_yusuan_p1-3_p58-66.pdf")
    exp = table(d, "expenditure_by_function")
    r = row(exp, "2130301")
    assert r.unit == "深圳市水务局（本级）"
    assert (r.values["total"], r.values["basic"], r.values["procurement"]) == (42_605_200.0, 42_605_200.0,
                                                                               3_594_500.0)
    units = {i.label: i.values["total"] for i in exp.items if i.key == "unit_total"}
    assert units["深圳市水务局（本级）"] == 1_782_142_800.0
    assert len(units) >= 2
    assert exp.total["total"] == 8_578_087_600.0


def test_xian_unruled_tables_two_econ_codes_continuation_page():
    d = doc("xian_caizhengju_2026_yusuan_p1-4_p24-36.pdf")
    econ = table(d, "gpb_expenditure_by_econ")
    assert econ.flavor in ("stream", "network")
    assert [(r.alt_code, r.values["total"]) for r in rows(econ, "30101")] == [
        ("50101", 14_755_885.20), ("50501", 2_572_088.40)]
    gpb = table(d, "gpb_expenditure_by_function")
    assert len(gpb.pages) == 2  # 储备粮油 rows sit on the continuation page
    assert row(gpb, "2220401").values["project"] == 39_240_000.0


def test_foshan_final_accounts_labelled_blocks_over_pages():
    d = doc("foshan_guidao-jiaotongju_2019_juesuan_p1-3_p15-21.pdf")
    econ = table(d, "gpb_basic_by_econ")
    assert row(econ, "30101").values["personnel"] == 3_017_900.0
    assert row(econ, "31002").values["public"] == 25_400.0
    assert (econ.total["personnel"], econ.total["public"]) == (6_492_000.0, 971_900.0)


def test_narrative_only_file_has_facts_and_no_tables():
    d = doc("beijing_caizhengju_2026_yusuan_text.pdf")
    assert d.status == "parsed" and not any(t.rows for t in d.tables)
    assert d.document.unit == "北京市财政局" and d.facts["three_public"]["total"] > 0


def test_identities_hold_on_the_real_fixtures():
    names = ["jiangsu_gaoyuan_2017_yusuan.pdf", "shanghai-putuo_wanli-jiedao_2024_yusuan_bumen.pdf",
             "central_guojia-xinfangju_2026_yusuan.pdf", "changsha_xinfangju_2026_yusuan.pdf",
             "foshan_guidao-jiaotongju_2019_juesuan_p1-3_p15-21.pdf"]
    checks = [c for n in names for c in doc(n).checks if not c.rule.startswith("text layer")]  # arithmetic only
    assert len(checks) > 500
    failed = [c for c in checks if not c.passed]
    assert len(failed) <= 0.01 * len(checks), failed[:5]


@pytest.mark.parametrize("name,status", [
    ("changsha_shichang-jianguan_2022_jixiao-pingjia_SCANNED.pdf", "no_text_layer"),
    ("jinan_yingjiju_yishenqing-liuchengtu_NOT-BUDGET.pdf", "not_a_budget"),
])
def test_negatives(name, status):
    d = doc(name)
    assert d.status == status
    assert d.errors and name in d.errors[0]
    assert not d.tables


def test_yantai_split_department_and_government_economic_codes():
    """烟台 基本支出情况表 (p19-20): 部门经济 类 | 款 beside 政府经济 类 | 款, split both. Each row's
    code is the 部门 one, `alt_code` the 政府 one (as for a joined second code column), both also in
    `attributes`; pairs as the page prints them, in print order (the 505 block repeats 301 …)."""
    t = table(doc("yantai_caizhengju_2026_yusuan_p1_p19-20.pdf"), "gpb_basic_by_econ")
    printed = ("301 501, 30101 50101, 30102 50101, 30103 50101, 30108 50102, 30109 50102, 30110 50102, "
               "30111 50102, 30112 50102, 30113 50103, 301 505, 30101 50501, 30102 50501, 30103 50501, "
               "30107 50501, 30108 50501, 30109 50501, 30110 50501, 30111 50501, 30112 50501, 30113 50501, "
               "302 502, 30201 50201, 30212 50207, 30217 50206, 30227 50205, 30228 50201, 30239 50201, "
               "30299 50299, 302 505, 30227 50502, 30228 50502, 30239 50502, 30299 50502, 303 509, "
               "30302 50905, 30305 50901, 30309 50901, 30399 50999")
    assert [f"{r.code} {r.alt_code}" for r in t.rows] == printed.split(", ")
    assert all(r.attributes == {"econ_gov": r.alt_code} for r in t.rows)
    assert t.verification == "verified"
    assert next(r for r in t.rows if r.code == "30113").values["personnel"] == 2_955_700.0  # 295.57 万元
