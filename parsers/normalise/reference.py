"""The bundled classification lists (reference/*.csv), the one copy both stages read: the parser
matches uncoded rows by name against them, the warehouse loads them into code_reference/code_map.

They are partial (see warehouse/reference/SOURCES.md); codes missing here are learned from the
reports themselves.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from parsers.normalise.names import loose_name

REFERENCE_DIR = Path(__file__).parent / "reference"
SCHEME_FILES = {
    "function": "func_classification_partial.csv",
    "econ_dept": "econ_classification_dept_compiled.csv",
    "econ_gov": "econ_classification_gov_compiled.csv",
}
MAP_FILE = "econ_dept_to_gov_map_partial.csv"
# Older 类 names reports still print (pre-2019 reform names and short forms) → function code.
CLASS_ALIASES_FILE = "function_class_aliases.csv"
# Function (code, name) pairs printed by reports (parsers/normalise/learn_names.py): the parser
# matches uncoded rows against them too; the warehouse learns its codes from the reports it loads.
LEARNED_FILE = "func_names_learned.csv"


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of one reference file as dicts (header row = keys)."""
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def reference_names() -> dict[str, dict[str, str]]:
    """scheme → {code: name} from the bundled (partial) reference lists."""
    return {scheme: {r["code"]: r["name"] for r in read_csv(fname)} for scheme, fname in SCHEME_FILES.items()}


@cache
def class_names() -> dict[str, str]:
    """Loose 类 name → function code, including the pre-2019 names reports still print."""
    names = {loose_name(v): k for k, v in reference_names()["function"].items() if len(k) == 3}
    for row in read_csv(CLASS_ALIASES_FILE):
        names.setdefault(row["name"], row["code"])
    return names


@cache
def learned_names() -> list[tuple[str, str]]:
    """(code, name) pairs reports print, beyond the bundled list; empty when not learned yet."""
    if not (REFERENCE_DIR / LEARNED_FILE).exists():
        return []
    return [(r["code"], r["name"]) for r in read_csv(LEARNED_FILE)]
