"""The document's own arithmetic checks (parsers/checks.py) on rows as real tables print them."""

from __future__ import annotations

from parsers.checks import run_checks
from parsers.document import Document, Row, Source, Table
from tests.real_pages import doc, row, table


def _econ_table(parent_total: float) -> Document:
    rows = [Row(code="301", name="工资福利支出", values={"total": parent_total}, page=1),
            Row(code="30101", name="基本工资", values={"total": 347.14}, alt_code="50501", page=1),
            Row(code="30101", name="基本工资", values={"total": 1242.25}, alt_code="50101", page=1),
            Row(code="3010201", name="津贴补贴", values={"total": 1342.73}, alt_code="50101", page=1),
            Row(code="3010202", name="改革性补贴", values={"total": 192.17}, alt_code="50101", page=1)]
    t = Table(kind="gpb_expenditure_by_econ", pages=[1], columns={"total": "合计"}, rows=rows)
    return Document(source=Source(file="t.pdf", sha256="0" * 64), tables=[t])


def test_a_code_whose_parent_is_not_printed_counts_under_the_next_one_up():
    """西安: 3010201 津贴补贴 and 3010202 改革性补贴 print under 301 with no 30102 line; a code
    printed on two rows (two 政府经济 codes) counts once, summed."""
    ok = [c for c in run_checks(_econ_table(3124.29)) if c.rule == "parent = sum of children"]
    assert [(c.passed, c.expected, c.actual) for c in ok] == [(True, 3124.29, 3124.29)]
    bad = [c for c in run_checks(_econ_table(1589.39)) if c.rule == "parent = sum of children"]
    assert [(c.passed, c.actual) for c in bad] == [(False, 3124.29)] and "301" in bad[0].detail


def test_real_table_with_sub_items_of_an_unprinted_kuan():
    d = doc("xian_renshe_2020_yusuan_p1_p35-37.pdf")
    t = table(d, "gpb_expenditure_by_econ")
    assert row(t, "301").values["total"] == 78045200.0  # 7804.52 万元
    assert sum(r.values["total"] for r in t.rows if r.code in ("3010201", "3010202")) == 17047500.0
    parents = [c for c in d.checks if c.rule == "parent = sum of children"]
    assert parents and all(c.passed for c in parents)
    assert any(c.detail.startswith("301 ") and c.expected == 78045200.0 for c in parents)
    assert t.verification == "verified"
