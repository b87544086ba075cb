"""The one loader of the parser vocabulary (templates/*.yaml), so every module reads it alike.

Each file is parsed once per process and checked against templates/schema.yaml: the
vocabulary is data that people edit, and a typo there (a missing key, a list where a pattern
belongs, an unbalanced bracket in a regular expression) must fail at the first parse with one
line naming the file and the key, not as a KeyError or re.error deep inside a table reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATES = Path(__file__).with_name("templates")
SCHEMA = "schema.yaml"

# What a schema type accepts; "regex" must also compile.
_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "regex": (str,), "int": (int,), "number": (int, float), "bool": (bool,),
    "map": (dict,), "list": (list,), "any": (object,),
}
_STEP = re.compile(r"^(?P<name>[A-Za-z_][\w]*)(?P<optional>\??)(?P<each>(?:\[\]|\{\})*)$")


class VocabularyError(ValueError):
    """A templates/*.yaml file that cannot be read or lacks what the parser needs."""


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise VocabularyError(f"{path}: {type(e).__name__}: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping of keys at the top level")
    return data


@cache
def _schema() -> dict[str, dict[str, str]]:
    return _read(TEMPLATES / SCHEMA)


def _values(value: Any, steps: list[str], where: str, path: Path) -> Iterator[tuple[str, Any]]:
    """(key path, value) of every value a schema path names: a.b, a[] (each item), a{} (each value)."""
    if not steps:
        yield where, value
        return
    m = _STEP.match(steps[0])
    if m is None:
        raise VocabularyError(f"{TEMPLATES / SCHEMA}: bad key path step {steps[0]!r}")
    name = m.group("name")
    key = f"{where}.{name}" if where else name
    if not isinstance(value, dict) or name not in value:
        if m.group("optional"):
            return
        raise VocabularyError(f"{path}: key '{key}' is missing")
    found = [(key, value[name])]
    for each in re.findall(r"\[\]|\{\}", m.group("each")):
        want, expanded = (list, "a list") if each == "[]" else (dict, "a mapping")
        nxt = []
        for k, v in found:
            if not isinstance(v, want):
                raise VocabularyError(f"{path}: key '{k}': expected {expanded}, got {type(v).__name__}")
            items = enumerate(v) if each == "[]" else v.items()
            nxt.extend((f"{k}[{i}]" if each == "[]" else f"{k}.{i}", x) for i, x in items)
        found = nxt
    for k, v in found:
        yield from _values(v, steps[1:], k, path)


def validate(data: dict[str, Any], schema: dict[str, str], path: Path) -> None:
    """Raise VocabularyError naming file and key when data does not hold what schema lists."""
    for key_path, kind in schema.items():
        accepted = _TYPES.get(kind)
        if accepted is None:
            raise VocabularyError(f"{TEMPLATES / SCHEMA}: unknown type {kind!r} for '{key_path}'")
        for key, value in _values(data, key_path.split("."), "", path):
            if not isinstance(value, accepted) or (kind in ("int", "number") and isinstance(value, bool)):
                raise VocabularyError(f"{path}: key '{key}': expected {kind}, got {type(value).__name__}")
            if kind == "regex":
                try:
                    re.compile(value)
                except re.error as e:
                    raise VocabularyError(f"{path}: key '{key}': not a regular expression ({e})") from None


@cache
def load_template(name: str) -> dict[str, Any]:
    """A YAML file of templates/, parsed and checked once."""
    path = TEMPLATES / name
    data = _read(path)
    schema = _schema().get(name)
    if schema is None:
        raise VocabularyError(f"{path}: no entry in {TEMPLATES / SCHEMA}; add the keys the parser reads")
    validate(data, schema, path)
    return data


@cache
def pattern(name: str, key: str) -> re.Pattern[str]:
    """The regular expression at a top-level key of a template file, compiled once."""
    return re.compile(load_template(name)[key])
