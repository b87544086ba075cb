"""Every chart's data equal the warehouse's own figures (read back with independent SQL)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import duckdb
import pytest

from report.data import Filters, read_site_data
from report.site import describe_site
from tests.parse_cache import run_root
from tests.report_support import shared_data_dir


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return shared_data_dir(run_root(tmp_path_factory) / "report-shared")


@pytest.fixture(scope="module")
def pages(data_dir):
    return describe_site(read_site_data(data_dir / "warehouse.duckdb"), data_dir / "raw", Filters())


@pytest.fixture(scope="module")
def con(data_dir):
    c = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    yield c
    c.close()


def f(v) -> float | None:
    return None if v is None else float(Decimal(v))


def unit_pages(pages):
    return [p for p in pages if p.template == "unit.html"]


def test_every_unit_has_a_page_with_two_charts(pages, con):
    units = {u for (u,) in con.execute("SELECT DISTINCT unit_id FROM unit_year_kind_summary").fetchall()}
    by_unit = {p.context["unit_id"]: p for p in unit_pages(pages)}
    assert set(by_unit) == units and len(units) >= 5
    for uid, page in by_unit.items():
        assert len(page.charts) >= 2, uid


def test_function_charts_equal_spend_by_function(pages, con):
    checked = 0
    for page in unit_pages(pages):
        for chart in page.charts:
            if not chart.id.startswith("functions-"):
                continue
            year, kind = chart.id.removeprefix("functions-").split("-", 1)
            want = Counter()
            for code, total, basic, project in con.execute(
                    "SELECT code, total_yuan, basic_yuan, project_yuan FROM spend_by_function WHERE unit_id = ? AND year = ? "
                    "AND kind = ? AND level = 1", [page.context["unit_id"], int(year), kind]).fetchall():
                parts = [("基本支出", basic), ("项目支出", project)] if basic is not None or project is not None \
                    else [("合计", total)]
                want.update({(code, part, f(v)) for part, v in parts if v is not None})
            got = Counter((d["code"], d["part"], d["amount"]) for d in chart.data)
            assert got == want and got, (page.title, chart.id)
            checked += 1
    assert checked >= 6


def test_structure_charts_equal_unit_year_summary(pages, con):
    fields = {"基本支出": 0, "项目支出": 1, "人员经费": 2, "公用经费": 3}
    checked = 0
    for page in unit_pages(pages):
        for chart in page.charts:
            if chart.id.startswith("structure-"):
                year, kind = chart.id.removeprefix("structure-").split("-", 1)
                row = con.execute("SELECT basic_expenditure, project_expenditure, personnel, public "
                                  "FROM unit_year_kind_summary WHERE unit_id = ? AND year = ? AND kind = ?",
                                  [page.context["unit_id"], int(year), kind]).fetchone()
                got = {d["part"]: d["amount"] for d in chart.data}
                assert got == {p: f(row[i]) for p, i in fields.items() if row[i] is not None}
                checked += 1
    assert checked >= 6


def test_three_public_charts_equal_the_three_public_view(pages, con):
    checked = 0
    for page in unit_pages(pages):
        for chart in page.charts:
            if chart.id.startswith("three-public-"):
                kind = chart.id.removeprefix("three-public-")
                for d in chart.data:
                    want = con.execute(
                        f"SELECT {d['measure']} FROM three_public t JOIN unit_year_docs u USING (doc_id) "
                        "WHERE u.unit_id = ? AND t.year = ? AND t.kind = ? AND t.period = 'current' "
                        "ORDER BY u.priority LIMIT 1", [page.context["unit_id"], int(d["year"]), kind]).fetchone()
                    assert d["amount"] == f(want[0]), (page.title, d)
                    checked += 1
    assert checked >= 10


def test_code_rankings_equal_unit_comparison(pages, con):
    code_pages = [p for p in pages if p.template == "code.html"]
    assert code_pages
    for page in code_pages:
        (chart,) = page.charts
        _, kind, year, code = page.path.removesuffix(".html").split("-")
        want = con.execute("SELECT unit, amount_yuan, share FROM unit_comparison WHERE kind = ? AND year = ? AND code = ?",
                           [kind, int(year), code]).fetchall()
        assert sorted((d["unit"], d["amount"], d["share"]) for d in chart.data) == sorted(
            (u, f(a), s) for u, a, s in want)


def test_category_page_compares_xinfang_bodies_across_regions(pages, con):
    xinfang = [p for p in pages if p.template == "category.html" and p.context["category"] == "信访"]
    assert len(xinfang) == 1
    (chart,) = xinfang[0].charts
    want = con.execute("SELECT unit, total_expenditure FROM unit_year_kind_summary WHERE unit LIKE '%信访%' "
                       "AND year = 2026 AND kind = 'budget'").fetchall()
    assert len(want) == 2 and len({r["region"] for r in xinfang[0].context["rows"]}) == 2
    assert sorted((d["unit"], d["amount"]) for d in chart.data) == sorted((u, f(t)) for u, t in want)


def test_series_chart_equals_unit_series(pages, con):
    series = [p for p in pages if p.template == "series.html"]
    assert [p.context["unit"] for p in series] == ["中共江苏省委办公厅"]
    (chart,) = series[0].charts
    want = con.execute("SELECT year, code, amount_yuan FROM unit_series WHERE unit_id = ? AND level = 1 AND kind = 'budget'",
                       [series[0].context["unit_id"]]).fetchall()
    assert {d["year"] for d in chart.data} == {"2018", "2019"}
    assert sorted((d["year"], d["code"], d["amount"]) for d in chart.data) == sorted(
        (str(y), c, f(a)) for y, c, a in want)


def test_coverage_chart_counts_documents(pages, con):
    (index,) = [p for p in pages if p.template == "index.html"]
    got = Counter()
    for d in index.charts[0].data:
        got[(d["region"], d["status"])] += d["documents"]
    want = {(r or "（未知）", s): n for r, s, n in
            con.execute("SELECT coalesce(region, ''), status, count(*) FROM documents GROUP BY ALL").fetchall()}
    assert dict(got) == want


def test_filters_keep_only_matching_units(data_dir):
    data = read_site_data(data_dir / "warehouse.duckdb")
    pages = describe_site(data, data_dir / "raw", Filters(unit=["信访"]))
    assert sorted(p.context["unit"] for p in unit_pages(pages)) == ["国家信访局", "长沙市信访局"]
    pages = describe_site(data, data_dir / "raw", Filters(year=[2018]))
    assert [p.context["unit"] for p in unit_pages(pages)] == ["中共江苏省委办公厅"]


def test_statements_chart_equals_yoy_statements(con):
    """Narrative-only reports get a chart of the amounts their prose states (first of each subject)."""
    from report.charts import statements_chart

    cur = con.execute("SELECT yoy_idx, subject, amount_yuan FROM yoy_statements WHERE doc_id = "
                      "(SELECT doc_id FROM yoy_statements GROUP BY doc_id ORDER BY count(*) DESC LIMIT 1) "
                      "ORDER BY yoy_idx")
    rows = [dict(zip(("yoy_idx", "subject", "amount_yuan"), r, strict=True)) for r in cur.fetchall()]
    chart = statements_chart(rows, limit=1000)
    first: dict[str, float] = {}
    for r in rows:
        if r["amount_yuan"] is not None and r["subject"]:
            first.setdefault(r["subject"], f(r["amount_yuan"]))
    assert len(first) >= 3
    assert {d["subject"]: d["amount"] for d in chart.data} == first
