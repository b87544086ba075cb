"""Group lines of 采购 and 项目 tables (parsers/tables/depth.py): a category over its projects
over their items, each line the sum of the lines under it. Figures read off the pages of the
real fixtures; the warehouse keeps depth and group_line in budget_lines. And the text columns
printed beside a 采购表's items (采购目录, 数量, 采购组织形式) are the rows' attributes."""

from __future__ import annotations

from pathlib import Path

from parsers.tables.depth import assign_depths, depths_from_sums
from tests.real_pages import doc, table
from warehouse import connect, load_document

GAOYUAN = "jiangsu_gaoyuan_2017_yusuan.pdf"  # 政府采购预算表 p17-18: 品目大类 | 专项名称 | 经济科目 | 物品
SUZHOU = "suzhou_shenjiju_2026_yusuan_p1_p22.pdf"  # 政府采购支出表: 品目大类 | 专项名称 …
ZHENGXIE = "jiangsu_zhengxie-bgt_2017_yusuan_tables_p1_p12-13.pdf"  # projects named after committees
XIAN = "xian_sifaju_2026_yusuan_p1_p43-45.pdf"  # 专项业务经费支出表: every name at one place, four units
XIAN_UNIT = "xian_xuanchuanbu_2021_yusuan_p1_p37.pdf"  # a continuation page that starts with a unit's line
XIAN_CODED = "xian_sifaju_2026_yusuan_p1_p47-48.pdf"  # 采购表: 全额, the unit and its items under one code


def _lines(t) -> list[tuple[str, int | None, bool | None, float]]:
    return [(r.name, r.depth, r.group, r.values["total"]) for r in t.rows]


def test_category_project_and_item_lines_of_a_procurement_table() -> None:
    t = table(doc(GAOYUAN), "procurement")
    lines = _lines(t)
    assert lines[:4] == [("一、货物A", 1, True, 5_254_000.0), ("信息网络建设维护费", 2, True, 2_740_000.0),
                         ("PC服务器", 3, False, 240_000.0), (lines[3][0], 3, False, 2_500_000.0)]
    # 印刷费 printed in the 经济科目 column under a blank 专项名称: the projects' peer, not an item
    assert ("印刷费", 2, True, 80_000.0) in lines and ("印刷品", 3, False, 80_000.0) in lines
    assert ("二、工程B", 1, True, 5_000_000.0) in lines
    total = t.total["total"]
    assert total == 37_424_000.0  # 合计 3,742.40 万元, printed
    assert sum(v for _, d, _, v in lines if d == 1) == total
    assert sum(v for _, _, g, v in lines if not g) == total
    assert sum(v for *_, v in lines) > 2.5 * total  # what summing every line would give


def test_a_project_named_like_a_unit_is_a_project() -> None:
    """省政协全委会 | 会议费 | 140.20: a name ending like a unit's (会), but with its 经济科目 beside
    it: a project over its items, not a unit's subtotal (which would make the items that
    unit's and leave the hierarchy unconfirmed)."""
    t = table(doc(ZHENGXIE), "procurement")
    lines = _lines(t)
    assert ("省政协全委会", 2, True, 1_402_000.0) in lines and ("省政协常委会", 2, True, 124_000.0) in lines
    assert not [i for i in t.items if i.key == "unit_total"] and not [r for r in t.rows if r.unit]
    assert t.total["total"] == 12_712_200.0  # 合计 1,271.22 万元
    assert sum(v for _, _, g, v in lines if not g) == t.total["total"]
    assert t.verification == "verified"


def test_two_depths_of_a_suzhou_procurement_table() -> None:
    t = table(doc(SUZHOU), "procurement")
    assert _lines(t) == [("货物", 1, True, 55_000.0), ("定额", 2, False, 13_000.0), ("设备购置", 2, False, 42_000.0),
                         ("服务", 1, True, 1_830_000.0), ("物业管理费", 2, False, 130_000.0),
                         ("区域重点项目协审经费", 2, False, 1_700_000.0)]


def test_positions_the_sums_do_not_confirm_give_no_depths() -> None:
    t = table(doc(SUZHOU), "procurement").model_copy(deep=True)
    xs = [100.0 if r.group else 140.0 for r in t.rows]
    assert assign_depths(t.model_copy(deep=True), xs, 100.0)
    wrong = t.model_copy(deep=True)
    wrong.rows[2].values["total"] += 10_000.0  # 设备购置 read 5.20 for 4.20: 货物 is no longer its rows' sum
    assert not assign_depths(wrong, xs, 100.0)
    flat = t.model_copy(deep=True)  # every label at one place: no hierarchy printed
    assert not assign_depths(flat, [100.0] * len(flat.rows), 100.0)
    zeros = t.model_copy(deep=True)  # 0 = 0 + 0 proves nothing
    for r in zeros.rows:
        r.values = {k: 0.0 for k in r.values}
    zeros.total = {}
    assert not assign_depths(zeros, xs, 100.0)


def test_a_hierarchy_printed_without_any_sign_is_read_from_its_sums() -> None:
    t = table(doc(XIAN), "project_summary")
    lines = _lines(t)
    assert lines[:6] == [("通用项目", 1, True, 4_949_000.0), ("大型活动", 2, True, 402_300.0),
                         ("法治建设会议", 3, False, 200_900.0), ("司法行政业务培训", 3, False, 201_400.0),
                         ("大宗印刷项目", 2, True, 150_000.0), ("司法业务印刷", 3, False, 150_000.0)]
    assert ("专用项目", 1, True, 3_791_900.0) in lines
    assert t.total["total"] == 16_604_100.0  # 合计 16,604,100.00
    assert sum(v for _, _, g, v in lines if not g) == t.total["total"]
    units = {}
    for r in t.rows:
        if r.depth == 1:
            units[r.unit] = units.get(r.unit, 0.0) + r.values["total"]
    assert units["西安市法律援助中心"] == 5_421_600.0  # its printed subtotal

    wrong = t.model_copy(deep=True)
    for r in wrong.rows:
        r.depth = r.group = None
    wrong.rows[2].values["total"] = 209_000.0  # 法治建设会议 misread: 大型活动 no longer adds up
    assert not depths_from_sums(wrong, 0.01)
    assert all(r.depth is None for r in wrong.rows)


def test_a_wrapped_unit_line_is_the_subtotal_its_projects_add_up_to() -> None:
    """201002 中共西安市委理 / 论讲师团 800,000.00: the unit's name wrapped, its code on the lower
    line. A 讲师团 is a unit (tables.yaml unit_row_name), so the line is its subtotal, not a
    project, and the lines under it nest by their sums."""
    t = table(doc(XIAN_UNIT), "project_summary")
    assert [(i.label, i.key, i.values["total"]) for i in t.items] == [("中共西安市委理论讲师团", "unit_total", 800_000.0)]
    assert _lines(t) == [("专用项目", 1, True, 800_000.0), ("其他履职尽责专项业务费", 2, True, 800_000.0),
                         ("讲师团综合工作经费", 3, False, 600_000.0), ("市委中心组学习经费", 3, False, 200_000.0)]
    assert {r.unit for r in t.rows} == {"中共西安市委理论讲师团"}


def test_group_lines_that_print_the_same_code_as_their_items() -> None:
    t = table(doc(XIAN_CODED), "procurement")
    lines = [(r.code, *line) for r, line in zip(t.rows, _lines(t), strict=True)]
    assert lines[:3] == [("2040601", "全额", 1, True, 610_000.0), ("2040601", "西安市司法局", 2, True, 610_000.0),
                         ("2040601", "车辆运行维护费", 3, False, 100_000.0)]
    assert t.total["total"] == 7_863_200.0  # 合计 7,863,200.00
    assert sum(v for *_, g, v in lines if not g) == t.total["total"]
    assert sum(v for *_, v in lines) > 2.5 * t.total["total"]
    # the unit lines (154001 西安市司法局 …) name the unit of the items under them
    units = {r.unit for r in t.rows if r.depth == 3}
    assert units == {"西安市司法局", "西安市法律援助中心", "西安市强制隔离戒毒所", "西安市行政争议预防调处中心"}
    assert next(r for r in t.rows if r.name == "警用服装购置").unit == "西安市强制隔离戒毒所"
    assert all(r.unit is None for r in t.rows if r.name == "全额")


def test_budget_lines_keep_depth_and_group_line(tmp_path: Path) -> None:
    d = doc(GAOYUAN)
    con = connect(tmp_path / "warehouse.duckdb")
    load_document(con, d, source_url="file:///gaoyuan.pdf")
    leaves, everything, without_depth = con.execute(
        """SELECT sum(amount_yuan) FILTER (WHERE NOT group_line), sum(amount_yuan), count(*) FILTER (WHERE depth IS NULL)
           FROM budget_lines WHERE table_kind = 'procurement' AND measure = 'total'""").fetchone()
    printed = con.execute("SELECT count(*) FILTER (WHERE depth IS NOT NULL), count(*) FROM budget_lines "
                          "WHERE code_source = 'printed'").fetchone()
    con.close()
    assert float(leaves) == table(d, "procurement").total["total"]
    assert float(everything) > 2.5 * float(leaves)
    assert without_depth == 0
    assert printed[0] == 0 < printed[1]  # its classification tables: a code's level is the row's place


def test_procurement_items_keep_their_catalogue_quantity_and_method(tmp_path: Path) -> None:
    """The text columns of a 采购表 are the row's attributes, as printed: 西安 采购目录 | 规格型号 |
    数量 and its split 部门/政府 经济科目 类 | 款, 江苏 采购组织形式, where a name too long for its
    cell ran into the next one."""
    t = table(doc(XIAN_CODED), "procurement")
    item = next(r for r in t.rows if r.name == "车辆运行维护费")  # … 1 1 302 31 502 08 100,000.00
    assert item.attributes == {"catalogue": "C23120301车辆维修和保养服务", "spec": "1", "quantity": "1",
                               "econ_dept": "30231", "econ_gov": "50208"}
    assert item.alt_code is None  # its code is the function's; both economic ones are attributes
    printing = [r.attributes for r in t.rows if r.name == "大宗宣传品印刷项目"]
    assert printing == [{"catalogue": "C23090199其他印刷服务", "spec": "A4", "quantity": "25,000",
                         "econ_dept": "30227", "econ_gov": "50205"},
                        {"catalogue": "C23090199其他印刷服务", "spec": "袋", "quantity": "50,000",
                         "econ_dept": "30227", "econ_gov": "50205"}]
    gaoyuan = doc(GAOYUAN)
    rows = {r.name: r.attributes for r in table(gaoyuan, "procurement").rows}
    assert rows["PC服务器"] == {"method": "部门集中采购"}
    assert rows["其他计算机设备及软件"] == {"method": "政府集中采购"}  # '其他计算机设备及软件  政府集中采购'
    assert rows["信息网络建设维护费"] is None  # a group line prints no method
    con = connect(tmp_path / "warehouse.duckdb")
    load_document(con, gaoyuan, source_url="file:///gaoyuan.pdf")
    methods = con.execute("SELECT attributes->>'method', count(*) FROM budget_lines WHERE table_kind = 'procurement' "
                          "AND attributes->>'method' IS NOT NULL GROUP BY ALL ORDER BY 1").fetchall()
    items = con.execute("SELECT method, sum(amount_yuan) FROM procurement_items WHERE NOT group_line "
                        "GROUP BY ALL ORDER BY 1").fetchall()
    con.close()
    assert methods == [("分散自行组织", 21), ("政府集中采购", 2), ("部门集中采购", 4)]  # as often as p17-18 print them
    assert sum(v for _, v in items) == table(gaoyuan, "procurement").total["total"]  # 合计 3,742.40 万元
    assert dict(items)["政府集中采购"] == 12_500_000  # 250.00 + 1,000.00 万元
