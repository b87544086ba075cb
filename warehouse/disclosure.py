"""Document → disclosure rows: completeness of tables and sections, figures, narrative checks.

Built per document at load time (pure, no database), like the other fact records, from the
parsed tables and facts.sections / narrative_totals / empty_notes (parsers/sections.py) and
facts.yoy. Comparisons across documents (last year's report, the budget of a 决算) need the
warehouse and live in views/50_disclosure.sql.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from parsers.document import Document, Table
from parsers.narrative import load_template
from warehouse.amounts import lenient_amount, lenient_float
from warehouse.disclosure_rules import required_sections, required_tables, rules, ruleset_for
from warehouse.records import Records

TABLES = ("disclosure_docs", "disclosure_items", "disclosure_figures", "disclosure_checks")


def disclosure_records(doc: Document, doc_id: str) -> Records:
    """Rows for disclosure_docs, disclosure_items, disclosure_figures and disclosure_checks."""
    facts = doc.facts if isinstance(doc.facts, dict) else {}
    meta = doc.document
    rs = ruleset_for(meta.kind, meta.year, meta.region)
    weights = rules()["score_weights"]
    out: Records = {
        "disclosure_docs": [{"doc_id": doc_id, "ruleset": rs["name"] if rs else None,
                             "w_tables": weights["tables"], "w_sections": weights["sections"],
                             "w_consistency": weights["consistency"]}],
        "disclosure_items": [],
    }
    if rs:
        notes = [n for n in _list(facts.get("empty_notes")) if isinstance(n, dict)]
        out["disclosure_items"] += [_table_item(doc_id, key, spec, doc.tables, facts, notes)
                                    for key, spec in required_tables(rs)]
        out["disclosure_items"] += _section_items(doc_id, required_sections(rs), facts)
    narrative = _narrative_figures(facts)
    table_figs = table_figures(doc.tables)
    out["disclosure_figures"] = (
        [_figure_row(doc_id, f, "narrative") for f in narrative.values()]
        + [_figure_row(doc_id, f, "table") for figs in table_figs.values() for f in figs]
        + [_figure_row(doc_id, f, "yoy_prior") for f in yoy_priors(facts)]
    )
    out["disclosure_checks"] = [c for key, f in narrative.items()
                                if (c := check_figure(doc_id, key, f, table_figs.get(key, [])))]
    return out


def _list(x: object) -> list[Any]:
    return x if isinstance(x, list) else []


# --------------------------------------------------------------------------- completeness


def _table_item(doc_id: str, key: str, spec: dict[str, Any], tables: list[Table], facts: dict[str, Any],
                notes: list[dict[str, Any]]) -> dict[str, Any]:
    """present / empty_explained / empty / missing for one required table."""
    found = [t for t in tables if t.kind in spec["kinds"]]
    full = [t for t in found if not t.empty]
    row = {"doc_id": doc_id, "item_type": "table", "item": key, "label": spec["label"],
           "table_kinds": sorted({t.kind for t in found}), "note": None}
    credit = rules()["unexplained_empty_credit"]
    if full or (spec.get("facts") and _list(facts.get(spec["facts"]))):
        pages = sorted({p for t in full for p in t.pages})
        return {**row, "status": "present", "credit": 1.0, "pages": pages}
    if not found:
        return {**row, "status": "missing", "credit": 0.0, "pages": []}
    pages = sorted({p for t in found for p in t.pages})
    note = next((t.note for t in found if t.note), None) or _explanation(key, pages, notes)
    if note:
        return {**row, "status": "empty_explained", "credit": 1.0, "pages": pages, "note": note}
    return {**row, "status": "empty", "credit": credit, "pages": pages}


def _explanation(key: str, pages: list[int], notes: list[dict[str, Any]]) -> str | None:
    """A note on the table's page (or the next: notes print under the grid), a statement that
    this budget is nil, else a general note on empty tables."""
    near = set(pages) | {p + 1 for p in pages}
    for n in notes:
        if n.get("scope") == "table" and n.get("page") in near:
            return str(n.get("sentence"))
    for n in notes:
        if n.get("scope") == "topic" and n.get("topic") == key:
            return str(n.get("sentence"))
    return next((str(n.get("sentence")) for n in notes if n.get("scope") == "document"), None)


def _section_items(doc_id: str, names: list[str], facts: dict[str, Any]) -> list[dict[str, Any]]:
    labels = {k: v["label"] for k, v in load_template("sections.yaml")["sections"].items()}
    found = {s.get("name"): s for s in _list(facts.get("sections")) if isinstance(s, dict)}
    rows = []
    for name in names:
        s = found.get(name)
        rows.append({"doc_id": doc_id, "item_type": "section", "item": name, "label": labels.get(name, name),
                     "status": "present" if s else "missing", "credit": 1.0 if s else 0.0,
                     "pages": [int(s["page"])] if s and s.get("page") else [], "table_kinds": [],
                     "note": str(s.get("heading")) if s else None})
    return rows


# --------------------------------------------------------------------------- figures


def _narrative_figures(facts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for f in _list(facts.get("narrative_totals")):
        if isinstance(f, dict) and f.get("key") and lenient_amount(f.get("amount_yuan")) is not None:
            out.setdefault(str(f["key"]), f)
    return out


def table_figures(tables: list[Table]) -> dict[str, list[dict[str, Any]]]:
    """For every figure key of disclosure_rules.yaml, the table readings it may be compared with."""
    out: dict[str, list[dict[str, Any]]] = {}
    for key, spec in rules()["figures"].items():
        for rank, cand in enumerate(spec["tables"]):
            reading = _reading(tables, cand)
            if reading is not None:
                out.setdefault(key, []).append({"key": key, "rank": rank, **reading})
    return out


def _reading(tables: list[Table], cand: dict[str, str]) -> dict[str, Any] | None:
    """The first non-empty table of the kind that prints this total or summary line."""
    for t in tables:
        if t.kind != cand["kind"] or t.empty:
            continue
        if "total" in cand and cand["total"] in t.total:
            return {"amount_yuan": t.total[cand["total"]], "page": t.pages[0] if t.pages else None,
                    "table_kind": t.kind, "measure": cand["total"], "step_yuan": 0.01}
        if "item" in cand:
            for it in t.items:
                if it.key == cand["item"] and it.values:
                    value = it.values.get("total", next(iter(it.values.values())))
                    return {"amount_yuan": value, "page": it.page, "table_kind": t.kind,
                            "measure": f"item:{it.key}", "step_yuan": 0.01}
    return None


def yoy_priors(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Last year's figure each "比上年增加 X 万元" statement implies, for the subjects we check."""
    out = []
    for y in _list(facts.get("yoy")):
        key = _yoy_key(y.get("subject")) if isinstance(y, dict) else None
        if key is None:
            continue
        prior = lenient_amount(y.get("prior_amount"))
        amount, change = lenient_amount(y.get("amount")), lenient_amount(y.get("change"))
        if prior is None and amount is not None and change is not None:
            prior = amount - change
        if prior is None:
            continue
        out.append({"key": key, "amount_yuan": prior, "page": y.get("page"),
                    "step_yuan": rules()["yoy_step_yuan"], "sentence": y.get("text")})
    return out


def _yoy_key(subject: object) -> str | None:
    if not isinstance(subject, str) or not subject:
        return None
    for pattern, key in rules()["yoy_subjects"]:
        if re.search(pattern, subject):
            return key
    return None


def _figure_row(doc_id: str, f: dict[str, Any], source: str) -> dict[str, Any]:
    return {"doc_id": doc_id, "key": f["key"], "source": source, "rank": f.get("rank"),
            "amount_yuan": lenient_amount(f.get("amount_yuan")), "step_yuan": lenient_float(f.get("step_yuan")),
            "page": _int(f.get("page")), "table_kind": f.get("table_kind"), "measure": f.get("measure"),
            "sentence": f.get("sentence")}


def _int(x: object) -> int | None:
    f = lenient_float(x)
    return None if f is None else int(f)


# --------------------------------------------------------------------------- narrative vs tables


def check_figure(doc_id: str, key: str, stated: dict[str, Any], readings: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The narrative figure against its table readings: agrees if within one unit of the last
    printed digit (+1 分) of any; the closest reading is reported. None if no table prints it."""
    amount = lenient_amount(stated.get("amount_yuan"))
    if not readings or amount is None:
        return None
    tolerance = (lenient_float(stated.get("step_yuan")) or 0.0) + 0.01
    best = min(readings, key=lambda r: (abs(amount - Decimal(str(r["amount_yuan"]))), r["rank"]))
    diff = amount - Decimal(str(best["amount_yuan"])).quantize(Decimal("0.01"))
    return {"doc_id": doc_id, "key": key, "label": rules()["figures"][key]["label"], "stated_amount": amount,
            "stated_page": _int(stated.get("page")), "compared_amount": lenient_amount(best["amount_yuan"]),
            "compared_page": _int(best.get("page")), "table_kind": best["table_kind"], "measure": best["measure"],
            "difference": diff, "tolerance": tolerance, "passed": abs(diff) <= Decimal(str(tolerance)),
            "sentence": stated.get("sentence")}
