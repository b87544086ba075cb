"""The site's charts: Vega-Altair specs whose data are the warehouse figures, drawn to SVG offline.

A chart keeps its data rows (amounts in 元, as the warehouse holds them) next to its spec, so
tests can compare them with the views; axes show 万元 through a Vega transform, leaving the
data untouched. vl-convert draws the SVG without a browser, a CDN or JavaScript in the page.
Drawing is in report/svg.py, which needs no Altair (worker processes stay light).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import altair as alt

from report.svg import Chart

WIDTH = 520
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
PARTS = {"basic": "基本支出", "project": "项目支出", "total": "合计"}
THREE_PUBLIC_ITEMS = {"abroad": "因公出国（境）", "reception": "公务接待", "vehicle_purchase": "公务用车购置",
                      "vehicle_operation": "公务用车运行维护", "vehicle_total": "公务用车（合计）"}


def yuan(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _finish(chart: alt.Chart, cid: str, title: str, data: list[dict[str, Any]]) -> Chart:
    spec = chart.properties(title=title).configure(font=FONT).configure_view(stroke=None).to_dict()
    return Chart(cid, title, data, spec)


def function_chart(rows: list[dict[str, Any]], cid: str = "functions") -> Chart | None:
    """Spending by function 类, basic and project stacked (total alone where the table has no split)."""
    data = []
    for r in rows:
        label = f"{r['code']} {r['name'] or ''}".strip()
        split = [(p, r[p]) for p in ("basic", "project") if r.get(p) is not None]
        for part, amount in split or [("total", r.get("total"))]:
            if amount is not None:
                data.append({"code": r["code"], "label": label, "part": PARTS[part], "amount": yuan(amount)})
    if not data:
        return None
    chart = alt.Chart(alt.Data(values=data)).transform_calculate(wan="datum.amount / 10000").mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=alt.SortField("code"), axis=alt.Axis(labelLimit=220)),
        x=alt.X("sum(wan):Q", title="万元"),
        color=alt.Color("part:N", title=None, legend=alt.Legend(orient="bottom")),
    ).properties(width=WIDTH - 220)
    return _finish(chart, cid, "支出功能分类（类）", data)


def structure_chart(summary: dict[str, Any], cid: str = "structure") -> Chart | None:
    """Basic vs project and personnel vs public, as two stacked bars."""
    pairs = (("基本 / 项目", "基本支出", "basic_expenditure"), ("基本 / 项目", "项目支出", "project_expenditure"),
             ("人员 / 公用", "人员经费", "personnel"), ("人员 / 公用", "公用经费", "public"))
    data = [{"group": g, "part": p, "field": f, "amount": yuan(summary.get(f))}
            for g, p, f in pairs if summary.get(f) is not None]
    if not data:
        return None
    chart = alt.Chart(alt.Data(values=data)).transform_calculate(wan="datum.amount / 10000").mark_bar().encode(
        y=alt.Y("group:N", title=None), x=alt.X("sum(wan):Q", title="万元"),
        color=alt.Color("part:N", title=None, legend=alt.Legend(orient="bottom")),
    ).properties(width=WIDTH - 120)
    return _finish(chart, cid, "支出结构", data)


def three_public_chart(by_year: dict[int, dict[str, Any]], cid: str = "three-public") -> Chart | None:
    """三公 by item, one stacked bar per year present."""
    data = []
    for year in sorted(by_year):
        items = by_year[year]
        keys = ["abroad", "reception"] + (["vehicle_purchase", "vehicle_operation"]
                                          if "vehicle_purchase" in items or "vehicle_operation" in items
                                          else ["vehicle_total"])
        data += [{"year": str(year), "item": THREE_PUBLIC_ITEMS[k], "measure": k, "amount": yuan(items[k])}
                 for k in keys if items.get(k) is not None]
    if not data:
        return None
    chart = alt.Chart(alt.Data(values=data)).transform_calculate(wan="datum.amount / 10000").mark_bar().encode(
        x=alt.X("year:O", title=None), y=alt.Y("sum(wan):Q", title="万元"),
        color=alt.Color("item:N", title=None, legend=alt.Legend(orient="right")),
    ).properties(width=max(120, 60 * len(by_year)), height=200)
    return _finish(chart, cid, "“三公”经费", data)


def statements_chart(rows: list[dict[str, Any]], cid: str = "statements", limit: int = 15) -> Chart | None:
    """The amounts the narrative states (比上年 statements), for reports whose tables give no split."""
    seen: set[str] = set()
    data = []
    for r in rows:
        if r.get("amount_yuan") is None or not r.get("subject") or r["subject"] in seen or len(data) >= limit:
            continue
        seen.add(r["subject"])
        data.append({"subject": r["subject"], "amount": yuan(r["amount_yuan"]), "yoy_idx": r["yoy_idx"]})
    if not data:
        return None
    chart = alt.Chart(alt.Data(values=data)).transform_calculate(wan="datum.amount / 10000").mark_bar().encode(
        y=alt.Y("subject:N", title=None, sort=None, axis=alt.Axis(labelLimit=240)), x=alt.X("wan:Q", title="万元"),
    ).properties(width=WIDTH - 240, height=max(40, 18 * len(data)))
    return _finish(chart, cid, "说明中的金额", data)


def ranking_chart(rows: list[dict[str, Any]], title: str, cid: str = "ranking", field: str = "amount") -> Chart | None:
    """Units ranked by one amount (a code's spending, a category's total)."""
    data = [{"unit": r["unit"], "region": r.get("region") or "", "amount": yuan(r[field]),
             "share": r.get("share")} for r in rows if r.get(field) is not None]
    if not data:
        return None
    chart = alt.Chart(alt.Data(values=data)).transform_calculate(wan="datum.amount / 10000").mark_bar().encode(
        y=alt.Y("unit:N", title=None, sort="-x", axis=alt.Axis(labelLimit=240)),
        x=alt.X("wan:Q", title="万元"),
    ).properties(width=WIDTH - 240, height=max(40, 18 * len(data)))
    return _finish(chart, cid, title, data)


def series_chart(rows: list[dict[str, Any]], cid: str = "series") -> Chart | None:
    """A unit's 类 amounts across years, one line per code."""
    data = [{"year": str(r["year"]), "code": r["code"], "label": f"{r['code']} {r['name'] or ''}".strip(),
             "amount": yuan(r["amount"])} for r in rows if r.get("amount") is not None]
    if not data:
        return None
    chart = alt.Chart(alt.Data(values=data)).transform_calculate(wan="datum.amount / 10000").mark_line(
        point=True).encode(
        x=alt.X("year:O", title=None), y=alt.Y("wan:Q", title="万元"),
        color=alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=260)),
    ).properties(width=WIDTH - 100, height=220)
    return _finish(chart, cid, "各类支出逐年", data)


def coverage_chart(counts: list[dict[str, Any]], cid: str = "coverage") -> Chart | None:
    """Documents per region, coloured by status."""
    data = [{"region": c["region"] or "（未知）", "status": c["status"], "documents": c["n"]} for c in counts]
    if not data:
        return None
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        y=alt.Y("region:N", title=None, sort="-x", axis=alt.Axis(labelLimit=240)),
        x=alt.X("sum(documents):Q", title="文件数"),
        color=alt.Color("status:N", title=None, legend=alt.Legend(orient="bottom")),
    ).properties(width=WIDTH - 240, height=max(40, 18 * len({d["region"] for d in data})))
    return _finish(chart, cid, "各地区文件", data)
