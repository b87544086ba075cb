"""Units are comparable: canonical names, what a report consolidates, category, region."""

from __future__ import annotations

import pytest

from parsers.meta import canonical_unit, consolidation
from tests.comparable_support import build
from warehouse.categories import category_of
from warehouse.regions import region_of

FIXTURES = [
    "shenzhen_caizhengju_2026_yusuan_p1_p10_p16-26_p38.pdf",  # 深圳市财政局（本级）
    "xian_caizhengju_2026_yusuan_p1-4_p24-36.pdf",  # 西安市财政局（汇总）
    "central_guojia-xinfangju_2026_yusuan.pdf",
    "changsha_xinfangju_2026_yusuan.pdf",
    "jinan_yingjiju_yishenqing-liuchengtu_NOT-BUDGET.pdf",
    "shenzhen_shuiwuju_2026_yusuan_p1-3_p58-66.pdf",  # rows under subordinate units
    "beijing_caizhengju_2026_yusuan_text.pdf",  # lists the 12 units it consolidates
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build(tmp_path_factory.mktemp("units") / "w.duckdb", FIXTURES)
    yield c
    c.close()


@pytest.mark.parametrize(("printed", "canonical", "marker"), [
    ("西安市信访局（汇总）", "西安市信访局", "汇总"),
    ("深圳市财政局(本级)", "深圳市财政局", "本级"),
    (".长春市信访局（本级）", "长春市信访局", "本级"),
    ("125001西安市财政局", "西安市财政局", None),
    ("对个人和家庭的补助", None, None),
    ("其他资本性支出", None, None),
    ("上海市财务会计综合管理事务中心（上海市财政科学研究所）", "上海市财务会计综合管理事务中心（上海市财政科学研究所）", None),
])
def test_canonical_unit_names(printed, canonical, marker):
    assert canonical_unit(printed) == (canonical, marker)


def test_consolidation_from_marker_title_and_scope():
    assert consolidation("深圳市财政局（本级）", "2026年深圳市财政局（本级）部门预算", "department", []) == ("department_own", 1)
    assert consolidation("西安市司法局（汇总）", None, "department", ["a", "b", "c"]) == ("department_total", 4)
    # the count the report states wins over the length of a list the parser may have cut short
    assert consolidation("西安市卫生健康委员会", None, "department", ["a", "b"], 28) == ("department_total", 28)
    assert consolidation("上海市普陀区司法局", "上海市普陀区2026年区级单位预算", "unit", None) == ("unit", 1)
    assert consolidation("某局", "某局2026年部门预算", "department", None) == ("department_total", None)
    assert consolidation("某局", None, None, None) == (None, None)


@pytest.mark.parametrize(("name", "path", "code"), [
    ("长春市信访局", ["吉林省", "长春市"], "220100"),
    ("吉林市财政局", ["吉林省", "吉林市"], "220200"),
    ("福州经济技术开发区财政局", ["福建省", "福州市"], "350100"),
    ("上海市普陀区人民政府万里街道办事处", ["上海市", "普陀区"], "310107"),
    ("中共江苏省委办公厅", ["江苏省"], "320000"),
    ("昆山市财政局", ["江苏省", "苏州市", "昆山市"], "320583"),
    ("国家信访局", ["中央"], None),
    ("朝阳区司法局", [], None),  # two 朝阳区 in China: nothing is invented
])
def test_region_from_divisions_reference(name, path, code):
    r = region_of(name)
    assert (r.path, r.code) == (path, code)


@pytest.mark.parametrize(("name", "category"), [
    ("上海市信访办公室", "信访"), ("长沙市信访局", "信访"), ("国家信访局", "信访"),
    ("上海市普陀区人民政府办公室", "政府办公厅"), ("惠州市人民政府民政局", "民政"),
    ("中共江苏省委办公厅", "党委办公厅"), ("江苏省人大常委会办公厅", "人大"), ("审计署", "审计"),
])
def test_unit_category_from_reference(name, category):
    assert category_of(name) == category


def test_units_loaded_from_real_reports(con):
    docs = dict((u, (p, c, n)) for u, p, c, n in con.execute(
        "SELECT unit, unit_printed, consolidation, units_consolidated FROM document_versions "
        "WHERE status = 'parsed'").fetchall())
    assert docs["深圳市财政局"] == ("深圳市财政局（本级）", "department_own", 1)
    assert docs["西安市财政局"] == ("西安市财政局（汇总）", "department_total", None)  # these pages list no units
    assert docs["北京市财政局"] == ("北京市财政局", "department_total", 13)  # the department and its 12 units
    units = {u: (cat, region, code) for u, cat, region, code in con.execute(
        "SELECT unit, category, region, region_code FROM units").fetchall()}
    assert units["国家信访局"] == ("信访", "中央", None)
    assert units["长沙市信访局"] == ("信访", "湖南省/长沙市", "430100")
    assert units["深圳市财政局"] == ("财政", "广东省/深圳市", "440300")
    assert units["西安市财政局"][1:] == ("陕西省/西安市", "610100")


def test_no_unit_from_row_labels_or_non_budget_files(con):
    names = [u for (u,) in con.execute("SELECT unit FROM units").fetchall()]
    assert not [n for n in names if canonical_unit(n)[0] != n]
    assert con.execute("SELECT count(*) FROM document_versions WHERE status = 'not_a_budget' "
                       "AND unit_id IS NOT NULL").fetchone() == (0,)
    # the 本级 row of 深圳市水务局's table is the department itself, not another unit
    assert "深圳市水务局（本级）" not in names and "深圳市水务局" in names


def test_budget_lines_carry_report_and_row_unit_ids(con):
    rows = con.execute("SELECT DISTINCT b.row_unit, u.unit, b.doc_unit_id = b.unit_id FROM budget_lines b "
                       "JOIN units u ON u.unit_id = b.row_unit_id WHERE b.doc_unit = '深圳市水务局'").fetchall()
    assert all(same for _, _, same in rows)
    subordinate = [(r, u) for r, u, _ in rows if r and u != "深圳市水务局"]
    assert subordinate and all(r.startswith(u) or u in r for r, u in subordinate)
    own = [u for r, u, _ in rows if r is None or r.startswith("深圳市水务局（")]
    assert own and set(own) == {"深圳市水务局"}
