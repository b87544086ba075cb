"""A page per unit: its figures for every year and kind it reported, each linked to its PDF page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from report import charts
from report.categories import category_of
from report.data import SiteData
from report.model import Evidence, Page, slug

KIND_NAMES = {"budget": "预算", "final_accounts": "决算"}


def unit_path(unit_id: str) -> str:
    return f"units/{slug(unit_id)}.html"


def _group(rows: list[dict[str, Any]]) -> dict[tuple[int, str], list[dict[str, Any]]]:
    out: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[(r["year"], r["kind"])].append(r)
    return out


def _first_page(tables: list[dict[str, Any]], doc_ids: list[str], kind: str) -> tuple[str | None, int | None]:
    """(doc, page) of the first table of this kind in the unit-year's documents."""
    for doc in doc_ids:
        for t in tables:
            if t["doc_id"] == doc and t["kind"] == kind and t["pages"]:
                return doc, t["pages"][0]
    return None, None


def _link(ev: Evidence, page: Page, docs: dict[str, dict[str, Any]], doc_id: str | None, page_no: int | None,
          terms: tuple[str, ...] = ()) -> dict[str, Any] | None:
    href = ev.image(page, doc_id, page_no, terms)
    if not href:
        return None
    return {"href": href, "label": f"第{page_no}页", "doc": docs.get(doc_id or "", {}).get("title") or doc_id}


def _functions(rows: list[dict[str, Any]], ev: Evidence, page: Page, docs: dict) -> list[dict[str, Any]]:
    """类 rows, each with its 款 rows (the drill-down), and the page each was printed on."""
    top = [dict(r) for r in rows if r["level"] == 1]
    for t in top:
        t["children"] = [dict(r) for r in rows if r["level"] == 2 and r["code"].startswith(t["code"])]
        for r in [t, *t["children"]]:
            r["source"] = _link(ev, page, docs, r["doc_id"], r["page"])
    return top


def unit_page(unit_id: str, summaries: list[dict[str, Any]], data: SiteData, idx: dict[str, Any],
              ev: Evidence) -> Page:
    """The page of one unit; summaries are its unit_year_kind_summary rows (already filtered)."""
    first = summaries[-1]
    page = Page(unit_path(unit_id), "unit.html", first["unit"], {})
    docs = idx["docs"]
    functions = _group(idx["functions"].get(unit_id, []))
    tp = _group(idx["three_public"].get(unit_id, []))
    extras = {name: _group(idx[name].get(unit_id, [])) for name in ("yoy", "projects", "targets", "procurement",
                                                                     "assets")}
    sections = []
    for s in sorted(summaries, key=lambda r: (-r["year"], r["kind"])):
        key = (s["year"], s["kind"])
        doc_ids = list(s["doc_ids"] or [])
        fn_rows = functions.get(key, [])
        sec: dict[str, Any] = {
            "year": s["year"], "kind": s["kind"], "kind_name": KIND_NAMES.get(s["kind"], s["kind"]),
            "summary": s, "docs": [docs[d] for d in doc_ids if d in docs],
            "functions": _functions(fn_rows, ev, page, docs), "charts": [], "summary_source": None,
        }
        cid = f"{s['year']}-{s['kind']}"
        fn_chart = charts.function_chart([r for r in fn_rows if r["level"] == 1], cid=f"functions-{cid}")
        if fn_chart:
            page.charts.append(fn_chart)
            src = next((r for r in fn_rows if r["level"] == 1 and r["page"]), None)
            sec["summary_source"] = src and _link(ev, page, docs, src["doc_id"], src["page"])
            sec["charts"].append({"id": fn_chart.id, "source": sec["summary_source"]})
        st_chart = charts.structure_chart(s, cid=f"structure-{cid}")
        if st_chart:
            page.charts.append(st_chart)
            doc, pg = _first_page(data.rows["tables"], doc_ids, "gpb_basic_by_econ")
            sec["charts"].append({"id": st_chart.id, "source": _link(ev, page, docs, doc, pg)})
        for name, rows in extras.items():
            sec[name] = [dict(r, source=_link(ev, page, docs, r["doc_id"], r.get("page"))) for r in rows.get(key, [])]
        if not fn_chart and (yoy_chart := charts.statements_chart(extras["yoy"].get(key, []),
                                                                  cid=f"statements-{cid}")):
            page.charts.append(yoy_chart)  # a narrative-only report: chart what its prose states
            first_yoy = extras["yoy"][key][0]
            sec["charts"].append({"id": yoy_chart.id, "source": _link(ev, page, docs, first_yoy["doc_id"],
                                                                      first_yoy["page"])})
        sec["three_public"] = {r["measure"]: r for r in tp.get(key, [])}
        tp_src = next((r for r in tp.get(key, []) if r["page"]), None)
        sec["three_public_source"] = tp_src and _link(ev, page, docs, tp_src["doc_id"], tp_src["page"])
        sections.append(sec)
    tp_charts = []
    for kind in sorted({k for (_, k) in tp}):
        by_year = {y: {r["measure"]: r["amount"] for r in rows} for (y, k), rows in tp.items() if k == kind}
        chart = charts.three_public_chart(by_year, cid=f"three-public-{kind}")
        if chart:
            page.charts.append(chart)
            tp_charts.append({"id": chart.id, "kind_name": KIND_NAMES.get(kind, kind)})
    page.context = {
        "unit": first["unit"], "unit_id": unit_id, "region": first["region"], "short_name": first["short_name"],
        "category": category_of(unit_id, first["short_name"] or first["unit"], data.categories),
        "sections": sections, "three_public_charts": tp_charts,
        "tp_names": {**charts.THREE_PUBLIC_ITEMS, "total": "合计"},
        "series": idx["series_pages"].get(unit_id), "category_pages": idx["category_links"].get(unit_id, []),
    }
    return page
