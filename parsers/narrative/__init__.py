"""Facts stated in the prose of a budget / final-account report (部门预算 / 单位预算 / 部门决算).

The tables are parsed elsewhere; this package reads the sentences, one module per family of
facts: staffing (人员构成), units (the budget units the report consolidates, 预算单位构成),
three_public ("三公" and 机关运行经费), procurement (政府采购), assets (国有资产) and yoy (the
year-over-year comparisons "比上年预算增加 X 万元"). All of them match on the normalised text
of parsers.text; the phrase patterns live in templates/narrative.yaml.

The names other code imports from here (build_text, to_yuan, load_template …) are re-exported.
"""

from __future__ import annotations

from typing import Any

from parsers.meta import detect_meta
from parsers.narrative.assets import extract_assets
from parsers.narrative.labels import Hit, best_window, labelled_amounts, roles_after
from parsers.narrative.procurement import extract_procurement
from parsers.narrative.staffing import extract_staffing
from parsers.narrative.three_public import derive_three_public, extract_operating_costs, extract_three_public
from parsers.narrative.units import extract_budget_unit_count, extract_subordinate_units
from parsers.narrative.yoy import extract_yoy
from parsers.text import (
    CJK,
    Amount,
    NarrativeText,
    amounts_in,
    build_text,
    normalise_line,
    section_end,
    to_yuan,
    topic_windows,
)
from parsers.vocab import load_template

__all__ = [
    "CJK", "Amount", "Hit", "NarrativeText", "amounts_in", "best_window", "build_text", "derive_three_public",
    "extract_assets", "extract_facts", "extract_operating_costs", "extract_procurement", "extract_staffing",
    "extract_subordinate_units", "extract_three_public", "extract_yoy", "labelled_amounts", "load_template",
    "normalise_line", "roles_after", "section_end", "to_yuan", "topic_windows",
]


def extract_facts(pages: list[str], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """All narrative facts of one report; a key is left out when the report does not say it.

    Keys: staffing (counts, int), subordinate_units (names, the department's own 本级/本部
    entry excluded; [] when the report says there are none), budget_units (the count of units
    the report says it consolidates, its own included: count, page, text), three_public / procurement /
    operating_costs (元; sme_share in %; "prior_" keys for last year's figure, and in a 决算
    "budget_" keys for the 年初预算 beside the actual), assets (items with label/value/unit, plus
    vehicles, buildings_area_m2, total_value, equipment), yoy (list of comparisons), derived
    (which three_public keys were summed from printed parts rather than printed).
    """
    if meta is None:
        meta = detect_meta(pages)
    nt = build_text(pages)
    final = meta.get("kind") == "final_accounts"
    year, unit = meta.get("year"), meta.get("unit")
    facts: dict[str, Any] = {}
    staffing = extract_staffing(nt)
    if staffing:
        facts["staffing"] = staffing
    units = extract_subordinate_units(nt, unit)
    if units is not None:
        facts["subordinate_units"] = units
    count = extract_budget_unit_count(nt)
    if count:
        facts["budget_units"] = count
    three_public = extract_three_public(nt, final, year)
    if three_public:
        derived = derive_three_public(three_public)
        facts["three_public"] = three_public
        if derived:
            facts["derived"] = {"three_public": derived}
    for key, value in (("procurement", extract_procurement(nt, final, year)),
                       ("assets", extract_assets(nt, unit)),
                       ("operating_costs", extract_operating_costs(nt, final, year)),
                       ("yoy", extract_yoy(nt, unit))):
        if value:
            facts[key] = value
    return facts

