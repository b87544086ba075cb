"""Value keys are named measures (no numbered suffixes) and the `measures` view is their glossary."""

from __future__ import annotations

import re

import pytest

from parsers.headers import qualified_key
from tests.comparable_support import build, parsed

FIXTURES = ["central_guojia-xinfangju_2026_yusuan.pdf", "changsha_xinfangju_2026_yusuan.pdf"]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build(tmp_path_factory.mktemp("measures") / "w.duckdb", FIXTURES)
    yield c
    c.close()


def _columns(name: str, kind: str) -> dict[str, str]:
    return next(t.columns for t in parsed(name).tables if t.kind == kind)


def test_second_columns_named_by_their_header():
    cols = _columns("central_guojia-xinfangju_2026_yusuan.pdf", "gpb_expenditure_by_function")
    assert cols["total_excl_capital"] == "2026年预算数/扣除中央基建投资后预算数"
    assert cols["prior_total_excl_capital"] == "2025年执行数/扣除中央基建投资后执行数"
    assert cols["prior_total"] == "2025年执行数/执行数"
    assert cols["total"] == "2026年预算数/年初预算数/小计"
    revenue = _columns("changsha_xinfangju_2026_yusuan.pdf", "revenue_summary")
    assert revenue["total_fiscal"] == "本级财政拨款/金额"
    assert revenue["carryover"] == "上年结转"  # this year's money brought forward, not a prior-year column


def test_no_numbered_keys_anywhere():
    for name in FIXTURES:
        keys = {k for t in parsed(name).tables for r in t.rows for k in r.values}
        keys |= {k for t in parsed(name).tables for k in t.total}
        assert keys and not [k for k in keys if re.search(r"_\d+$", k)], name


def test_identical_headers_take_their_column_letter():
    used = {"total": 1, "total_expenditure": 2}
    assert qualified_key("total", ["支出", "预算数"], ["收入", "预算数"], used, 4) == "total_col_e"
    assert qualified_key("carryover", ["年末结转和结余"], ["年初结转和结余"], {}, 9) == "carryover_closing"


def test_measures_glossary(con):
    rows = {(k, t): (m, period, basis, scope, zh, en, headers) for k, t, m, period, basis, scope, zh, en, headers in
            con.execute("SELECT key, table_kind, measure, period, basis, fund_scope, meaning_zh, meaning_en, "
                        "printed_headers FROM measures").fetchall()}
    m, period, basis, scope, zh, en, headers = rows[("prior_total_excl_capital", "gpb_expenditure_by_function")]
    assert (m, period, basis, scope) == ("total", "prior", "budget", "一般公共预算")
    assert "扣除基建投资后" in zh and "excluding capital construction" in en and "prior year" in en
    assert headers == ["2025年执行数/扣除中央基建投资后执行数"]
    m, period, basis, scope, zh, en, headers = rows[("total_fiscal", "revenue_summary")]
    assert (m, period, scope) == ("total", "current", "财政拨款")
    assert rows[("basic", "expenditure_by_function")][:4] == ("basic", "current", "budget", "全部资金")
    assert not [k for k, _ in rows if re.search(r"_\d+$", k)]
    assert all(r[4] for r in rows.values()), "every key has a Chinese meaning"


def test_a_fund_qualifier_names_its_fund(tmp_path):
    """深圳's 三公 table prints each item over 一般公共预算 | 政府性基金预算 | 国有资本经营预算:
    `abroad_soe_capital` is the measure `abroad` limited to the 国有资本经营 fund."""
    from warehouse import connect, load_document

    doc = parsed("central_guojia-xinfangju_2026_yusuan.pdf").model_copy(deep=True)
    t = next(t for t in doc.tables if t.kind == "expenditure_by_function" and t.rows)
    for r in t.rows:
        r.values = {("total_soe_capital" if k == "total" else k): v for k, v in r.values.items()}
    con = connect(tmp_path / "w.duckdb")
    try:
        load_document(con, doc, source_url="file:///fixtures/qualified.pdf")
        got = con.execute("SELECT measure, qualifier, fund_scope FROM measures WHERE key = 'total_soe_capital'").fetchall()
    finally:
        con.close()
    assert got == [("total", "soe_capital", "国有资本经营")]
