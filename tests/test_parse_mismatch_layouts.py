"""Tables the verifier called `mismatch` on the real corpus (issue 9), read right on real pages.

Each fixture is the cover plus the pages a table needs, cut from a report of
../shared/corpus/real with pypdfium2 (pages untouched). Expected figures are the printed ones,
in 元. Where the cause was a false alarm of the verifier, a deliberately wrong reading of the
same table must still fail.
"""

from __future__ import annotations

from pathlib import Path

from parsers.extract import TextLine
from parsers.printed import printed_records
from parsers.verify import verify_table
from tests.real_pages import doc, fresh, item, row, table, text_failures

PUTUO = Path(__file__).parents[1] / "samples" / "corpus" / "shanghai-putuo_qu-zhengfu-bgs_2025_yusuan_bumen.pdf"


def test_shanghai_unit_summary_reads_the_project_column_and_glued_cells():
    """上海 单位 收支总表: 合计 | 基本支出 (人员经费, 公用经费) | 项目支出. 项目支出 was read as a
    second `total` and dropped; '10,823,891.00 1,467,842.00' in one cell lost both figures."""
    t = table(doc("shanghai-putuo_shangwuwei_2025_yusuan_danwei_p1_p9.pdf"), "income_expenditure_summary")
    assert row(t, "201").values == {"total": 21601733.0, "personnel": 10823891.0, "public": 1467842.0,
                                    "project": 9310000.0}
    assert row(t, "206").values == {"total": 17200000.0, "project": 17200000.0}
    assert row(t, "208").values == {"total": 3808085.0, "personnel": 3565865.0, "public": 242220.0}
    assert (t.total["expenditure_personnel"], t.total["expenditure_public"], t.total["expenditure_project"]) == (
        18120593.0, 1710062.0, 351684000.0)
    assert t.verification == "verified"
    z = table(doc("shanghai_zuanshi-jiaoyi_2026_yusuan_danwei_p1_p7.pdf"), "income_expenditure_summary")
    assert row(z, "201").values == {"total": 6783536.0, "personnel": 2545183.0, "public": 3968353.0,
                                    "project": 270000.0}
    assert z.total["expenditure_project"] == 270000.0 and z.verification == "verified"


def test_a_summary_without_its_project_column_still_fails():
    t, loc, layouts = fresh("shanghai_zuanshi-jiaoyi_2026_yusuan_danwei_p1_p7.pdf", "income_expenditure_summary")
    for held in [r.values for r in t.rows] + [i.values for i in t.items] + [t.total]:
        for k in [k for k in held if k.endswith("project")]:
            del held[k]
    bad = text_failures(verify_table(t, loc, layouts))
    assert t.verification == "mismatch"
    assert any("一般公共服务支出" in c.detail and "270,000" in c.detail and c.page == 2 for c in bad)


def test_a_figure_wrapped_onto_a_second_line_is_one_figure():
    """杭州交通 支出总表: '576,171.1' over '1' (the cell too narrow): the page prints 576,171.11."""
    t = table(doc("hangzhou_jiaotong_2026_yusuan_p1_p26-27.pdf"), "expenditure_by_function")
    assert t.total["project"] == 5761711100.0
    assert row(t, "214").values["project"] == 1167806200.0  # 交通运输支出 116,780.62
    assert t.verification == "verified"
    t, loc, layouts = fresh("hangzhou_jiaotong_2026_yusuan_p1_p26-27.pdf", "expenditure_by_function")
    t.total["project"] = 5761710000.0  # 576,171.00: a wrong reading of the wrapped figure
    assert any(c.page == 2 and "合计" in c.detail for c in text_failures(verify_table(t, loc, layouts)))
    assert t.verification == "mismatch"
    s = table(doc("shenzhen_shuiwuju_2026_yusuan_p1_p115.pdf"), "project_summary")
    assert item(s, "深圳市水务局").values["total"] == 8116699700.0  # 811,669.9 | 7
    assert s.verification == "verified"


def test_wrapped_figure_lines_join_in_printed_records():
    lines = [TextLine(40, 430, 640, 440, "", [(44.0, 64.0, "合计"), (400.0, 450.0, "665,964.37"),
                                              (588.4, 632.3, "576,171.1")]),
             TextLine(620, 418, 640, 428, "", [(628.4, 633.4, "1")])]
    (rec,) = printed_records(lines, 1, integers=False, ruled=[(415.0, 445.0)])
    assert [f for _, _, f in rec.figures] == ["665,964.37", "576,171.11"] and rec.label == "合计"


def test_continuation_page_under_a_wrapped_name_keeps_the_columns():
    """杭州交通 收入总表 p25: the page starts with '中心' (the last name of p24 wrapped over the
    break) and one unit's line; the columns are p24's, not a new header of '中心'."""
    t = table(doc("hangzhou_jiaotong_2026_yusuan_p1_p24-25.pdf"), "revenue_summary")
    last = item(t, "杭州市交通运输发展保障中心")
    assert last.page == 3
    assert last.values == {"total": 182868100.0, "revenue_year": 182446000.0, "general_public_budget": 28543300.0,
                           "gov_fund": 110000000.0, "business_income": 43902700.0, "carryover": 422100.0,
                           "prior_general_public_budget": 422100.0}
    assert t.verification == "verified"


def test_xian_four_block_summary_recut_by_its_figure_columns():
    """西安财政局 收支总表 (stream): each block's figure sat in the next block's label cell."""
    d = doc("xian_caizhengju_2026_yusuan_p1_p25_p28.pdf")
    t = table(d, "income_expenditure_summary")
    assert row(t, "201").values == {"total": 103518755.35}
    assert row(t, "213").values == {"total": 66000000.0}
    assert item(t, "1、机关工资福利支出").values == {"total": 59775528.93}
    assert item(t, "2、专项业务经费支出").values == {"total": 224204336.0}
    assert item(t, "(1)一般公共预算拨款").values == {"total": 303312586.17}
    assert t.verification == "verified"
    f = table(d, "fiscal_appropriation_summary")
    assert row(f, "222").values == {"total": 104160000.0}
    assert f.verification == "verified"


def test_a_recut_summary_with_a_wrong_figure_still_fails():
    t, loc, layouts = fresh("xian_caizhengju_2026_yusuan_p1_p25_p28.pdf", "income_expenditure_summary")
    for held in [r for r in t.rows if r.code == "205"] + [i for i in t.items if i.code == "205"]:
        held.values["total"] = 5465000.0
    bad = text_failures(verify_table(t, loc, layouts))
    assert any("教育支出" in c.detail and "5,465,892.73" in c.detail for c in bad)


def test_lattice_summary_figure_in_the_next_label_cell():
    """西安医保局 收支总表: '0.00 4、公共安全支出' in one cell while the line prints 0.00 twice;
    each word goes to the column it stands in (the nearer '0.00')."""
    t = table(doc("xian_yibaoju_2022_yusuan_p1_p29.pdf"), "income_expenditure_summary")
    assert item(t, "1、人员经费和公用经费支出").values == {"total": 23111876.62}
    assert item(t, "2、专项业务经费支出").values == {"total": 457432345.0}
    assert row(t, "210").values == {"total": 475907032.42}
    assert t.verification == "verified"


def test_guangzhou_summary_and_wrapped_unit_names():
    d = doc("guangzhou_minzhengju_2026_yusuan_p1_p6-8_p27.pdf")
    s = table(d, "income_expenditure_summary")
    assert item(s, "一、预算拨款").values == {"total": 1966915600.0}
    assert item(s, "三、事业收入").values == {"total": 629160700.0}
    assert s.verification == "verified"
    r = table(d, "revenue_summary")  # '广州市家庭经济核对和养老服务指导中' | figures | '心'
    assert item(r, "广州市家庭经济核对和养老服务指导中心").values["total"] == 28365100.0
    assert item(r, "广州市慈善服务中心（广州市慈善医院）").values["other_income"] == 63000.0
    assert r.verification == "verified"
    p = table(d, "project_summary")
    assert item(p, "机构综合业务运行经费").values["total"] == 1789100.0
    assert p.verification == "verified"
    b = table(doc("guangzhou_kejiju_2026_yusuan_p1_p22.pdf"), "basic_by_econ")
    assert (row(b, "301").unit, row(b, "301").values["total"]) == ("广州市科学技术局（本级）", 52398100.0)
    assert item(b, "广州市科学技术局（本级）").values["total"] == 72425000.0
    assert b.verification == "verified"


def test_three_public_items_over_budget_and_actual_columns():
    """上海 决算 三公表: 因公出国（境）费 over 预算数 | 决算数: the item is the header above."""
    t = table(doc("shanghai-putuo_guihua-ziyuan_2024_juesuan_p1_p17.pdf"), "three_public")
    assert (t.total["total"], t.total["budget_total"]) == (3900.0, 28500.0)
    assert (t.total["reception"], t.total["budget_reception"]) == (3900.0, 28500.0)
    assert t.total["abroad"] == 0.0 and t.verification == "verified"


def test_foshan_summary_expenditure_side_of_the_first_page():
    t = table(doc("foshan_guidao-jiaotongju_2019_juesuan_p1_p5-7.pdf"), "income_expenditure_summary")
    assert (item(t, "八、社会保障和就业支出").values, item(t, "八、社会保障和就业支出").page) == ({"total": 762300.0}, 2)
    assert t.verification == "verified"


def test_kuan_printed_without_its_zero_is_a_code_part():
    """上海万里 基本支出表 prints '301  2  津贴补贴' for 30102."""
    t = table(doc("shanghai-putuo_wanli-jiedao_2024_yusuan_bumen.pdf"), "gpb_basic_by_econ")
    assert row(t, "30102").values["total"] == 16623810.0 and t.verification == "verified"
    t, loc, layouts = fresh("shanghai-putuo_wanli-jiedao_2024_yusuan_bumen.pdf", "gpb_basic_by_econ", 2024)
    row(t, "30107").values["total"] = 11447000.0
    assert any("30107" in c.detail for c in text_failures(verify_table(t, loc, layouts)))


def test_change_columns_the_table_keeps_are_checked():
    """国家信访局 一般公共预算支出表 keeps 增减额 (change): its figures are compared, not skipped;
    '2025 年执行数' in the header is a date, not a figure."""
    t = table(doc("central_guojia-xinfangju_2026_yusuan.pdf"), "gpb_expenditure_by_function")
    assert row(t, "2014001").values["change"] == 2711400.0 and t.verification == "verified"
    t, loc, layouts = fresh("central_guojia-xinfangju_2026_yusuan.pdf", "gpb_expenditure_by_function")
    row(t, "2014001").values["change"] = 0.0
    assert any("2014001" in c.detail for c in text_failures(verify_table(t, loc, layouts)))


def test_recut_summary_keeps_its_line_number_columns():
    """西安卫健委 决算 公开01表 (stream) prints 项目 | 行次 | 决算数 per side: the line numbers
    stay a column of their own, out of the labels, and the 总计 lines are the totals."""
    t = table(doc("xian_weijianwei_2022_juesuan_p1_p146.pdf"), "income_expenditure_summary")
    assert item(t, "一、一般公共预算财政拨款收入").values == {"total": 2960309100.0}
    assert item(t, "九、卫生健康支出").values == {"total": 14748332300.0}
    assert (t.total["revenue_total"], t.total["expenditure_total"]) == (20150942200.0, 20749620100.0)
    assert t.verification == "verified"


def test_three_public_of_units_by_year_over_pages():
    """深圳水务局 表9: per unit a 2025 年 | 2026 年 | 增减变化金额 line, per item three fund
    columns, four pages. The department's 2026 line is the table's figures; each other unit
    is one item a page; the lines of pages after the first are read too."""
    t = table(doc("shenzhen_shuiwuju_2026_yusuan_p1_p180-183.pdf"), "three_public")
    assert t.pages == [2, 3, 4, 5]
    want = {"total": 4691700.0, "abroad": 712000.0, "reception": 140700.0, "vehicle_total": 3839000.0,
            "vehicle_purchase": 1260000.0, "vehicle_operation": 2579000.0}
    assert {k: t.total[k] for k in want} == want  # 469.17 | 71.20 | 14.07 | 383.90 | 126.00 | 257.90 万元
    assert (t.total["prior_total"], t.total["change"], t.total["vehicle_operation_change"]) == (
        3826400.0, 865300.0, -395000.0)
    unit = item(t, "深圳市水务工程质量安全监督站")
    assert (unit.values["prior_total"], unit.values["total"], unit.values["change"]) == (294000.0, 268000.0, -26000.0)
    assert "深圳市观澜河流域管理中心" in {i.label for i in t.items if i.page == 5}
    assert t.verification == "verified"
    t, loc, layouts = fresh("shenzhen_shuiwuju_2026_yusuan_p1_p180-183.pdf", "three_public")
    item(t, "深圳市水务工程质量安全监督站").values["total"] = 26800.0
    assert t.verification is None
    assert any("26.80" in c.detail and c.page == 2 for c in text_failures(verify_table(t, loc, layouts)))


def test_header_word_printed_in_a_lower_cell_of_another_column():
    """苏州审计局 政府采购表: '一般公共' is printed over '预算资金' but the reader put it in the
    merged 采购组织形式 cell: the column is 一般公共预算资金, and its figures are read."""
    t = table(doc("suzhou_shenjiju_2026_yusuan_p1_p22.pdf"), "procurement")
    assert t.columns["general_public_budget"] == "资金来源/一般公共预算资金"
    assert t.total["general_public_budget"] == 1885000.0
    r = next(r for r in t.rows if r.name == "区域重点项目协审经费")
    assert (r.values["general_public_budget"], r.values["total"]) == (1700000.0, 1700000.0)
    assert t.verification == "verified"


def test_split_code_parts_beside_the_lei_column():
    """西安财政局 采购表: 类 | 款 项 (one header cell over two columns) | … | 部门经济分类 类 | 款.
    The 款 and 项 are the parts printed beside the 类 (201 06 02 = 2010602), not the 款 of
    the economic classification further right (201 + 15 was read as 20115)."""
    t = table(doc(CAIZHENG_PROCUREMENT), "procurement")
    assert [r.values["total"] for r in t.rows if r.code == "2010602"][:4] == [17378500.0, 16778500.0, 495000.0,
                                                                              230000.0]
    assert not [r for r in t.rows if r.code in ("20102", "20115", "20127")]


CAIZHENG_PROCUREMENT = "xian_caizhengju_2026_yusuan_p1_p41-42.pdf"


def test_a_code_part_read_into_the_unit_number_cell_and_a_continuation_page():
    """西安财政局 采购表: '201 06 | 02 　　116001 | 西安市财政局': the 项 was read into the 单位编码
    cell, and the unit's line got code 20106. Its continuation page repeats the header with
    two more cells (部门预算, 说明) and was read as no table at all."""
    d = doc(CAIZHENG_PROCUREMENT)
    t = table(d, "procurement")
    unit = next(r for r in t.rows if r.name == "西安市财政局")
    assert (unit.code, unit.values) == ("2010602", {"total": 16778500.0})
    assert t.pages == [2, 3]
    assert [(r.code, r.values["total"]) for r in t.rows if r.page == 3][:4] == [
        ("2010608", 27130000.0), ("2010608", 27130000.0), ("2010608", 130000.0), ("2010608", 27000000.0)]
    assert next(r for r in t.rows if r.name == "西安市财政干部教育培训中心").code == "2050803"
    assert t.verification == "verified" and not [c for c in d.checks if not c.passed]
    t, loc, layouts = fresh(CAIZHENG_PROCUREMENT, "procurement")
    next(r for r in t.rows if r.name == "西安市财政局").code = "20106"  # the earlier misreading
    bad = text_failures(verify_table(t, loc, layouts))
    assert [c.page for c in bad] == [2] and "16,778,500.00" in bad[0].detail and t.verification == "mismatch"


def test_procurement_lines_with_unit_numbers_quantities_and_economic_codes():
    """西安医保局 2022 采购表 (元, lattice): the 单位编码 (245, 245001) between code and name, the
    数量 (15000, 210: shaped like codes) and the 部门经济 | 政府经济 类 款 columns before the
    amount are no figures and no records of their own; p44 does not repeat the header, so its
    数量 column is left out as on p43."""
    t = table(doc("xian_yibaoju_2022_yusuan_p1_p43-44.pdf"), "procurement")
    assert t.total == {"total": 21069995.0} and t.pages == [2, 3]
    assert [(r.code, r.name, r.values["total"]) for r in t.rows[:3]] == [
        ("2101505", "西安市医疗保障局", 21069995.0), ("2101505", "西安市医疗保障局", 7499000.0),
        ("2101505", "DRGs国家试点工作经费", 150000.0)]
    assert [r.values["total"] for r in t.rows if r.name == "业务档案专项费"] == [600000.0, 1222000.0]
    assert t.verification == "verified"
    s = table(doc("xian_sifaju_2026_yusuan_p1_p47-48.pdf"), "procurement")
    assert [(r.code, r.name, r.values["total"]) for r in s.rows[:3]] == [
        ("2040601", "全额", 610000.0), ("2040601", "西安市司法局", 610000.0), ("2040601", "车辆运行维护费", 100000.0)]
    # p48 repeats the header, but its text flavor joins 类 款 项 ('类款项' against p47's '款项'):
    # the header is the same by most of its cells, so the page continues the table
    assert [(r.code, r.name, r.values["total"]) for r in s.rows if r.page == 3] == [
        ("2040899", "全额", 557200.0), ("2040899", "西安市强制隔离戒毒所", 557200.0), ("2040899", "警用服装购置", 557200.0)]
    assert s.verification == "verified"
    assert not [c for c in doc("xian_sifaju_2026_yusuan_p1_p47-48.pdf").checks if not c.passed]
    t, loc, layouts = fresh("xian_yibaoju_2022_yusuan_p1_p43-44.pdf", "procurement", year=2022)
    r = next(r for r in t.rows if r.page == 3 and r.values["total"] == 75000.0)
    r.values["total"] = 15.0  # the 数量 read as the amount
    bad = text_failures(verify_table(t, loc, layouts))
    assert any(c.page == 3 and "75000" in c.detail for c in bad) and t.verification == "mismatch"


def test_procurement_strings_written_over_several_ruled_cells():
    """西安人社局 2020 采购表: the PDF writes '208 01 09  242001' and '302  99  502' as single
    strings over four ruled cells; each word goes to the cell it stands in. The 部门经济科目
    | 类 column (302), a column of codes, is no name column: 采购项目 is."""
    t = table(doc("xian_renshe_2020_yusuan_p1_p46-48.pdf"), "procurement")
    assert t.total == {"total": 30250700.0} and t.pages == [2, 3, 4]
    assert [(r.code, r.name, r.values["total"]) for r in t.rows[:3]] == [
        ("2080109", "全民参保计划工作经费", 280000.0), ("2080102", "全市行政事业单位退休管理、工资福利工作经费", 85000.0),
        ("2080108", "全市人力资源和社会保障信息一体化建设日常运行维护费", 216000.0)]
    assert not t.items and t.verification == "verified"


def test_a_coded_row_under_another_name_fails():
    """Coded rows are matched by code and by name: a row holding the printed figures under a
    name the line does not print fails, with page and name (a row named by the next column's
    code, '302'; a wrapped name that kept only its last character, '出')."""
    t, loc, layouts = fresh("xian_renshe_2020_yusuan_p1_p46-48.pdf", "procurement", year=2020)
    t.rows[0].name = "302"
    bad = text_failures(verify_table(t, loc, layouts))
    assert [c.page for c in bad] == [2] and "'302'" in bad[0].detail and "全民参保计划工作经费" in bad[0].detail
    guangzhou = "guangzhou_kejiju_2026_yusuan_p1_p9-10_p13-17.pdf"
    assert row(table(doc(guangzhou), "expenditure_by_function"), "2080506").name == "机关事业单位职业年金缴费支出"
    t, loc, layouts = fresh(guangzhou, "expenditure_by_function")
    row(t, "2080506").name = "出"
    bad = text_failures(verify_table(t, loc, layouts))
    assert [c.page for c in bad] == [3] and "机关事业单位职业年金缴费支" in bad[0].detail


def test_revenue_columns_under_a_header_word_moved_to_its_cell():
    """上海规划资源 收入决算表: 本年收入合计 | 财政拨款收入 | 上级补助收入 … printed in one merged
    header cell: 财政拨款收入's figures were read as 上级补助收入."""
    t = table(doc("shanghai-putuo_guihua-ziyuan_2024_juesuan_p1_p8.pdf"), "revenue_summary")
    assert t.total == {"total": 97465000.0, "fiscal": 97465000.0}
    assert (row(t, "208").values["fiscal"], row(t, "208").values["superior_subsidy"]) == (7547500.0, 0.0)
    assert t.verification == "verified"


def test_two_adjacent_figures_in_one_cell_go_to_the_columns_they_stand_in():
    """上海普陀 收入总表: '82,096,797.42 82,096,797.42' (合计 | 财政拨款收入, printed edge to edge)
    came in the 财政拨款收入 cell; split, the first went to 事业收入 and 合计 read 0. Both figures
    equal, so the text-layer check could not tell the columns apart: the page's word positions can."""
    t = table(doc(PUTUO), "revenue_summary")
    for code, figure in (("201", 82_096_797.42), ("2010301", 12_029_501.84), ("2010350", 3_807_295.58)):
        r = row(t, code)
        assert (r.values["total"], r.values["fiscal"], r.values["business_income"]) == (figure, figure, 0.0), code


def test_a_shift_between_columns_of_equal_figures_fails_by_the_pages_rules():
    """The old misreading of that table, made again: 合计 0 and its figure under 事业收入. As a
    set every line still matches; the ruled column each figure ends in does not."""
    t, loc, pages = fresh(PUTUO, "revenue_summary", 2025)
    assert not text_failures(verify_table(t, loc, pages)) and t.verification == "verified"
    r = row(t, "20103")
    r.values["business_income"], r.values["total"] = r.values["total"], 0.0
    bad = text_failures(verify_table(t, loc, pages))
    assert t.verification == "mismatch"
    assert [(c.page, "20103" in c.detail, "printed under the total column" in c.detail) for c in bad] == [
        (9, True, True)]
