"""A row of a ruled table is whole: blank figures make it a row without figures, not a piece
of another row's name, and a row whose name cell is blank is named by what else it prints.

江苏 收入预算总表 (tests/fixtures/real, 江苏高院 2018 p9-15 cut; page 3 is p10): 一般公共预算资金 |
小计 | 33,172.15, then 公共财政拨款(补助)资金 | 33,172.15 under a blank first cell, then twelve
ruled rows of sources with no figure. The twelve were glued into one name that took the
33,172.15: '专项收入政府性基金财政专户管理资金…' = 33,172.15万元, a revenue line the page does not
print, and verification passed it (the figure is printed, under another name). Verification
now also asks that an uncoded line's figures be held under its own name.
"""

from __future__ import annotations

from tests.real_pages import doc, table

CUT = "jiangsu_gaoyuan_2018_yusuan_p1_p9-15.pdf"
SHENGWEI = "jiangsu_shengwei-bgt_2017_yusuan_tables_p1_p12-13.pdf"


def test_blank_ruled_rows_are_not_glued_into_a_name():
    t = table(doc(CUT), "revenue_summary")
    assert [(r.name, r.values) for r in t.rows] == [("一般公共预算资金", {"total": 331721500.0}),
                                                    ("公共财政拨款(补助)资金", {"total": 331721500.0})]
    assert t.total == {"total": 331721500.0}
    assert t.verification == "verified"


def test_a_ruled_row_with_a_blank_name_cell_is_named_by_its_other_cells():
    """政府采购预算表: 大类 | 专项名称 | 经济科目 | 采购物品名称 | 组织形式 | 总计; item rows leave
    the first columns blank."""
    t = table(doc(CUT), "procurement")
    named = [(r.name, r.values["total"]) for r in t.rows if r.page == 8]
    assert ("其他计算机设备及软件", 6760000.0) in named
    assert ("修缮工程", 5300000.0) in named and ("修缮工程", 90000.0) in named
    assert not [r for r in t.rows if not r.name]


def test_figures_read_under_another_name_fail_verification():
    """A row that took another line's figures under its own name (what the glued names did):
    every figure is printed, so only the name shows it."""
    from parsers.verify import verify_table
    from tests.real_pages import fresh, text_failures

    t, loc, layouts = fresh(SHENGWEI, "procurement", year=2017)
    row = next(r for r in t.rows if r.name == "复印纸")
    row.name = "家具用具"
    failed = [c for c in text_failures(verify_table(t, loc, layouts)) if c.page == 2]
    assert [c.detail.split(": ")[1] for c in failed] == ["'复印纸政府集中采购 0.64'"]
    assert "read only under other names ('家具用具')" in failed[0].detail and t.verification == "mismatch"


def test_a_merged_label_continuing_from_the_page_before_does_not_name_the_first_row():
    """江苏省委办公厅 2017 政府采购预算表, p13 (page 3 of the cut): the first line prints
    便携式计算机（20万以下） | 政府集中采购 | 3.50. The 专项名称 | 经济科目 of the block continuing
    from p12 (机要及电子政务业务费 | 办公设备购置) is printed lower, in the middle of its merged
    cells, but the reader gave it to the page's first row, which was named by it. A ruled row is
    named by a text printed inside its own rules."""
    from parsers.verify import verify_table
    from tests.real_pages import fresh, text_failures

    d = doc(SHENGWEI)
    t = table(d, "procurement")
    assert [(r.name, r.values["total"]) for r in t.rows if r.page == 3][:2] == [
        ("便携式计算机（20万以下）", 35000.0), ("路由器", 30000.0)]
    assert t.verification == "verified" and not [c for c in d.checks if not c.passed]
    t, loc, layouts = fresh(SHENGWEI, "procurement", year=2017)
    next(r for r in t.rows if r.page == 3).name = "机要及电子政务业务费"  # the earlier reading
    bad = text_failures(verify_table(t, loc, layouts))
    assert [c.page for c in bad] == [3] and "便携式计算机" in bad[0].detail and t.verification == "mismatch"


def test_a_name_wrapped_inside_its_ruled_cell_keeps_it():
    """西安宣传部 2021 专项业务经费支出表: '城' over '市宣传经费' inside the row's rules, beside a
    项目简介 of several lines: the name is printed in the row (as characters over two lines), so
    it stays the row's name, not the description's."""
    t = table(doc("xian_xuanchuanbu_2021_yusuan_p1_p34-35.pdf"), "project_summary")
    assert [r.name for r in t.rows if r.values.get("total") == 17000000.0] == ["城市宣传经费"]
    assert "全市创建全国文明城市经费" in [r.name for r in t.rows]
    assert t.verification == "verified"
