"""`parse_pdf` on the four synthetic reports reproduces every figure of their truth files.

The truth files hold the printed figures in the printed unit; the document is in 元. Every
table of the truth is compared cell by cell (t1 … t11), plus staffing, subordinate units,
三公 and the document metadata.
"""

from __future__ import annotations

import json

import pytest

from parsers import parse_pdf
from tests.fixtures.synthetic import NAMES, synthetic_pdf, truth_path

T7_COLUMNS = {"1": "econ_301", "2": "econ_302", "3": "econ_303", "4": "econ_307", "5": "econ_309",
              "6": "econ_310", "7": "econ_311", "8": "econ_312", "9": "econ_313", "10": "econ_399"}


@pytest.fixture(scope="module", params=NAMES)
def case(request):
    name = request.param
    truth = json.loads(truth_path(name).read_text(encoding="utf-8"))
    doc = parse_pdf(synthetic_pdf(name))
    scale = 10000 if truth["money_unit"] == "万元" else 1
    return truth, doc, scale


def yuan(x: float, scale: int) -> float:
    return round(x * scale, 2)


def table(doc, kind):
    found = [t for t in doc.tables if t.kind == kind]
    assert found, f"no {kind} table"
    return found[0]


def test_four_synthetic_reports_are_bundled():
    assert len(NAMES) == 4


def test_document_metadata(case):
    truth, doc, _ = case
    assert doc.status == "parsed", doc.errors
    assert doc.document.unit == truth["unit"]
    assert doc.document.year == truth["year"]
    assert doc.document.kind == truth["kind"]
    assert doc.document.region == truth["region"]


def test_staffing_and_subordinate_units(case):
    truth, doc, _ = case
    assert doc.facts["staffing"] == {k: v for k, v in truth["staffing"].items()} | {
        k: v for k, v in doc.facts["staffing"].items() if k not in truth["staffing"]}
    assert doc.facts["subordinate_units"] == truth["subordinate_units"]
    assert doc.document.subordinate_units == truth["subordinate_units"]


def test_t1_income_expenditure_summary(case):
    truth, doc, s = case
    t1 = truth["tables"]["t1_income_expenditure_summary"]
    t = table(doc, "income_expenditure_summary")
    assert t.total["revenue_total"] == yuan(t1["revenue_total"], s)
    assert t.total["expenditure_total"] == yuan(t1["expenditure_total"], s)
    items = {i.key: i.values.get("total", 0.0) for i in t.items if i.side == "revenue" and i.key}
    assert items["general_public_budget"] == yuan(t1["general_public_budget"], s)
    assert items.get("gov_fund", 0.0) == yuan(t1["government_fund"], s)
    assert items.get("unit_funds", 0.0) == yuan(t1["unit_funds"], s)
    printed = {r.code: r.values["total"] for r in t.rows if r.values.get("total")}
    assert printed == {c["code"]: yuan(c["amount"], s) for c in t1["expenditure_by_class"]}


def test_t2_revenue_by_function(case):
    truth, doc, s = case
    t = table(doc, "revenue_summary")
    rows = {r.code: r.values for r in t.rows}
    keys = {"total": "total", "fiscal_subtotal": "fiscal", "general_public_budget": "general_public_budget",
            "government_fund": "gov_fund", "unit_funds": "unit_funds"}
    want = truth["tables"]["t2_revenue_by_function"]
    assert set(rows) == {r["code"] for r in want}
    for r in want:
        for tk, dk in keys.items():
            assert rows[r["code"]].get(dk, 0.0) == yuan(r[tk], s), (r["code"], tk)


@pytest.mark.parametrize("tkey,kind,keys", [
    ("t3_expenditure_by_function", "expenditure_by_function", ("total", "basic", "project")),
    ("t5_gpb_expenditure_by_function", "gpb_expenditure_by_function", ("total", "basic", "project")),
    ("t6_gpb_basic_by_econ", "gpb_basic_by_econ", ("total", "personnel", "public")),
    ("t8_gov_fund_expenditure", "gov_fund_expenditure", ("total", "basic", "project")),
])
def test_coded_tables(case, tkey, kind, keys):
    truth, doc, s = case
    want = truth["tables"][tkey]
    t = table(doc, kind)
    if not want:
        assert t.empty and not t.rows
        return
    rows = {r.code: r for r in t.rows}
    assert set(rows) == {r["code"] for r in want}
    for r in want:
        got = rows[r["code"]]
        assert got.name == r["name"], r["code"]
        assert got.level == {3: 1, 5: 2, 7: 3}[len(r["code"])]
        for k in keys:
            assert got.values[k] == yuan(r[k], s), (r["code"], k)


def test_t4_fiscal_summary(case):
    truth, doc, s = case
    t4 = truth["tables"]["t4_fiscal_summary"]
    t = table(doc, "fiscal_appropriation_summary")
    assert t.total["revenue_total"] == yuan(t4["revenue_total"], s)
    revenue = {i.key: i.values.get("total", 0.0) for i in t.items if i.side == "revenue" and i.key}
    assert revenue["general_public_budget"] == yuan(t4["general_public_budget"], s)
    assert revenue.get("gov_fund", 0.0) == yuan(t4["government_fund"], s)
    rows = {r.code: r.values for r in t.rows if r.values.get("total")}
    assert set(rows) == {c["code"] for c in t4["expenditure_by_class"]}
    for c in t4["expenditure_by_class"]:
        assert rows[c["code"]]["total"] == yuan(c["total"], s)
        assert rows[c["code"]].get("general_public_budget", 0.0) == yuan(c["general_public_budget"], s)
        assert rows[c["code"]].get("gov_fund", 0.0) == yuan(c["government_fund"], s)


def test_t7_projects(case):
    truth, doc, s = case
    want = truth["tables"]["t7_gpb_projects"]
    t = table(doc, "gpb_projects")
    got = [(r.code, r.project, r.values) for r in t.rows]
    assert [(r["code"], r["project"]) for r in want] == [(c, p) for c, p, _ in got]
    for r, (_, _, values) in zip(want, got, strict=True):
        assert values["total"] == yuan(r["total"], s)
        for col, key in T7_COLUMNS.items():
            assert values.get(key, 0.0) == yuan(r["by_econ_column"].get(col, 0.0), s), (r["code"], col)


def test_t9_t11_empty_tables(case):
    _, doc, _ = case
    for kind in ("soe_capital_expenditure", "carryover"):
        t = table(doc, kind)
        assert t.empty and not t.rows and not t.total


def test_t10_three_public(case):
    truth, doc, s = case
    t10 = truth["tables"]["t10_three_public"]
    got = doc.facts["three_public"]
    for k in ("total", "abroad", "reception", "vehicle_total", "vehicle_purchase", "vehicle_operation"):
        assert got[k] == yuan(t10[k], s), k
    assert table(doc, "three_public").total["total"] == yuan(t10["total"], s)


def test_checks_pass_on_consistent_reports(case):
    _, doc, _ = case
    assert doc.checks, "no identity was evaluated"
    failed = [c for c in doc.checks if not c.passed]
    assert not failed, failed[:3]


def test_performance_targets_of_the_seed_report():
    doc = parse_pdf(synthetic_pdf("xj-smg-kjj-2025"))
    got = [(t["table"], t["level1"], t["level2"], t["level3"], t["value"], t["weight"])
           for t in doc.facts["performance_targets"]]
    assert got == [  # 一级/二级指标 cells are merged over the rows below them
        ("unit", "履职效能", "数量指标", "开展政策培训会", ">=2 场次", 20.0),
        ("unit", "履职效能", "数量指标", "服务企业数", ">=5 家", 30.0),
        ("unit", "履职效能", "质量指标", "服务对象满意度", ">=90%", 20.0),
    ]
