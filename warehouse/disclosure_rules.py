"""The disclosure requirements and comparison rules, kept as data in warehouse/reference/.

disclosure_requirements.yaml says which tables and sections a report of a kind, year and
region must have; disclosure_rules.yaml which table figures a narrative figure may equal and
how the score is weighted. This module only reads and selects; disclosure.py applies them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

REFERENCE_DIR = Path(__file__).parent / "reference"


@cache
def _yaml(name: str) -> dict[str, Any]:
    with open(REFERENCE_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def requirements() -> dict[str, Any]:
    return _yaml("disclosure_requirements.yaml")


def rules() -> dict[str, Any]:
    return _yaml("disclosure_rules.yaml")


def ruleset_for(kind: str | None, year: int | None, region: list[str] | None) -> dict[str, Any] | None:
    """The ruleset for a document: kind and year must match; one naming the document's
    province beats one without a region. None when nothing applies (no kind or year)."""
    if not kind or not year:
        return None
    province = (region or [None])[0]
    best: dict[str, Any] | None = None
    for rs in requirements()["rulesets"]:
        lo, hi = rs["years"]
        if rs["kind"] != kind or not lo <= year <= hi:
            continue
        if rs.get("region") and rs["region"] != province:
            continue
        if best is None or (rs.get("region") and not best.get("region")):
            best = rs
    return best


def required_tables(rs: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    spec = requirements()["tables"]
    return [(key, spec[key]) for key in rs["tables"]]


def required_sections(rs: dict[str, Any]) -> list[str]:
    sections = rs["sections"]
    return requirements()["sections"][sections] if isinstance(sections, str) else list(sections)
