"""三公 tables of units × years (深圳 表9): per unit three lines (2025 年 | 2026 年 | 增减变化金额),
per item three fund columns (一般公共预算 | 政府性基金预算 | 国有资本经营预算), over pages.

Without this the year lines were read as units ('2025年'), the fund columns as measures
(general_public_budget_col_f), the first line (last year's) as the document's figures and
every page after the first not at all.
"""

from __future__ import annotations

import re

from parsers.amounts import to_yuan
from parsers.document import Item, Table
from parsers.extract import Grid
from parsers.headers import Columns, clean, measure_key
from parsers.locate import Located, header_rows
from parsers.tables.cells import Context, row_values

YEAR_LINE = re.compile(r"^((?:19|20)\d\d)\s*年?(?:度)?$")
CHANGE_LINE = re.compile(r"增减")
FUNDS = {"general_public_budget": "", "gov_fund": "_gov_fund", "soe_capital": "_soe_capital"}
ITEMS = frozenset({"total", "three_public_total", "abroad", "reception", "vehicle_total", "vehicle_purchase",
                   "vehicle_operation"})


def fund_columns(cols: Columns, ctx: Context) -> bool:
    """Each item over its fund columns: the 一般公共预算 column is the item, the others
    item_gov_fund / item_soe_capital. True when the header is printed so."""
    found = False
    for c in list(cols.measures):
        path = cols.labels[c] if c < len(cols.labels) else []
        if len(path) < 2:
            continue
        fund = measure_key(path[-1:], ctx.year, ctx.kind)
        item = measure_key(path[:-1], ctx.year, ctx.kind)
        if fund in FUNDS and item in ITEMS:
            cols.measures[c] = ("total" if item == "three_public_total" else item) + FUNDS[fund]
            found = True
    return found


def has_year_lines(part: Grid, h: int, cols: Columns) -> bool:
    return any(_period(part.row_texts(r), cols) for r in range(h, part.n_rows))


def build_by_period(t: Table, loc: Located, ctx: Context, cols: Columns) -> None:
    """The first unit's lines are the document's (this year's figures, prior_* and *_change
    beside them); every other unit's line is a unit item with the same keys."""
    first_unit: str | None = None
    unit: str | None = None
    for i, part in enumerate(loc.parts):
        h = header_rows(part)
        if i and part.n_cols != cols.n:
            continue  # a page cut otherwise: its figures fail verification, never guessed
        for r in range(h, part.n_rows):
            texts = part.row_texts(r)
            vals = row_values(texts, cols)
            if not vals:
                continue
            period = _period(texts, cols)
            unit = _unit(texts, cols) or unit
            first_unit = first_unit or unit
            keys = {k: _keyed(k, period, ctx.year) for k in vals}
            yuan = {keys[k]: float(to_yuan(v, loc.money_unit)) for k, v in vals.items()}
            if unit == first_unit:
                for k, v in yuan.items():
                    t.total.setdefault(k, v)
            elif t.items and (t.items[-1].label, t.items[-1].page) == (unit, part.page):
                t.items[-1].values.update(yuan)  # the unit's next year line on the same page
            else:
                t.items.append(Item(label=unit or "", key="unit_total", page=part.page, values=yuan))
    for c, k in cols.measures.items():
        t.columns.setdefault(k, cols.label(c))


def _period(texts: list[str], cols: Columns) -> str | None:
    """'2025' for a year line, 'change' for the 增减变化金额 line, None otherwise."""
    for c, x in enumerate(texts):
        if c in cols.measures:
            continue
        s = clean(x)
        m = YEAR_LINE.match(s)
        if m:
            return m.group(1)
        if CHANGE_LINE.search(s):
            return "change"
    return None


def _unit(texts: list[str], cols: Columns) -> str | None:
    words = [clean(x) for c, x in enumerate(texts) if c not in cols.measures and clean(x)
             and not YEAR_LINE.match(clean(x)) and not CHANGE_LINE.search(clean(x))]
    return "".join(words) or None


def _keyed(key: str, period: str | None, year: int | None) -> str:
    if period == "change":
        return "change" if key == "total" else f"{key}_change"
    if period and year and int(period) < year:
        return f"prior_{key}"
    return key
