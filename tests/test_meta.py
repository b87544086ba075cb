"""Document metadata (unit, year, kind, scope, region) and the budget-document classifier.

Fixtures are page texts saved from real and synthetic reports (tests/fixtures/text/README.md),
so these tests run without the corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.meta import detect_meta, detect_region, find_title, is_budget_document, normalise_unit

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def pages_of(name: str) -> list[str]:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").split("\f")


# fixture, unit, year, kind, scope, region
CASES = [
    ("xj-smg-kjj-2025", "乌鲁木齐市水磨沟区科学技术局", 2025, "budget", "unit",
     ["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"]),
    ("xj-smg-jyj-2025", "乌鲁木齐市水磨沟区教育局", 2025, "budget", "unit",
     ["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"]),
    ("xj-smg-wjw-2024", "乌鲁木齐市水磨沟区卫生健康委员会", 2024, "budget", "unit",
     ["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"]),
    ("xj-smg-zjj-2025", "乌鲁木齐市水磨沟区住房和城乡建设局", 2025, "budget", "unit",
     ["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"]),
    ("jiangsu_renda-bgt_2017_yusuan", "江苏省人大常委会办公厅", 2017, "budget", "department", ["江苏省"]),
    # the cover says 江苏省委办公厅: a party organ's official short name carries 中共
    ("jiangsu_shengwei-bgt_2019_yusuan_text", "中共江苏省委办公厅", 2019, "budget", "department", ["江苏省"]),
    # tables only: 部门：中国共产党江苏省委员会办公厅, year from "2017年政府采购预算表"
    ("jiangsu_shengwei-bgt_2017_yusuan_tables", "中共江苏省委办公厅", 2017, "budget", "department", ["江苏省"]),
    # blank cover page: the unit is the organisation the prose names most
    ("jiangsu_zhengxie-bgt_2019_yusuan_text", "江苏省政协办公厅", 2019, "budget", "department", ["江苏省"]),
    ("shanghai-putuo_sifaju_2026_yusuan_bumen", "上海市普陀区司法局", 2026, "budget", "department",
     ["上海市", "普陀区"]),
    ("shanghai-putuo_sifaju_2026_yusuan_danwei", "上海市普陀区司法局", 2026, "budget", "unit",
     ["上海市", "普陀区"]),
    ("shanghai-putuo_guihua-ziyuan_2024_juesuan", "上海市普陀区规划和自然资源局", 2024, "final_accounts",
     "department", ["上海市", "普陀区"]),
    ("beijing_sifaju_2026_yusuan_text", "北京市司法局", 2026, "budget", "department", ["北京市"]),
    # tables attachment: "部门名称 北京市司法局" and "（2026年度）" on a performance-target page
    ("beijing_sifaju_2026_yusuan_tables", "北京市司法局", 2026, "budget", "department", ["北京市"]),
    ("central_guojia-xinfangju_2026_yusuan", "国家信访局", 2026, "budget", "department", []),
    # published 二〇二五年七月, about 2024
    ("central_guojia-xinfangju_2024_juesuan", "国家信访局", 2024, "final_accounts", "department", []),
    ("shenzhen_caizhengju_2026_yusuan", "深圳市财政局（本级）", 2026, "budget", "department", ["广东省", "深圳市"]),
    ("xian_caizhengju_2026_yusuan", "西安市财政局（汇总）", 2026, "budget", "department", ["陕西省", "西安市"]),
    ("xian_xuanchuanbu_2021_yusuan", "中共西安市委宣传部", 2021, "budget", "department", ["陕西省", "西安市"]),
    ("chongqing_shizhengfu-bgt_2026_yusuan", "重庆市人民政府办公厅", 2026, "budget", "department", ["重庆市"]),
    ("changsha_xinfangju_2026_yusuan", "长沙市信访局", 2026, "budget", "department", ["湖南省", "长沙市"]),
]


@pytest.mark.parametrize(("name", "unit", "year", "kind", "scope", "region"), CASES, ids=[c[0] for c in CASES])
def test_detect_meta(name: str, unit: str, year: int, kind: str, scope: str, region: list[str]) -> None:
    meta = detect_meta(pages_of(name))
    assert meta["unit"] == unit
    assert meta["year"] == year
    assert meta["kind"] == kind
    assert meta["scope"] == scope
    assert meta["region"] == region


def test_title_is_the_cover_line() -> None:
    assert detect_meta(pages_of("central_guojia-xinfangju_2024_juesuan"))["title"] == "国家信访局2024年度部门决算"
    assert detect_meta(pages_of("shenzhen_caizhengju_2026_yusuan"))["title"] == "2026年深圳市财政局（本级）部门预算"
    assert detect_meta(pages_of("xj-smg-kjj-2025"))["title"] is None


def test_title_split_over_lines() -> None:
    """pypdfium2 breaks cover titles anywhere, even inside 预算."""
    title = find_title(["2018 年度江苏省高级\n人民法院预算公开\n2018 年 2 月 24 日"])
    assert title is not None and title["text"] == "2018年度江苏省高级人民法院预算公开"
    meta = detect_meta(["- 1 -\n上海市普陀区规划和自然\n资源局 \n2024 年度部门决算 "])
    assert (meta["unit"], meta["year"], meta["kind"]) == ("上海市普陀区规划和自然资源局", 2024, "final_accounts")


def test_cover_label_wins_over_a_region_only_title() -> None:
    meta = detect_meta(["上海市2026年市级单位预算\n预算单位：上海市财务会计综合管理事务中心（上海市财政科学研究所）"])
    assert meta["unit"] == "上海市财务会计综合管理事务中心（上海市财政科学研究所）"
    assert meta["scope"] == "unit"
    assert meta["region"] == ["上海市"]


def test_year_not_printed_is_none() -> None:
    """The first pages of the 2019 人大 tables print no year (only its last table title does):
    the year is left out rather than guessed."""
    meta = detect_meta(pages_of("jiangsu_renda-bgt_2019_yusuan_tables"))
    assert meta["unit"] == "江苏省人大常委会办公厅"
    assert meta["year"] is None


def test_normalise_party_organs() -> None:
    assert normalise_unit("中国共产党江苏省委员会办公厅") == "中共江苏省委办公厅"
    assert normalise_unit("江苏省委办公厅") == "中共江苏省委办公厅"
    assert normalise_unit("西安市委宣传部") == "中共西安市委宣传部"
    assert normalise_unit("中共上海市普陀区委社会工作部") == "中共上海市普陀区委社会工作部"
    assert normalise_unit("上海市普陀区商务委员会") == "上海市普陀区商务委员会"


def test_region_from_unit_name() -> None:
    assert detect_region("苏州市审计局") == ["江苏省", "苏州市"]
    assert detect_region("中共上海市普陀区委社会工作部") == ["上海市", "普陀区"]
    assert detect_region("湖州市财政局") == ["浙江省", "湖州市"]
    assert detect_region("长沙市社区矫正管理局") == ["湖南省", "长沙市"]  # 社区 is not a district
    assert detect_region("国家信访局") == []
    assert detect_region("苏州市吴江区财政局") == ["江苏省", "苏州市", "吴江区"]
    assert detect_region("成都市财政局市级机关") == ["四川省", "成都市"]  # "财政局市" is no place
    assert detect_region("昆山市财政局") == ["昆山市"]  # county-level city: read off the name


def test_budget_documents_are_recognised() -> None:
    for name in ("xj-smg-kjj-2025", "jiangsu_renda-bgt_2019_yusuan_tables", "beijing_sifaju_2026_yusuan_tables",
                 "central_guojia-xinfangju_2024_juesuan"):
        ok, reason = is_budget_document(pages_of(name))
        assert ok, (name, reason)
        assert reason


def test_flow_chart_is_not_a_budget_document() -> None:
    ok, reason = is_budget_document(pages_of("jinan_yishenqing-liuchengtu_NOT-BUDGET"))
    assert not ok
    assert "依申请公开流程图" in reason


def test_scan_without_text_is_not_a_budget_document() -> None:
    ok, reason = is_budget_document(["", "  \n", ""])
    assert not ok
    assert "no text" in reason


def test_performance_evaluation_is_not_a_budget_document() -> None:
    ok, reason = is_budget_document(["长沙市市场监督管理局2022年度绩效评价结果\n项目名称 评价得分\n食品安全抽检 92"])
    assert not ok
    assert "绩效评价结果" in reason


def test_audit_report_on_a_budget_is_not_a_disclosure() -> None:
    ok, reason = is_budget_document(["XX市审计局\n关于XX局2024年度预算执行情况的审计报告\n一、基本情况"])
    assert not ok
    assert "审计报告" in reason
