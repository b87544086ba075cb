"""The synthetic corpus through the real parser into a real warehouse: the views equal the
truth files (totals per unit and function, personnel/public, 三公, staffing, per head).

tests/test_warehouse_*.py load documents built from the truth files; this module closes the
loop through `parse_pdf`, so a parser regression shows up as a wrong figure in SQL.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from parsers import parse_pdf
from tests.fixtures.synthetic import NAMES, synthetic_pdf, truth_path
from warehouse import connect, load_document

TRUTHS = {name: json.loads(truth_path(name).read_text(encoding="utf-8")) for name in NAMES}


def yuan(x: float, money_unit: str) -> Decimal:
    return (Decimal(str(x)) * (10000 if money_unit == "万元" else 1)).quantize(Decimal("0.01"))


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("pipeline") / "warehouse.duckdb"
    with connect(path) as c:
        for name in TRUTHS:
            pdf = synthetic_pdf(name)
            load_document(c, parse_pdf(pdf), source_url=pdf.as_uri())
    c = connect(path, read_only=True)
    yield c
    c.close()


def test_unit_year_summary(con):
    """The summary carries the printed 合计 (what the report states); class sums may differ
    from it by the report's own rounding, one unit of the last digit per class."""
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT unit, year, total_expenditure, basic_expenditure, project_expenditure, personnel, public, "
        "three_public_total, staff_authorized, staff_actual FROM unit_year_summary").fetchall()}
    assert len(got) == len(TRUTHS) == 4
    for t in TRUTHS.values():
        mu = t["money_unit"]
        year, total, basic, project, personnel, public, three, authorized, actual = got[t["unit"]]
        assert (year, authorized, actual) == (t["year"], t["staffing"]["authorized"], t["staffing"]["actual"])
        assert total == yuan(t["tables"]["t1_income_expenditure_summary"]["expenditure_total"], mu)
        assert three == yuan(t["tables"]["t10_three_public"]["total"], mu)
        for got_value, table, key in ((basic, "t3_expenditure_by_function", "basic"),
                                      (project, "t3_expenditure_by_function", "project"),
                                      (personnel, "t6_gpb_basic_by_econ", "personnel"),
                                      (public, "t6_gpb_basic_by_econ", "public")):
            classes = [r for r in t["tables"][table] if len(r["code"]) == 3]
            want = sum((yuan(r[key], mu) for r in classes), Decimal(0))
            step = yuan(0.01, mu) if mu == "万元" else Decimal(1)
            assert abs(got_value - want) <= step * len(classes), (t["unit"], key)


def test_spend_by_function_every_code(con):
    for t in TRUTHS.values():
        mu = t["money_unit"]
        got = {r[0]: r[1:] for r in con.execute(
            "SELECT code, total_yuan, basic_yuan, project_yuan FROM spend_by_function WHERE unit = ? AND year = ?",
            [t["unit"], t["year"]]).fetchall()}
        want = {r["code"]: (yuan(r["total"], mu), yuan(r["basic"], mu), yuan(r["project"], mu))
                for r in t["tables"]["t3_expenditure_by_function"]}
        assert got == want, t["unit"]


def test_budget_lines_hold_every_gpb_figure(con):
    for t in TRUTHS.values():
        mu = t["money_unit"]
        got = {(r[0], r[1]): r[2] for r in con.execute(
            "SELECT code, measure, amount_yuan FROM budget_lines WHERE unit = ? AND table_kind = "
            "'gpb_expenditure_by_function'", [t["unit"]]).fetchall()}
        for r in t["tables"]["t5_gpb_expenditure_by_function"]:
            for k in ("total", "basic", "project"):
                assert got[(r["code"], k)] == yuan(r[k], mu)


def test_per_head(con):
    for t in TRUTHS.values():
        mu = t["money_unit"]
        spend, three = con.execute("SELECT spend_per_head, three_public_per_head FROM per_head WHERE unit = ?",
                                   [t["unit"]]).fetchone()
        total = yuan(t["tables"]["t1_income_expenditure_summary"]["expenditure_total"], mu)
        actual = t["staffing"]["actual"]
        assert abs(Decimal(str(spend)) - total / actual) < Decimal("0.01")
        assert abs(Decimal(str(three)) - yuan(t["tables"]["t10_three_public"]["total"], mu) / actual) < Decimal("0.01")


def test_no_failed_checks_loaded(con):
    assert con.execute("SELECT count(*) FROM quality_checks WHERE NOT passed").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM quality_checks").fetchone()[0] > 400
