"""One-line messages for a config.yaml that cannot be used.

Why not pydantic's own text: it spans several lines per error, and a YAML syntax error
arrives as a long traceback. An operator needs the key, the value given and what is expected,
and for a misspelled key the closest valid one (difflib), on a single line.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

# pydantic error type -> what the key expects (the fallback is pydantic's own short message)
EXPECTED: dict[str, str] = {
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list, e.g. [a, b]",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "path_type": "a path",
    "missing": "a value (the key is required)",
}


def describe_yaml(path: Path, e: yaml.YAMLError) -> str:
    """`config.yaml line 3, column 9: YAML syntax error: mapping values are not allowed here`."""
    mark = getattr(e, "problem_mark", None)
    where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    return f"{path}{where}: YAML syntax error: {problem}"


def describe_validation(path: Path, e: ValidationError, root: type[BaseModel]) -> str:
    """Every error of `e` on one line, each naming the key, the value and what is expected."""
    parts = [_describe(err, root) for err in e.errors(include_url=False)]
    return f"{path}: " + "; ".join(parts)


def _describe(err: Any, root: type[BaseModel]) -> str:
    loc = tuple(err.get("loc", ()))
    key = _dotted(loc)
    if err.get("type") == "extra_forbidden":
        valid = sorted(_fields_at(root, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
        hint = f"did you mean '{_dotted((*loc[:-1], close[0]))}'?" if close else f"valid keys here: {', '.join(valid)}"
        return f"unknown key '{key}'; {hint}"
    expected = EXPECTED.get(str(err.get("type")), str(err.get("msg", "")).lower())
    return f"{key} = {_value(err.get('input'))}: expected {expected}"


def _dotted(loc: tuple) -> str:
    """('sources', 0, 'url') -> 'sources[0].url'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _value(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(root: type[BaseModel], loc: tuple) -> set[str]:
    """The keys the model at `loc` accepts (list indices are skipped)."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(str(part))
        model = _model_in(field.annotation) if field is not None else None
    if model is None:
        return set()
    return {name for name, f in model.model_fields.items() if not f.exclude}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside an annotation like `list[SourceConfig]` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
