"""Name normalisation: one spelling per printed name, and unit names without their region prefix.

Reports print the same unit as 乌鲁木齐市水磨沟区科学技术局 one year and 水磨沟区科学技术局 the
next, with stray spaces and half-/full-width brackets; comparisons across years need one key.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"[\s\u3000\u00a0\u200b]+")
# Common short forms of the autonomous regions, as reports print them before a unit name.
_REGION_SHORT = {
    "新疆维吾尔自治区": "新疆",
    "广西壮族自治区": "广西",
    "宁夏回族自治区": "宁夏",
    "西藏自治区": "西藏",
    "内蒙古自治区": "内蒙古",
}


def normalise_name(name: str | None) -> str | None:
    """Drop all whitespace and use full-width brackets (as the MoF lists do); None if empty."""
    if name is None:
        return None
    s = _SPACE.sub("", str(name)).replace("(", "（").replace(")", "）")
    return s or None


def clean_region(region: list[str] | None) -> list[str]:
    """Region components, normalised, empty ones dropped."""
    return [n for n in (normalise_name(r) for r in region or []) if n]


def region_path(region: list[str] | None) -> str:
    """新疆维吾尔自治区/乌鲁木齐市/水磨沟区; '' when unknown."""
    return "/".join(clean_region(region))


def short_unit_name(unit: str, region: list[str] | None) -> str:
    """Strip leading region names (full, or a known short form) while something meaningful remains."""
    prefixes = set()
    for comp in clean_region(region):
        prefixes.add(comp)
        if comp in _REGION_SHORT:
            prefixes.add(_REGION_SHORT[comp])
    ordered = sorted(prefixes, key=len, reverse=True)
    name = unit
    stripped = True
    while stripped:
        stripped = False
        for p in ordered:
            if name.startswith(p) and len(name) - len(p) >= 2:
                name = name[len(p):]
                stripped = True
                break
    return name
