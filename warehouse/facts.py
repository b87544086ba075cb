"""document.facts → rows of the fact tables. Facts come from narrative text, so they are read
leniently: a missing key is simply absent, an unusable value is skipped (the verbatim facts stay
in document_versions.facts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from warehouse.amounts import lenient_amount, lenient_float
from warehouse.records import Records

_RATIO_HINTS = ("share", "ratio", "percent")
_ASSET_UNITS = {"vehicles": "辆", "buildings_area_m2": "m2", "total_value": "元"}


def fact_records(facts: Mapping[str, Any], doc_id: str) -> Records:
    """Rows for three_public_amounts, staffing_counts, procurement, assets, operating_costs,
    yoy_statements and performance_targets."""
    return {
        "three_public_amounts": _three_public(_dict(facts.get("three_public")), doc_id),
        "staffing_counts": [
            {"doc_id": doc_id, "measure": k, "value": v}
            for k, v in ((k, lenient_amount(v)) for k, v in _dict(facts.get("staffing")).items())
            if v is not None
        ],
        "procurement": _procurement(_dict(facts.get("procurement")), doc_id),
        "assets": _assets(_dict(facts.get("assets")), doc_id),
        "operating_costs": _operating_costs(_dict(facts.get("operating_costs")), doc_id),
        "yoy_statements": [_yoy(doc_id, i, y) for i, y in enumerate(_list(facts.get("yoy")))],
        "performance_targets": [
            _target(doc_id, i, t) for i, t in enumerate(_list(facts.get("performance_targets")))
        ],
    }


def subordinate_names(facts: Mapping[str, Any]) -> list[str]:
    return [s for s in _list(facts.get("subordinate_units")) if isinstance(s, str) and s.strip()]


def _dict(x: object) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def _list(x: object) -> list[Any]:
    return x if isinstance(x, list) else []


def _text(x: object) -> str | None:
    return None if x is None else str(x)


def _int(x: object) -> int | None:
    f = lenient_float(x)
    return None if f is None else int(f)


def _three_public(d: dict[str, Any], doc_id: str) -> list[dict[str, Any]]:
    rows = []
    for key, value in d.items():
        amount = lenient_amount(value)
        if amount is None:
            continue
        period, measure = ("prior", key[len("prior_"):]) if key.startswith("prior_") else ("current", key)
        rows.append({"doc_id": doc_id, "measure": measure, "period": period, "amount_yuan": amount})
    return rows


def _procurement(d: dict[str, Any], doc_id: str) -> list[dict[str, Any]]:
    rows = []
    for key, value in d.items():
        if any(h in key for h in _RATIO_HINTS):
            ratio = lenient_float(value)
            if ratio is not None:
                rows.append({"doc_id": doc_id, "measure": key, "amount_yuan": None, "ratio": ratio})
        elif (amount := lenient_amount(value)) is not None:
            rows.append({"doc_id": doc_id, "measure": key, "amount_yuan": amount, "ratio": None})
    return rows


def _assets(d: dict[str, Any], doc_id: str) -> list[dict[str, Any]]:
    rows = []
    for item in _list(d.get("items")):
        if isinstance(item, dict) and item.get("label"):
            rows.append({"label": str(item["label"]), "value": lenient_amount(item.get("value")),
                         "value_unit": _text(item.get("unit"))})
    for key, unit in _ASSET_UNITS.items():
        if (value := lenient_amount(d.get(key))) is not None:
            rows.append({"label": key, "value": value, "value_unit": unit})
    return [{"doc_id": doc_id, "item_idx": i, **r} for i, r in enumerate(rows)]


def _operating_costs(d: dict[str, Any], doc_id: str) -> list[dict[str, Any]]:
    amount = lenient_amount(d.get("amount"))
    return [] if amount is None else [{"doc_id": doc_id, "amount_yuan": amount}]


def _yoy(doc_id: str, i: int, y: object) -> dict[str, Any]:
    y = _dict(y)
    return {
        "doc_id": doc_id, "yoy_idx": i, "subject": _text(y.get("subject")),
        "amount_yuan": lenient_amount(y.get("amount")), "change_yuan": lenient_amount(y.get("change")),
        "percent": lenient_float(y.get("percent")), "direction": _text(y.get("direction")),
        "basis": _text(y.get("basis")), "page": _int(y.get("page")), "text": _text(y.get("text")),
    }


def _target(doc_id: str, i: int, t: object) -> dict[str, Any]:
    t = _dict(t)
    return {
        "doc_id": doc_id, "target_idx": i, "table_kind": _text(t.get("table")), "project": _text(t.get("project")),
        "level1": _text(t.get("level1")), "level2": _text(t.get("level2")), "level3": _text(t.get("level3")),
        "value": _text(t.get("value")), "basis": _text(t.get("basis")), "weight": lenient_float(t.get("weight")),
        "page": _int(t.get("page")),
    }
