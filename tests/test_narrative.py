"""Narrative facts: staffing, budget units, 三公, procurement, assets, 机关运行经费, year-over-year.

Synthetic reports are checked against every staffing / subordinate_units / three_public figure of
their truth.json (copied here, in the printed unit, and converted to 元 with Decimal); real reports
against figures read off the page.  Fixture pages: tests/fixtures/text/README.md.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parsers.narrative import build_text, extract_facts, extract_yoy, to_yuan

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def pages_of(name: str) -> list[str]:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").split("\f")


def facts_of(name: str) -> dict[str, Any]:
    return extract_facts(pages_of(name))


def yuan(printed: str, unit: str = "万元") -> float:
    factor = {"万元": Decimal(10000), "元": Decimal(1)}[unit]
    return float((Decimal(printed) * factor).quantize(Decimal("0.01")))


# --------------------------------------------------------------------------- synthetic truth

# truth.json values: staffing, subordinate_units and tables.t10_three_public (printed unit)
SYNTHETIC = {
    "xj-smg-kjj-2025": {
        "money_unit": "万元",
        "staffing": {"authorized": 8, "actual": 6, "in_service": 6, "in_service_change": -1, "retired": 0,
                     "retired_change": 0, "separated": 0, "separated_change": 0},
        "subordinate_units": ["水磨沟区科技信息服务中心"],
        "three_public": {"total": "3.48", "abroad": "0.0", "reception": "0.02", "vehicle_total": "3.46",
                         "vehicle_purchase": "0.0", "vehicle_operation": "3.46"},
    },
    "xj-smg-jyj-2025": {
        "money_unit": "万元",
        "staffing": {"authorized": 183, "actual": 176, "in_service": 176, "in_service_change": 1, "retired": 22,
                     "retired_change": 0, "separated": 0, "separated_change": 0},
        "subordinate_units": ["水磨沟区第一小学", "水磨沟区第二中学", "水磨沟区实验幼儿园"],
        "three_public": {"total": "204.85", "abroad": "0.0", "reception": "74.3", "vehicle_total": "130.55",
                         "vehicle_purchase": "0.0", "vehicle_operation": "130.55"},
    },
    "xj-smg-wjw-2024": {
        "money_unit": "万元",
        "staffing": {"authorized": 21, "actual": 6, "in_service": 6, "in_service_change": 2, "retired": 19,
                     "retired_change": -1, "separated": 0, "separated_change": 0},
        "subordinate_units": ["水磨沟区疾病预防控制中心"],
        "three_public": {"total": "96.46", "abroad": "0.0", "reception": "77.09", "vehicle_total": "19.38",
                         "vehicle_purchase": "0.0", "vehicle_operation": "19.38"},
    },
    "xj-smg-zjj-2025": {
        "money_unit": "元",
        "staffing": {"authorized": 64, "actual": 58, "in_service": 58, "in_service_change": 1, "retired": 16,
                     "retired_change": -2, "separated": 0, "separated_change": 0},
        "subordinate_units": [],
        "three_public": {"total": "4412010.0", "abroad": "0.0", "reception": "2602623.0",
                         "vehicle_total": "1809387.0", "vehicle_purchase": "0.0", "vehicle_operation": "1809387.0"},
    },
}


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_staffing(name: str) -> None:
    staffing = facts_of(name)["staffing"]
    for key, value in SYNTHETIC[name]["staffing"].items():
        assert staffing[key] == value, key


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_subordinate_units(name: str) -> None:
    assert facts_of(name)["subordinate_units"] == SYNTHETIC[name]["subordinate_units"]


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_three_public(name: str) -> None:
    truth = SYNTHETIC[name]
    three_public = facts_of(name)["three_public"]
    for key, printed in truth["three_public"].items():
        assert three_public[key] == yuan(printed, truth["money_unit"]), key


def test_synthetic_vehicle_total_is_marked_derived() -> None:
    """The narrative prints 购置费 and 运行费 only; the sum is flagged as derived."""
    facts = facts_of("xj-smg-kjj-2025")
    assert facts["derived"] == {"three_public": ["vehicle_total"]}


def test_synthetic_procurement_and_assets() -> None:
    kjj = facts_of("xj-smg-kjj-2025")
    assert kjj["procurement"] == {"total": 14200.0, "goods": 14200.0, "works": 0.0, "services": 0.0}
    assert kjj["assets"]["items"] == [{"label": "办公家具价值", "value": 55300.0, "unit": "元"}]
    zjj = facts_of("xj-smg-zjj-2025")  # printed in 元 with thousands separators
    assert zjj["procurement"]["total"] == 358243.0
    assert zjj["assets"]["items"][0]["value"] == 13871.0


# --------------------------------------------------------------------------- text model


def test_lines_and_pages_are_joined() -> None:
    nt = build_text(["收支总预算 114.46\n万元。在职 6 人，增加 2\n人", "- 2 -\n退休 0 人。"])
    assert nt.text == "收支总预算114.46万元。在职6人，增加2人退休0人。"
    assert nt.page_of(nt.text.index("退休")) == 2


def test_to_yuan_uses_decimal() -> None:
    assert to_yuan("114.46", "万元") == 1144600.0
    assert to_yuan("0.07", "万元") == 700.0  # 0.07 * 10000 is 700.0000000000001 in float
    assert to_yuan("4,412,010.00", "元") == 4412010.0
    assert to_yuan("1.5", "亿元") == 150000000.0


# --------------------------------------------------------------------------- real reports


def test_jiangsu_staffing_breakdown() -> None:
    staffing = facts_of("jiangsu_renda-bgt_2017_yusuan")["staffing"]
    assert staffing == {"authorized": 339, "authorized_admin": 199, "authorized_admin_auxiliary": 104,
                        "authorized_institution": 36, "actual": 274, "in_service": 274,
                        "retired_and_separated": 150}  # 实际在编在职人员274名


def test_actual_staff_printed_as_in_service_staff() -> None:
    """西安人社局 2020 prints its actual head count as 实有在职人员: it is `actual` (what the
    warehouse compares) as well as `in_service`, with its breakdown."""
    from parsers.narrative.staffing import extract_staffing
    from parsers.text import build_text

    text = ("截止2019年底，本部门在职人员编制408人，其中行政编制91人、事业编制317人；实有在职人员380人，"
            "其中行政89人,事业291人；单位管理的离退休人员203人。")
    assert extract_staffing(build_text([text])) == {
        "authorized": 408, "authorized_admin": 91, "authorized_institution": 317, "actual": 380,
        "actual_admin": 89, "actual_institution": 291, "in_service": 380, "retired_and_separated": 203}


def test_jiangsu_three_public_without_printed_total() -> None:
    facts = facts_of("jiangsu_renda-bgt_2017_yusuan")
    tp = facts["three_public"]
    assert tp["abroad"] == yuan("222.5")
    assert tp["vehicle_total"] == tp["vehicle_operation"] == yuan("183.6")
    assert tp["reception"] == yuan("427.5")
    assert tp["total"] == yuan("833.6")
    assert facts["derived"] == {"three_public": ["total"]}
    assert facts["operating_costs"] == {"amount": yuan("5619.31")}
    assert facts["procurement"]["total"] == yuan("2247.85")


def test_jiangsu_subordinate_units_drop_the_own_entry() -> None:
    facts = facts_of("jiangsu_shengwei-bgt_2019_yusuan_text")
    assert facts["subordinate_units"] == ["省委机要局（省国家密码管理局）", "机关后勤服务中心", "机关文印中心"]
    assert facts["three_public"]["reception"] == yuan("27")


def test_shanghai_budget() -> None:
    facts = facts_of("shanghai-putuo_sifaju_2026_yusuan_bumen")
    assert facts["subordinate_units"] == ["普陀区法律援助中心"]  # "1. 普陀区司法局本部" is the department itself
    assert facts["three_public"] == {"total": yuan("10.81"), "abroad": 0.0, "vehicle_total": yuan("9.98"),
                                     "vehicle_purchase": 0.0, "vehicle_operation": yuan("9.98"),
                                     "reception": yuan("0.83")}
    assert facts["operating_costs"] == {"amount": yuan("217.83")}
    proc = facts["procurement"]
    assert (proc["total"], proc["goods"], proc["works"], proc["services"]) == (
        yuan("1486.42"), yuan("3.66"), yuan("36.44"), yuan("1446.32"))
    assert proc["sme_reserved"] == yuan("1486.42")
    assert facts["assets"]["vehicles"] == 3


def test_shanghai_yoy_patterns() -> None:
    yoy = facts_of("shanghai-putuo_sifaju_2026_yusuan_bumen")["yoy"]
    first = yoy[0]
    assert first["subject"] == "财政拨款收入"
    assert first["amount"] == yuan("9628.22")
    assert first["change"] == yuan("793.14")
    assert first["direction"] == "increase"
    assert first["basis"] == "比上年预算"
    assert first["page"] == 3
    flat = [e for e in yoy if e.get("subject") == "政府性基金拨款支出预算"]
    assert flat and flat[0]["direction"] == "flat" and flat[0]["change"] == 0.0
    # "比2025年预算执行数减少1.07%": a percent only, compared with last year's execution
    item = next(e for e in yoy if e.get("subject", "").endswith("行政运行（01项）"))
    assert item["percent"] == -1.07
    assert item["basis"] == "比上年执行数"
    assert item["amount"] == yuan("1672.67")
    assert "change" not in item


def test_shanghai_final_accounts() -> None:
    facts = facts_of("shanghai-putuo_guihua-ziyuan_2024_juesuan")
    assert facts["subordinate_units"] == [
        "上海市普陀区规划和自然资源局执法大队", "上海市普陀区土地发展中心",
        "上海市普陀区自然资源确权登记事务中心", "上海市普陀区规划和自然资源管理事务中心"]
    tp = facts["three_public"]
    assert tp["total"] == yuan("0.39")  # 支出决算, not the 年初预算 2.85
    assert tp["budget_total"] == yuan("2.85")
    assert tp["reception"] == yuan("0.39")
    assert facts["operating_costs"] == {"amount": yuan("142.80")}
    assert facts["procurement"]["works"] == yuan("1387.72")


def test_beijing_text_file() -> None:
    facts = facts_of("beijing_sifaju_2026_yusuan_text")
    assert facts["subordinate_units"] == ["北京市法律援助中心", "北京市司法局政府法治研究中心",
                                          "北京市法律职业资格考试中心", "北京市律师协会秘书处"]
    assert facts["three_public"] == {"total": yuan("102.11"), "abroad": yuan("48.24"), "reception": yuan("2.81"),
                                     "vehicle_total": yuan("51.06"), "vehicle_purchase": yuan("15.42"),
                                     "vehicle_operation": yuan("35.64")}
    assert facts["operating_costs"] == {"amount": yuan("1326.71")}
    assert facts["assets"]["vehicles"] == 37
    yoy = next(e for e in facts["yoy"] if e.get("subject_key") == "“三公”经费")
    assert (yoy["change"], yoy["percent"], yoy["direction"]) == (yuan("3.21"), 3.25, "increase")


def test_central_budget() -> None:
    facts = facts_of("central_guojia-xinfangju_2026_yusuan")
    assert facts["subordinate_units"] == []  # 下设 1 个预算单位，为国家信访局本级
    assert facts["three_public"]["total"] == yuan("112.61")
    assert facts["three_public"]["abroad"] == yuan("68.50")
    assert facts["procurement"]["total"] == yuan("4308.39")
    assert facts["assets"]["vehicles"] == 15
    assert facts["assets"]["equipment"] == [
        {"threshold": 1000000.0, "count": 0, "label": "单位价值100万元以上设备"}]
    op = next(e for e in facts["yoy"] if e.get("subject_key") == "机关运行经费")
    assert (op["amount"], op["change"], op["percent"]) == (yuan("2376.26"), yuan("222.33"), 10.32)


def test_central_final_accounts() -> None:
    facts = facts_of("central_guojia-xinfangju_2024_juesuan")
    assert facts["subordinate_units"] == ["离退休干部办公室", "机关服务中心", "信息中心"]
    tp = facts["three_public"]
    assert (tp["total"], tp["budget_total"]) == (yuan("46.21"), yuan("76.43"))
    assert (tp["abroad"], tp["vehicle_total"], tp["reception"]) == (yuan("4.69"), yuan("40.61"), yuan("0.9"))
    proc = facts["procurement"]
    assert (proc["sme"], proc["sme_share"], proc["sme_small_micro"]) == (yuan("1820.69"), 92.54, yuan("1015.5"))
    assert facts["operating_costs"] == {"amount": yuan("2266.65")}
    op = next(e for e in facts["yoy"] if e.get("subject_key") == "机关运行经费")
    assert op["basis"] == "比上年决算"
    assert op["change"] == yuan("318.58")


def test_shenzhen() -> None:
    facts = facts_of("shenzhen_caizhengju_2026_yusuan")
    assert facts["subordinate_units"] == []  # 本单位无独立核算下属单位
    assert facts["three_public"]["total"] == yuan("58.46")
    assert facts["three_public"]["vehicle_operation"] == yuan("7.40")
    assert facts["operating_costs"] == {"amount": yuan("2719.55")}
    assert facts["assets"]["vehicles"] == 3
    assert facts["assets"]["equipment"][0]["count"] == 16


def test_xian_staffing_and_units() -> None:
    facts = facts_of("xian_caizhengju_2026_yusuan")
    assert facts["staffing"] == {"authorized": 310, "authorized_admin": 191, "authorized_institution": 119,
                                 "actual": 292, "actual_admin": 179, "actual_institution": 107,
                                 "retired_and_separated": 188}
    assert facts["subordinate_units"][0] == "西安市财政投资评审中心"
    assert len(facts["subordinate_units"]) == 6  # 7 units listed, 西安市财政局本级 dropped
    yoy = next(e for e in facts["yoy"] if e.get("subject_key") == "“三公”经费")
    assert (yoy["amount"], yoy["change"], yoy["percent"]) == (yuan("21.90"), yuan("-4.60"), -17.36)


def test_xian_xuanchuanbu_numbered_table_of_units() -> None:
    facts = facts_of("xian_xuanchuanbu_2021_yusuan")
    assert facts["subordinate_units"] == ["中共西安市委讲师团"]
    assert facts["staffing"]["actual_admin"] == 85


def test_chongqing_and_changsha() -> None:
    cq = facts_of("chongqing_shizhengfu-bgt_2026_yusuan")
    assert cq["subordinate_units"] == ["重庆市人民政府电子政务中心", "重庆市人民政府办公厅文印中心", "重庆市政府机关服务中心"]
    assert cq["three_public"]["abroad"] == yuan("184.49")
    cs = facts_of("changsha_xinfangju_2026_yusuan")
    assert cs["subordinate_units"] == []  # 只有本级，没有其他二级预算单位
    assert cs["three_public"]["total"] == yuan("8.00")
    drop = next(e for e in cs["yoy"] if e.get("subject_key") == "“三公”经费")
    assert (drop["change"], drop["direction"]) == (yuan("-1.75"), "decrease")


def test_not_said_means_missing_key() -> None:
    """A tables-only file has no narrative: nothing is invented."""
    facts = facts_of("jiangsu_renda-bgt_2019_yusuan_tables")
    for key in ("staffing", "subordinate_units", "three_public", "procurement", "operating_costs", "yoy"):
        assert key not in facts


# --------------------------------------------------------------------------- yoy phrasing


@pytest.mark.parametrize(("sentence", "expected"), [
    ("2026年机关运行经费预算122.98万元，比上年预算增加7.20万元，增长6.22%。",
     {"subject": "机关运行经费预算", "amount": 1229800.0, "change": 72000.0, "percent": 6.22,
      "direction": "increase", "basis": "比上年预算"}),
    ("财政拨款收入15621.11万元，比2023年预算减少876.75万元。",
     {"subject": "财政拨款收入", "amount": 156211100.0, "change": -8767500.0, "direction": "decrease",
      "basis": "比上年预算"}),
    ("政府性基金拨款支出预算0万元，比2023年预算持平。",
     {"amount": 0.0, "change": 0.0, "direction": "flat"}),
    ("2024年预算安排88.87万元，比2023年预算执行数增加46.19%。",
     {"amount": 888700.0, "percent": 46.19, "direction": "increase", "basis": "比上年执行数"}),
    ("一般公共预算拨款30,331.26万元，较上年减少14,196.04万元，下降31.88%。",
     {"subject": "一般公共预算拨款", "change": -141960400.0, "percent": -31.88, "basis": "比上年"}),
    ("本年收入合计 1000 万元，同比增长 5.5%。",
     {"percent": 5.5, "basis": "同比", "direction": "increase"}),
])
def test_yoy_phrasings(sentence: str, expected: dict[str, Any]) -> None:
    entries = extract_yoy(build_text([sentence]))
    assert len(entries) == 1
    for key, value in expected.items():
        assert entries[0][key] == value, key
    assert entries[0]["text"] == sentence.replace(" ", "")


def test_yoy_ignores_reasons_and_plan_vs_actual() -> None:
    text = "决算数较上年增加的主要原因是购置了车辆。机关运行经费支出97.19万元，比预算数增加97.19万元。"
    assert extract_yoy(build_text([text])) == []


def test_a_list_of_income_sources_is_not_a_list_of_units() -> None:
    facts = extract_facts(["本部门收入预算包括：一般公共预算114.46万元、单位资金956.24万元。"],
                           meta={"unit": "某市某局", "year": 2025, "kind": "budget"})
    assert "subordinate_units" not in facts


def test_three_public_with_single_quotes_and_prior_year() -> None:
    text = "2025年‘三公’经费预算为12.50万元。2024年‘三公’经费预算为15.00万元。"
    tp = extract_facts([text], meta={"unit": None, "year": 2025, "kind": "budget"})["three_public"]
    assert tp == {"total": 125000.0, "prior_total": 150000.0}


@pytest.mark.parametrize(("name", "count", "words"), [
    ("xian_caizhengju_2026_yusuan", 7, "二级预算单位共有7个"),  # the department's own included
    ("central_guojia-xinfangju_2026_yusuan", 1, "下设1个预算单位"),
    ("jiangsu_renda-bgt_2017_yusuan", 5, "4个所属事业单位"),  # four subordinates + the department
])
def test_budget_unit_count_as_the_report_states_it(name, count, words):
    stated = facts_of(name)["budget_units"]
    assert stated["count"] == count and words in stated["text"] and stated["page"] >= 1


def test_no_budget_unit_count_when_the_report_states_none():
    assert "budget_units" not in facts_of("xj-smg-kjj-2025")
