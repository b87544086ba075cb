"""Header and row layouts the first readings got wrong without a failed check, on real pages.

Each fixture is the cover plus the pages a layout needs, cut from a real report of
../shared/corpus/real with pypdfium2 (pages untouched). Expected figures are the printed
ones, in 元.
"""

from __future__ import annotations

from pathlib import Path

from parsers.verify import verify_table
from tests.real_pages import doc, fresh, row, table


def test_header_labels_in_one_cell_go_back_to_their_columns():
    """西安人社 2020 表5: 人员经费支出 | 公用经费支出 | 专项业务经费支出 printed side by side, read
    by the ruled reader as one header cell; the figures belong to three columns."""
    t = table(doc("xian_renshe_2020_yusuan_p1_p33.pdf"), "gpb_expenditure_by_function")
    assert t.columns == {"total": "合计", "personnel": "人员经费支出", "public": "公用经费支出",
                         "project": "专项业务经费支出"}
    assert row(t, "201").values == {"total": 565200.0, "personnel": 0.0, "public": 0.0, "project": 565200.0}
    assert row(t, "2080111").values == {"total": 12267900.0, "personnel": 9489200.0, "public": 298200.0,
                                        "project": 2480500.0}
    assert t.total["project"] == 1731526100.0
    assert t.verification == "verified"  # 3082 and 7 printed without decimals are figures, not codes


def test_continuation_page_with_two_coded_rows_is_read():
    """广州科技局 表7 ends on a page of its own header, [312] and [31299]: two lines are enough."""
    t = table(doc("guangzhou_kejiju_2026_yusuan_p1_p17-18.pdf"), "gpb_projects")
    assert t.pages == [2, 3]
    assert (row(t, "312").page, row(t, "312").values) == (3, {"total": 419396300.0})
    assert row(t, "31299").values == {"total": 419396300.0}
    assert row(t, "31299").name == "其他对企业补助"  # the 注：无。 under it is the table's note
    assert t.verification == "verified"


def test_item_code_cell_carrying_the_name():
    """上海钻石交易所 收入预算总表: the 项 cell holds '01 行政运行' and the name cell is empty."""
    t = table(doc("shanghai_zuanshi-jiaoyi_2026_yusuan_danwei_p1_p8.pdf"), "revenue_summary")
    r = row(t, "2011301")
    assert (r.name, r.values["total"], r.values["fiscal"]) == ("行政运行", 6513536.0, 6513536.0)
    assert row(t, "2210203").name == "购房补贴"
    assert t.verification == "verified"


def test_unit_numbers_are_not_classification_codes():
    """西安宣传部 收入总表 / 支出总表 list units by number (201, 201001): unit items, never a
    function class 201; a header the vocabulary does not know keeps its figures under its
    column letter instead of a measure guessed from its place."""
    d = doc("xian_xuanchuanbu_2021_yusuan_p1_p19-20.pdf")
    for kind in ("revenue_summary", "expenditure_by_function"):
        t = table(d, kind)
        assert not t.rows
        units = {i.label: i.values["total"] for i in t.items if i.key == "unit_total"}
        assert units["中共西安市委理论讲师团"] == 3398717.5
        assert t.verification == "verified"
    t = table(d, "expenditure_by_function")
    assert t.columns["general_public_budget_col_e"] == "公共预算拨款/其中：专项资金列入部门预算的项目"
    assert t.columns["other_col_j"] == "上年实户资金余额"
    assert "basic" not in t.columns and "project" not in t.columns


KEYS = ("total", "reception", "vehicle_total", "vehicle_operation")


def test_three_public_in_yuan_integers_and_period_blocks():
    """西安医保局 2022 三公 (元 integers such as 25000 look like codes) and 西安司法局 2026 (上年 |
    当年 | 增减变化情况 centred over their blocks, 小计 without its group): this year's figures."""
    tp = doc("xian_yibaoju_2022_yusuan_p1_p45.pdf").facts["three_public"]
    assert [tp[k] for k in KEYS] == [35000.0, 10000.0, 25000.0, 25000.0]
    t = table(doc("xian_yibaoju_2022_yusuan_p1_p45.pdf"), "three_public")
    assert (t.total["prior_total"], t.total["reception_change"], t.total["grand_total"]) == (551800.0, -20400.0, 627300.0)
    assert t.verification == "verified"  # a 元 table of bare integers: 30400 after figures is one
    tp = doc("xian_sifaju_2026_yusuan_p1_p49.pdf").facts["three_public"]
    assert [tp[k] for k in KEYS] == [801081.5, 30081.5, 771000.0, 771000.0]
    t = table(doc("xian_sifaju_2026_yusuan_p1_p49.pdf"), "three_public")
    assert (t.total["prior_total"], t.total["grand_total"], t.total["training_change"]) == \
        (2305070.5, 1697281.5, -689189.0)


def test_final_accounts_three_public_reads_the_actual_line():
    """西安卫健委 2022 决算 公开09表 prints a 预算数 line, then the 决算数 line: the actual is the
    second, the first is kept as budget_*."""
    d = doc("xian_weijianwei_2022_juesuan_p1_p161.pdf")
    tp = d.facts["three_public"]
    assert [tp[k] for k in KEYS] == [5875500.0, 1100.0, 5874400.0, 4509600.0]
    t = table(d, "three_public")
    assert (t.total["budget_total"], t.total["budget_reception"], t.total["training"]) == (5934600.0, 18600.0, 27957800.0)


def test_three_public_lines_per_unit_are_unit_items():
    """杭州交通局 表7 and 西安医保局 表13 print the 合计 line, then one line per unit: the 合计 is
    the table's total, each unit's line an item of that unit (its number dropped)."""
    t = table(doc("hangzhou_jiaotong_2026_yusuan_p1_p34.pdf"), "three_public")
    units = {i.label: i.values for i in t.items if i.key == "unit_total"}
    assert units["杭州市交通运输行政执法队"]["total"] == 6840000.0
    assert units["杭州市交通运输行政执法队"]["vehicle_operation"] == 3300000.0
    assert units["杭州技师学院（杭州交通高级技工学校）"]["reception"] == 31000.0
    assert (t.total["total"], t.verification) == (8732000.0, "verified")
    t = table(doc("xian_yibaoju_2022_yusuan_p1_p45.pdf"), "three_public")
    units = {i.label: i.values for i in t.items if i.key == "unit_total"}
    assert units["西安市医疗保障经办服务中心"]["prior_total"] == 91800.0
    assert units["西安市医疗保障经办服务中心"]["reception_change"] == -20400.0


def test_a_wrong_bare_integer_fails_with_page_and_row():
    """The figures printed without decimals are checked like any other: a changed one fails."""
    t, loc, layouts = fresh("xian_renshe_2020_yusuan_p1_p33.pdf", "gpb_expenditure_by_function", 2020)
    assert not [c for c in verify_table(t, loc, layouts) if not c.passed]
    r = next(r for r in t.rows if r.code == "2011007")  # 博士后日常经费 7 0 0 7 (万元)
    r.values["project"] = 80000.0
    bad = [c for c in verify_table(t, loc, layouts) if not c.passed and c.rule == "text layer: printed line read"]
    assert t.verification == "mismatch"
    assert any(c.page == 2 and "2011007" in c.detail for c in bad)
    t, loc, layouts = fresh("xian_yibaoju_2022_yusuan_p1_p45.pdf", "three_public", 2022)
    t.total["reception"] = 20000.0
    bad = [c for c in verify_table(t, loc, layouts) if not c.passed]
    assert t.verification == "mismatch" and any(c.page == 2 for c in bad)


def test_a_line_running_over_a_rule_goes_back_to_its_columns():
    """上海普陀司法局 收支总表: '96,282,213.44  一、公共安全支出' is one text line over the rule
    between the revenue figure and the expenditure label; the ruled reader put it in one cell."""
    t = table(doc("shanghai-putuo_sifaju_2026_yusuan_bumen_p1_p10.pdf"), "income_expenditure_summary")
    spent = {i.label: i.values["total"] for i in t.items if i.side == "expenditure"}
    assert spent["一、公共安全支出"] == 87267272.44 and spent["四、住房保障支出"] == 4521559.0
    got = {i.label: i.values["total"] for i in t.items if i.side == "revenue"}
    assert got["1.一般公共预算"] == 96282213.44
    assert (t.total["expenditure_total"], t.verification) == (96282213.44, "verified")


def test_three_blocks_of_a_summary_read_as_merged_cells():
    """江苏省委办公厅 收支预算总表 (收入 | 支出 by function | 支出 by use): the ruled reader took
    each block's name and figure for one merged cell; each goes back to its column."""
    d = doc(Path(__file__).parents[1] / "samples" / "corpus" / "jiangsu_shengwei-bgt_2019_yusuan_tables.pdf")
    t = table(d, "income_expenditure_summary")
    spent = {i.label: i.values.get("total") for i in t.items if i.side == "expenditure"}
    assert spent["一、一般公共服务支出"] == 223955000.0 and spent["十八、住房保障支出"] == 38940900.0
    assert spent["一、基本支出"] == 117006300.0 and spent["二、项目支出"] == 130253800.0
    assert t.verification == "verified"
    other = next(i for i in t.items if i.label == "二十一、其他支出")
    assert (other.code, other.key) == ("229", None)  # a function class, not the measure econ_399


def test_a_class_named_without_its_enumeration_comma():
    from parsers.tables.summary import class_of

    assert [class_of(x) for x in ("四、教育支出", "四教育支出", "一般公共服务支出", "十一城乡社区支出", "四、本年支出")] == \
        ["205", "205", "201", "212", None]
