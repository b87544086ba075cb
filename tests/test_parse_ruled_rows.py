"""A row of a ruled table is whole: blank figures make it a row without figures, not a piece
of another row's name, and a row whose name cell is blank is named by what else it prints.

江苏 收入预算总表 (tests/fixtures/real, 江苏高院 2018 p9-15 cut; page 3 is p10): 一般公共预算资金 |
小计 | 33,172.15, then 公共财政拨款(补助)资金 | 33,172.15 under a blank first cell, then twelve
ruled rows of sources with no figure. The twelve were glued into one name that took the
33,172.15: '专项收入政府性基金财政专户管理资金…' = 33,172.15万元, a revenue line the page does not
print, and verification passed it (the figure is printed, under another name).
"""

from __future__ import annotations

from tests.real_pages import doc, table

CUT = "jiangsu_gaoyuan_2018_yusuan_p1_p9-15.pdf"


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
