"""A unit's category (信访, 司法, 审计 …), so one kind of body can be compared across regions.

The warehouse's own `units.category` wins when it exists; otherwise the name decides, by
the rules in categories.yaml (data, not code).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES = Path(__file__).with_name("categories.yaml")


@cache
def _rules() -> dict[str, Any]:
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    rules["organ_suffixes"] = sorted(rules["organ_suffixes"], key=len, reverse=True)
    rules["stems"] = sorted(rules["stems"], key=len, reverse=True)
    return rules


def guess_category(name: str) -> str:
    """信访局 → 信访, 卫生健康委员会 → 卫生健康: the organ word goes first, then the stem."""
    rules = _rules()
    stem = name.strip()
    for suffix in rules["organ_suffixes"]:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    for known in rules["stems"]:
        if stem.endswith(known):
            return known
    return stem[-int(rules["fallback_chars"]):] or name


def category_of(unit_id: str, short_name: str, known: dict[str, str]) -> str:
    """The warehouse's category for this unit if it has one, else the guess from the name."""
    return known.get(unit_id) or guess_category(short_name)
