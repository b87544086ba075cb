"""Render query results as text: an aligned table, CSV, JSON or Markdown.

Decimals stay exact everywhere: CSV and the table print their digits, JSON writes them as
numbers with exactly those digits (json.dumps would go through float).
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

FORMATS = ("table", "csv", "json", "markdown")


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    if fmt == "csv":
        return to_csv(columns, rows)
    if fmt == "json":
        return to_json(columns, rows)
    if fmt == "markdown":
        return to_markdown(columns, rows)
    if fmt == "table":
        return to_table(columns, rows)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def text(value: Any) -> str:
    """One cell as plain text: '' for NULL, Decimals and dates verbatim/ISO."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        return json_value(value)
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([text(v) for v in row])
    return buf.getvalue()


def json_value(value: Any) -> str:
    """JSON text for one value; Decimals become numbers with their exact digits."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return json.dumps(value) if math.isfinite(value) else "null"
    if isinstance(value, int | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {json_value(v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(json_value(v) for v in value) + "]"
    return json.dumps(text(value), ensure_ascii=False)


def to_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A JSON array of row objects, one object per line."""
    objs = [json_value(dict(zip(columns, row, strict=True))) for row in rows]
    return "[\n" + ",\n".join(objs) + "\n]\n" if objs else "[]\n"


def _width(s: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(s))
    return gap + s if right else s + gap


def _numeric(rows: Sequence[Sequence[Any]], i: int) -> bool:
    vals = [r[i] for r in rows if r[i] is not None]
    return bool(vals) and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in vals)


def to_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[text(v) for v in row] for row in rows]
    widths = [max([_width(c), *(_width(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    right = [_numeric(rows, i) for i in range(len(columns))]
    lines = ["  ".join(_pad(c, widths[i], right[i]) for i, c in enumerate(columns)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, widths[i], right[i]) for i, c in enumerate(r)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    right = [_numeric(rows, i) for i in range(len(columns))]
    lines = ["| " + " | ".join(esc(c) for c in columns) + " |",
             "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(esc(text(v)) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
