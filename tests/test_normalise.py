"""parsers/normalise: the one rule for a code's scheme and level, for 万元/元 → 元, and for names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parsers.normalise.codes import (
    SparseCodes,
    is_code,
    level_of,
    parent_of,
    scheme_of,
    split_code_prefix,
)
from parsers.normalise.money import find_money_unit, parse_amount, step_yuan, to_yuan
from parsers.normalise.names import loose_name, normalise_name, region_path, short_unit_name
from parsers.normalise.reference import class_names, reference_names


@pytest.mark.parametrize(("code", "scheme", "level", "parent"), [
    ("101", "revenue", 1, None),            # 税收收入
    ("10101", "revenue", 2, "101"),
    ("1030101", "revenue", 3, "10301"),
    ("201", "function", 1, None),
    ("20101", "function", 2, "201"),
    ("2010101", "function", 3, "20101"),
    ("301", "econ_dept", 1, None),
    ("30102", "econ_dept", 2, "301"),
    ("501", "econ_gov", 1, None),
    ("50101", "econ_gov", 2, "501"),
])
def test_scheme_level_parent_of_every_scheme(code, scheme, level, parent):
    assert (scheme_of(code), level_of(code), parent_of(code)) == (scheme, level, parent)
    assert is_code(code)


@pytest.mark.parametrize("code", ["", None, "4010101"])
def test_no_scheme_for_no_code_or_an_unknown_first_digit(code):
    assert scheme_of(code) is None
    assert not is_code(code or "")


def test_odd_lengths_have_no_level():
    assert [level_of(c) for c in ("20", "2010", "201010", "20101010")] == [None] * 4


@pytest.mark.parametrize(("text", "expected"), [
    ("206 01 01 行政运行", ("2060101", "行政运行")),
    ("2010101行政运行", ("2010101", "行政运行")),
    ("[301]工资福利支出", ("301", "工资福利支出")),
    ("1010101 国内增值税", ("1010101", "国内增值税")),
    ("101 税收收入", ("101", "税收收入")),
    ("274.683056", (None, "274.683056")),
    ("行政运行", (None, "行政运行")),
    # a number of a code's shape outside every scheme's 类 is a name's (hotlines) or a unit's
    ("12333聘用人员经费", (None, "12333聘用人员经费")),
    ("12345 政府公共服务热线", (None, "12345 政府公共服务热线")),
    ("242 西安市人力资源和社会保障局", (None, "242 西安市人力资源和社会保障局")),
])
def test_split_code_prefix_of_every_scheme(text, expected):
    assert split_code_prefix(text) == expected


def test_sparse_split_codes_rebuild_full_codes():
    codes = SparseCodes()
    assert codes.feed("201", "", "") == "201"
    assert codes.feed("", "1", "") == "20101"  # 款 printed without its leading zero
    assert codes.feed("", "", "01") == "2010101"
    assert codes.feed("", "", "02") == "2010102"
    assert codes.feed("101", "01", "") == "10101"  # a revenue 类 resets the 款
    assert codes.part("02", 3) == "1010102"
    assert codes.feed("", "", "x") is None


def test_wan_yuan_and_yuan_scale_to_yuan_exactly():
    assert to_yuan(Decimal("52.40"), "万元") == Decimal("524000.00")
    assert to_yuan(Decimal("274.683056"), "万元") == Decimal("2746830.56")
    assert to_yuan(Decimal("1234.565"), "元") == Decimal("1234.57")  # half-up to the cent
    assert to_yuan(Decimal("12"), "千元") == Decimal("12000.00")
    assert to_yuan(Decimal("1.5"), "亿元") == Decimal("150000000.00")
    assert to_yuan(Decimal("7"), None) == Decimal("7.00")  # no unit printed: 元
    assert to_yuan("1,234.5", "万元") == Decimal("12345000.00")  # a figure from prose


def test_step_is_one_unit_of_the_last_printed_digit():
    assert step_yuan("万元", 2) == Decimal(100)
    assert step_yuan("元", 0) == Decimal(1)
    assert step_yuan(None, 2) == Decimal("0.01")


@pytest.mark.parametrize(("cell", "value"), [
    ("1,234.50", Decimal("1234.50")), ("(12.00)", Decimal("-12.00")), ("－3.5", Decimal("-3.5")),
    ("—", Decimal(0)), ("52.40万元", Decimal("52.40")), ("12%", None), ("行政运行", None),
])
def test_parse_amount(cell, value):
    assert parse_amount(cell) == value


def test_money_unit_line():
    assert find_money_unit("单位：万元") == "万元"
    assert find_money_unit("金额单位: 元") == "元"
    assert find_money_unit("部门收支总体情况表") is None


def test_name_key_and_loose_name():
    assert normalise_name(" 水磨沟区 卫生健康委员会(本级)\u3000") == "水磨沟区卫生健康委员会（本级）"
    assert normalise_name("a\u200bb\u00a0c") == "abc"
    assert normalise_name("  ") is None and normalise_name(None) is None
    assert loose_name("一、一般公共服务支出（类）") == "一般公共服务支出"
    assert loose_name("（一）工资福利支出") == "工资福利支出"
    assert loose_name("1.行政运行") == "行政运行"
    assert loose_name("维修(护)费") == "维修（护）费"  # brackets of the key kept


def test_unit_names_lose_their_region_prefix():
    region = ["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"]
    assert region_path([" 新疆维吾尔自治区", "", "乌鲁木齐市"]) == "新疆维吾尔自治区/乌鲁木齐市"
    assert short_unit_name("乌鲁木齐市水磨沟区科学技术局", region) == "科学技术局"
    assert short_unit_name("新疆水磨沟区教育局", region) == "教育局"
    assert short_unit_name("水磨沟区", region) == "水磨沟区"  # nothing meaningful would remain


def test_reference_lists_and_old_class_names():
    names = reference_names()
    assert names["function"]["201"] == "一般公共服务支出"
    assert names["econ_dept"]["30101"] == "基本工资"
    assert names["econ_gov"]["501"] == "机关工资福利支出"
    classes = class_names()
    assert classes["一般公共服务支出"] == "201"
    assert classes["医疗卫生与计划生育支出"] == "210"  # pre-2019 name
    assert all(scheme_of(c) == "function" and level_of(c) == 1 for c in classes.values())
