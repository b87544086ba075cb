"""The site's charts: Vega-Altair specs whose data are the warehouse figures, drawn to SVG offline.

A chart keeps its data rows (amounts in 元, as the warehouse holds them) next to its spec, so
tests can compare them with the views; axes show 万元 through a Vega transform, leaving the
data untouched. vl-convert draws the SVG without a browser, a CDN or JavaScript in the page.
Drawing is in report/svg.py, which needs no Altair (worker processes stay light).

Why templates: Altair validates every spec against the Vega-Lite schema (~15 ms a chart, the
most of describing a site), so each kind of chart is built by Altair once per size and its
data and title are filled in. Why no label limits: Vega measures a label again and again to
truncate it to a pixel limit (half of vl-convert's time); a Vega expression cuts long labels
to a number of characters instead, which costs nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

import altair as alt

from report.svg import Chart

WIDTH = 520
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
PARTS = {"basic": "基本支出", "project": "项目支出", "total": "合计"}
THREE_PUBLIC_ITEMS = {"abroad": "因公出国（境）", "reception": "公务接待", "vehicle_purchase": "公务用车购置",
                      "vehicle_operation": "公务用车运行维护", "vehicle_total": "公务用车（合计）"}
_PLACEHOLDER = [{"_": 0}]


def yuan(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _cut(chars: int) -> str:
    """A Vega label expression: at most `chars` characters, an ellipsis when cut."""
    return f"length(datum.label) > {chars} ? substring(datum.label, 0, {chars - 1}) + '…' : datum.label"


def _base() -> alt.Chart:
    return alt.Chart(alt.Data(values=_PLACEHOLDER)).transform_calculate(wan="datum.amount / 10000")


@cache
def _template(kind: str) -> str:
    """The Vega-Lite spec of one kind of chart, built (and validated) by Altair once; sizes that
    depend on the data (a bar per row) are set on the copy."""
    if kind == "functions":
        chart = _base().mark_bar().encode(
            y=alt.Y("label:N", title=None, sort=alt.SortField("code"), axis=alt.Axis(labelExpr=_cut(20))),
            x=alt.X("sum(wan):Q", title="万元"),
            color=alt.Color("part:N", title=None, legend=alt.Legend(orient="bottom")),
        ).properties(width=WIDTH - 220)
    elif kind == "structure":
        chart = _base().mark_bar().encode(
            y=alt.Y("group:N", title=None), x=alt.X("sum(wan):Q", title="万元"),
            color=alt.Color("part:N", title=None, legend=alt.Legend(orient="bottom")),
        ).properties(width=WIDTH - 120)
    elif kind == "three_public":
        chart = _base().mark_bar().encode(
            x=alt.X("year:O", title=None), y=alt.Y("sum(wan):Q", title="万元"),
            color=alt.Color("item:N", title=None, legend=alt.Legend(orient="right")),
        ).properties(width=120, height=200)
    elif kind == "statements":
        chart = _base().mark_bar().encode(
            y=alt.Y("subject:N", title=None, sort=None, axis=alt.Axis(labelExpr=_cut(22))),
            x=alt.X("wan:Q", title="万元"),
        ).properties(width=WIDTH - 240, height=40)
    elif kind == "ranking":
        chart = _base().mark_bar().encode(
            y=alt.Y("unit:N", title=None, sort="-x", axis=alt.Axis(labelExpr=_cut(22))),
            x=alt.X("wan:Q", title="万元"),
        ).properties(width=WIDTH - 240, height=40)
    elif kind == "series":
        chart = _base().mark_line(point=True).encode(
            x=alt.X("year:O", title=None), y=alt.Y("wan:Q", title="万元"),
            color=alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom", columns=2,
                                                                     labelExpr=_cut(24))),
        ).properties(width=WIDTH - 100, height=220)
    elif kind == "coverage":
        chart = alt.Chart(alt.Data(values=_PLACEHOLDER)).mark_bar().encode(
            y=alt.Y("region:N", title=None, sort="-x", axis=alt.Axis(labelExpr=_cut(22))),
            x=alt.X("sum(documents):Q", title="文件数"),
            color=alt.Color("status:N", title=None, legend=alt.Legend(orient="bottom")),
        ).properties(width=WIDTH - 240, height=40)
    else:
        raise ValueError(f"no chart kind {kind!r}")
    return json.dumps(chart.properties(title="-").configure(font=FONT).configure_view(stroke=None).configure_axis(
        labelLimit=0).configure_legend(labelLimit=0).to_dict(), ensure_ascii=False)


def _chart(kind: str, cid: str, title: str, data: list[dict[str, Any]], height: int = 0, width: int = 0) -> Chart:
    spec = json.loads(_template(kind))  # a fresh copy, faster than deepcopy
    spec["data"] = {"values": data}
    spec["title"] = title
    spec.update({k: v for k, v in (("height", height), ("width", width)) if v})
    return Chart(cid, title, data, spec)


def _rows_height(n: int) -> int:
    return max(40, 18 * n)


def function_chart(rows: list[dict[str, Any]], cid: str = "functions") -> Chart | None:
    """Spending by function 类, basic and project stacked (total alone where the table has no split)."""
    data = []
    for r in rows:
        label = f"{r['code']} {r['name'] or ''}".strip()
        split = [(p, r[p]) for p in ("basic", "project") if r.get(p) is not None]
        for part, amount in split or [("total", r.get("total"))]:
            if amount is not None:
                data.append({"code": r["code"], "label": label, "part": PARTS[part], "amount": yuan(amount)})
    return _chart("functions", cid, "支出功能分类（类）", data) if data else None


def structure_chart(summary: dict[str, Any], cid: str = "structure") -> Chart | None:
    """Basic vs project and personnel vs public, as two stacked bars."""
    pairs = (("基本 / 项目", "基本支出", "basic_expenditure"), ("基本 / 项目", "项目支出", "project_expenditure"),
             ("人员 / 公用", "人员经费", "personnel"), ("人员 / 公用", "公用经费", "public"))
    data = [{"group": g, "part": p, "field": f, "amount": yuan(summary.get(f))}
            for g, p, f in pairs if summary.get(f) is not None]
    return _chart("structure", cid, "支出结构", data) if data else None


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
    return _chart("three_public", cid, "“三公”经费", data, width=max(120, 60 * len(by_year)))


def statements_chart(rows: list[dict[str, Any]], cid: str = "statements", limit: int = 15) -> Chart | None:
    """The amounts the narrative states (比上年 statements), for reports whose tables give no split."""
    seen: set[str] = set()
    data = []
    for r in rows:
        if r.get("amount_yuan") is None or not r.get("subject") or r["subject"] in seen or len(data) >= limit:
            continue
        seen.add(r["subject"])
        data.append({"subject": r["subject"], "amount": yuan(r["amount_yuan"]), "yoy_idx": r["yoy_idx"]})
    return _chart("statements", cid, "说明中的金额", data, height=_rows_height(len(data))) if data else None


def ranking_chart(rows: list[dict[str, Any]], title: str, cid: str = "ranking", field: str = "amount") -> Chart | None:
    """Units ranked by one amount (a code's spending, a category's total)."""
    data = [{"unit": r["unit"], "region": r.get("region") or "", "amount": yuan(r[field]),
             "share": r.get("share")} for r in rows if r.get(field) is not None]
    return _chart("ranking", cid, title, data, height=_rows_height(len(data))) if data else None


def series_chart(rows: list[dict[str, Any]], cid: str = "series") -> Chart | None:
    """A unit's 类 amounts across years, one line per code."""
    data = [{"year": str(r["year"]), "code": r["code"], "label": f"{r['code']} {r['name'] or ''}".strip(),
             "amount": yuan(r["amount"])} for r in rows if r.get("amount") is not None]
    return _chart("series", cid, "各类支出逐年", data) if data else None


def coverage_chart(counts: list[dict[str, Any]], cid: str = "coverage") -> Chart | None:
    """Documents per region, coloured by status."""
    data = [{"region": c["region"] or "（未知）", "status": c["status"], "documents": c["n"]} for c in counts]
    if not data:
        return None
    return _chart("coverage", cid, "各地区文件", data, height=_rows_height(len({d["region"] for d in data})))
