"""Names: the one spelling a printed name is stored and compared under.

Two strengths, the second built on the first:
- `normalise_name` — the key of a name (warehouse name_norm, unit aliases, code_reference):
  no whitespace, full-width brackets as the MoF lists print them. Reports print the same
  name with stray spaces and half-/full-width brackets.
- `loose_name` — for matching a row to a code or a printed line: also drops list numbering
  ("一、", "1.", "（一）") and a trailing （类）/（款）/（项）.

SQL mirror: warehouse/migrations/003_dimensions.sql backfills line_amounts.name_norm with
`replace(replace(regexp_replace(name, '[\\s\\x{3000}\\x{00A0}]+', '', 'g'), '(', '（'), ')', '）')`;
it must agree with `normalise_name` (tests/test_normalise_names.py checks every fixture name).

Unit names: reports print 乌鲁木齐市水磨沟区科学技术局 one year and 水磨沟区科学技术局 the next;
`short_unit_name` strips the region prefix so both years share one key.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"[\s\u3000\u00a0\u200b]+")
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、|^\d+[.．、]|^（[一二三四五六七八九十\d]+）")
_LEVEL_SUFFIX = re.compile(r"（[类款项]）$")
# Common short forms of the autonomous regions, as reports print them before a unit name.
_REGION_SHORT = {
    "新疆维吾尔自治区": "新疆",
    "广西壮族自治区": "广西",
    "宁夏回族自治区": "宁夏",
    "西藏自治区": "西藏",
    "内蒙古自治区": "内蒙古",
}


def _brackets(s: str) -> str:
    return s.replace("(", "（").replace(")", "）")


def normalise_name(name: str | None) -> str | None:
    """Drop all whitespace and use full-width brackets (as the MoF lists do); None if empty."""
    if name is None:
        return None
    s = _brackets(_SPACE.sub("", str(name)))
    return s or None


def names_overlap(a: str, b: str) -> bool:
    """One name holds the other: a name cut short by its cell, or printed with its unit's."""
    return bool(a) and bool(b) and (a in b or b in a)


def loose_name(name: str) -> str:
    """Names compared loosely: no spaces, brackets unified, numbering and trailing （类）/（款） dropped."""
    s = _NUMBERING.sub("", normalise_name(name) or "", count=1)
    return _LEVEL_SUFFIX.sub("", s)


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
