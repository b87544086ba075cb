"""Unit category: the standard kind of government body a unit is (信访, 公安, 财政 …), so that
上海市信访办公室, 长沙市信访局 and 国家信访局 group together. Patterns and the central
government's name for each kind live in reference/unit_categories.csv; first match wins."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

CATEGORIES_CSV = Path(__file__).parent / "reference" / "unit_categories.csv"


@cache
def categories() -> list[tuple[str, re.Pattern[str], str]]:
    """(category, name pattern, central body) in file order."""
    with open(CATEGORIES_CSV, encoding="utf-8", newline="") as f:
        return [(r["category"], re.compile(r["pattern"]), r["central_body"]) for r in csv.DictReader(f)]


def category_of(name: str | None) -> str | None:
    """The category whose central body this is, else the first whose pattern the name matches."""
    if not name:
        return None
    for cat, _, central in categories():
        if central and name == central:
            return cat
    return next((cat for cat, rx, _ in categories() if rx.search(name)), None)
