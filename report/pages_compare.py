"""Comparison pages: one category of unit across regions, one code across units, a unit's years."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from report import charts
from report.categories import category_of
from report.model import Page, slug
from report.pages_unit import KIND_NAMES, unit_path

MIN_UNITS = 2  # a comparison of one unit is not a comparison


def category_pages(summaries: list[dict[str, Any]], known: dict[str, str]) -> list[Page]:
    """All units of one category (信访, 司法 …) in one year and kind, ranked by total spending."""
    groups: dict[tuple[str, int, str], list[dict[str, Any]]] = defaultdict(list)
    for s in summaries:
        groups[(category_of(s["unit_id"], s["short_name"] or s["unit"], known), s["year"], s["kind"])].append(s)
    pages = []
    for (cat, year, kind), rows in sorted(groups.items()):
        if len({r["unit_id"] for r in rows}) < MIN_UNITS:
            continue
        rows = sorted(rows, key=lambda r: (r["total_expenditure"] is None, -(r["total_expenditure"] or 0)))
        title = f"{cat}类单位 {year}年{KIND_NAMES.get(kind, kind)}"
        page = Page(f"compare/cat-{slug(f'{cat}|{year}|{kind}')}.html", "category.html", title, {})
        chart = charts.ranking_chart(rows, "支出合计", cid="category", field="total_expenditure")
        page.charts = [chart] if chart else []
        page.context = {"category": cat, "year": year, "kind_name": KIND_NAMES.get(kind, kind),
                        "rows": [dict(r, href=page.root + unit_path(r["unit_id"])) for r in rows],
                        "chart": chart and chart.id}
        pages.append(page)
    return pages


def ranked(functions: list[dict[str, Any]], summaries: list[dict[str, Any]]) -> dict[tuple, list[dict[str, Any]]]:
    """The unit_comparison view for 类 codes, from rows already read: per (kind, year, code) the
    units' amounts, share of each unit's total expenditure (6 places) and rank (ties share one)."""
    units = {(s["unit_id"], s["year"], s["kind"]): s for s in summaries}
    groups: dict[tuple[str, int, str], list[dict[str, Any]]] = defaultdict(list)
    for f in functions:
        s = units.get((f["unit_id"], f["year"], f["kind"]))
        if f["level"] == 1 and f["total"] is not None and s:
            te = s["total_expenditure"]
            share = round(float(f["total"]) / float(te), 6) if te else None
            groups[(f["kind"], f["year"], f["code"])].append(
                {"unit_id": f["unit_id"], "unit": s["unit"], "region": s["region"], "name": f["name"],
                 "amount": f["total"], "share": share})
    for rows in groups.values():
        rows.sort(key=lambda r: (-r["amount"], r["unit"]))
        for r in rows:
            r["rank"] = 1 + sum(1 for o in rows if o["amount"] > r["amount"])
    return groups


def code_pages(functions: list[dict[str, Any]], summaries: list[dict[str, Any]]) -> list[Page]:
    """One 类 code in one year and kind across the units that report it: amount, share, rank."""
    pages = []
    for (kind, year, code), rows in sorted(ranked(functions, summaries).items()):
        if len(rows) < MIN_UNITS:
            continue
        name = rows[0]["name"] or ""
        title = f"{code} {name} {year}年{KIND_NAMES.get(kind, kind)}"
        page = Page(f"compare/code-{kind}-{year}-{code}.html", "code.html", title, {})
        chart = charts.ranking_chart(rows, f"{code} {name}", cid="code")
        page.charts = [chart] if chart else []
        page.context = {"code": code, "name": name, "year": year, "kind_name": KIND_NAMES.get(kind, kind),
                        "rows": [dict(r, href=page.root + unit_path(r["unit_id"])) for r in rows],
                        "chart": chart and chart.id}
        pages.append(page)
    return pages


def series_path(unit_id: str) -> str:
    return f"compare/series-{slug(unit_id)}.html"


def series_pages(series: list[dict[str, Any]], names: dict[str, str]) -> list[Page]:
    """A unit's 类 spending across the years it reported (budgets and 决算 apart)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in series:
        if r["unit_id"] in names:
            groups[(r["unit_id"], r["kind"])].append(r)
    by_unit: dict[str, list[tuple[str, list[dict[str, Any]]]]] = defaultdict(list)
    for (unit_id, kind), rows in groups.items():
        if len({r["year"] for r in rows}) >= 2:
            by_unit[unit_id].append((kind, rows))
    pages = []
    for unit_id, kinds in sorted(by_unit.items()):
        page = Page(series_path(unit_id), "series.html", f"{names[unit_id]} 逐年", {})
        blocks = []
        for kind, rows in sorted(kinds):
            chart = charts.series_chart(rows, cid=f"series-{kind}")
            if chart:
                page.charts.append(chart)
            blocks.append({"kind_name": KIND_NAMES.get(kind, kind), "chart": chart and chart.id,
                           "rows": sorted(rows, key=lambda r: (r["code"], r["year"]))})
        page.context = {"unit": names[unit_id], "unit_id": unit_id, "href": page.root + unit_path(unit_id), "blocks": blocks}
        pages.append(page)
    return pages


def compare_index(cats: list[Page], codes: list[Page], series: list[Page]) -> Page:
    page = Page("compare/index.html", "compare.html", "比较", {})
    rel = [(title, [{"title": p.title, "href": p.path.removeprefix("compare/")} for p in group])
           for title, group in (("同类单位跨地区", cats), ("同一科目跨单位", codes), ("单位逐年", series))]
    page.context = {"groups": rel}
    return page
