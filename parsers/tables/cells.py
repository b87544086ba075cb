"""What every table reader shares: the document context and reading figures out of cells."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from parsers.amounts import AMOUNT_TOKEN, parse_amount, to_yuan
from parsers.document import Table
from parsers.headers import (
    Columns,
    clean,
)


@dataclass
class Context:
    """What the document says that reading a table needs: its year and kind for the measure
    keys (上年, 年初预算), its unit to tell the department's own subtotal row."""

    year: int | None = None
    kind: str | None = None  # budget / final_accounts
    unit: str | None = None


def cell_text(texts: list[str], c: int | None) -> str | None:
    """Column c of a row, line breaks inside the cell removed; None when blank or absent."""
    if c is None or c >= len(texts):
        return None
    v = re.sub(r"\s*\n\s*", "", texts[c]).strip()
    return v or None


def _unglue(texts: list[str], cols: Columns) -> list[str]:
    """'82,096,797.42 82,096,797.42' in one cell and nothing in its neighbour: camelot put two
    columns' figures in one cell. Give the extra figures back to the empty neighbours."""
    texts = list(texts)
    order = sorted(c for c in cols.measures if c < len(texts))
    for i, c in enumerate(order):
        tokens = texts[c].split()
        if len(tokens) < 2 or not all(AMOUNT_TOKEN.fullmatch(x) for x in tokens):
            continue
        before = order[i - 1] if i else None
        after = order[i + 1] if i + 1 < len(order) else None
        if before is not None and not clean(texts[before]):
            texts[before] = tokens.pop(0)
        if len(tokens) > 1 and after is not None and not clean(texts[after]):
            texts[after] = tokens.pop()
        texts[c] = " ".join(tokens)
    return texts


def row_values(texts: list[str], cols: Columns) -> dict[str, Decimal]:
    """The printed figures of a row by measure key, as printed (not yet in 元)."""
    out: dict[str, Decimal] = {}
    texts = _unglue(texts, cols)
    for c, key in cols.measures.items():
        if c >= len(texts):
            continue
        cell = texts[c].strip()
        v = parse_amount(cell)
        if v is None:
            m = AMOUNT_TOKEN.match(clean(cell))  # glued: '24,458.43一、一般公共服务支出'
            v = parse_amount(m.group(0)) if m else None
        if v is None:
            continue
        if not clean(cell):
            continue  # blank cell: not printed (filled with 0 later where the table has the measure)
        out[key] = v
    return out


def merge_total(t: Table, values: dict[str, Decimal], money_unit: str | None) -> None:
    """Add a total line's figures to the table total (in 元); the first printed one wins."""
    for k, v in values.items():
        t.total.setdefault(k, float(to_yuan(v, money_unit)))

