"""三公 tables, read in either orientation (items as columns or as rows)."""

from __future__ import annotations

import dataclasses
import re

from parsers.amounts import parse_amount, to_yuan
from parsers.document import Item, Table
from parsers.header_paths import header_paths
from parsers.headers import (
    Columns,
    assign_roles,
    clean,
    measure_key,
)
from parsers.locate import Located, header_rows
from parsers.tables.cells import Context, row_values
from parsers.tables.three_public_periods import build_by_period, fund_columns, has_year_lines
from parsers.vocab import pattern

THREE_PUBLIC_KEYS = ("total", "abroad", "reception", "vehicle_total", "vehicle_purchase", "vehicle_operation")


def build_three_public(t: Table, loc: Located, ctx: Context) -> None:
    """Either one row of columns (合计 | 因公出国 | 公务用车… | 接待) or one row per item."""
    part = loc.parts[0]
    h = header_rows(part)
    cols = Columns(n=part.n_cols, labels=header_paths(part, h))
    body = [part.row_texts(r) for r in range(h, part.n_rows)]
    assign_roles(cols, body, None, ctx.year, ctx.kind)
    _period_under_item(cols, ctx)
    by_fund = dataclasses.replace(cols, measures=dict(cols.measures))
    if fund_columns(by_fund, ctx) and has_year_lines(part, h, by_fund):
        build_by_period(t, loc, ctx, by_fund)  # 深圳: units × years over pages
        for k in THREE_PUBLIC_KEYS:
            t.total.setdefault(k, 0.0)
        return
    _name_subtotals(cols)
    item_cols = {k for k in cols.measures.values() if k in THREE_PUBLIC_KEYS[1:]}
    if len(item_cols) >= 2:  # items are columns: the row of the document's own basis
        lines = [(row, vals) for row in body if (vals := row_values(row, cols))]
        main = _basis_row(lines, ctx)
        for i, (row, vals) in enumerate(lines):
            yuan = {k: float(to_yuan(v, loc.money_unit)) for k, v in vals.items()}
            if i == main:
                prefix = ""
            elif ctx.kind == "final_accounts" and _label_is(row, "预算"):
                prefix = "budget_"
            elif _is_prior(row, ctx.year):  # 上年预算数 / 2025年预算数 over this year's line
                prefix = "prior_"
            else:
                if label := _unit_label(row, cols):  # 杭州 / 西安: one line per unit under the 合计
                    t.items.append(Item(label=label, key="unit_total", page=part.page,
                                        values=_total_is_three_public(yuan)))
                continue
            for k, v in yuan.items():
                t.total.setdefault(prefix + k, v)
        for k, c in ((k, c) for c, k in cols.measures.items()):
            t.columns.setdefault(k, cols.label(c))
    else:  # items are rows: label → key, figure from the first amount column
        amount_cols = sorted(cols.measures) or [c for c in range(part.n_cols) if c != cols.name]
        # the figure is the column headed as this year's (上年预算数 | 本年预算数), else the first
        own = next((c for c in amount_cols if cols.measures.get(c) == "total"), None)
        for row in body:
            label = clean(row[cols.name]) if cols.name is not None else clean(row[0])
            key = measure_key([label], ctx.year, ctx.kind)
            if total_like(label):
                key = "total"
            v = None
            values: dict[str, float] = {}  # every amount column of the line, by its header
            for c in amount_cols:
                x = parse_amount(row[c]) if c < len(row) and clean(row[c]) else None
                if x is None:
                    continue
                v = x if v is None or c == own else v
                measure = cols.measures[c] if own is not None else (
                    "total" if not values else cols.measures.get(c) or f"column_{c}")
                values.setdefault(measure, float(to_yuan(x, loc.money_unit)))
            if v is not None and label:
                t.items.append(Item(label=label, key=key, page=part.page, values=values))
            if key and v is not None:
                t.total.setdefault(key, float(to_yuan(v, loc.money_unit)))
    t.total = _total_is_three_public(t.total)
    for k in THREE_PUBLIC_KEYS:
        if k == "vehicle_total" and (t.total.get("vehicle_purchase") or t.total.get("vehicle_operation")):
            continue  # not printed, its parts are: a 0 here would be a figure the page does not show
        t.total.setdefault(k, 0.0)


def _total_is_three_public(values: dict[str, float]) -> dict[str, float]:
    """`total` is the 三公 total; a 合计 over 三公, 会议费 and 培训费 is `grand_total`."""
    out = dict(values)
    if "three_public_total" in out:
        out["grand_total"] = out.get("total", out["three_public_total"])
        out["total"] = out.pop("three_public_total")
    return out


_ITEM_KEYS = frozenset(THREE_PUBLIC_KEYS[1:]) | {"three_public_total"}
_SUM_WORD = re.compile(r"合\s*计|小\s*计|总\s*计")


def _period_under_item(cols: Columns, ctx: Context) -> None:
    """因公出国（境）费 over 预算数 | 决算数 (上海 决算): the leaf names only the period, the
    item is the header above it. Leaf first would make every column `total`."""
    for c in list(cols.measures):
        path = cols.labels[c] if c < len(cols.labels) else []
        if len(path) < 2 or _SUM_WORD.search(path[-1]):
            continue  # 小计 / 合计 under an item group: a sum, read by _name_subtotals
        leaf = measure_key(path[-1:], ctx.year, ctx.kind)
        item = measure_key(path[:-1], ctx.year, ctx.kind)
        if leaf in ("total", "budget_total", "prior_total") and item in _ITEM_KEYS:
            cols.measures[c] = leaf[: -len("total")] + item


def _unit_label(row: list[str], cols: Columns) -> str | None:
    """The unit a figures line is for: its text cells, without the unit's number (245001)."""
    words = [re.sub(r"^\d+\s*", "", clean(x)) for c, x in enumerate(row)
             if c not in cols.measures and clean(x) and parse_amount(x) is None]
    return "".join(words) or None


def _label_is(row: list[str], word: str) -> bool:
    return any(word in clean(x) and parse_amount(x) is None for x in row)


def _basis_row(lines: list[tuple[list[str], dict]], ctx: Context) -> int | None:
    """Which figures line is the document's: a 决算 prints 预算数 then 决算数 (西安卫健委 公开09表);
    the actual is the 决算数 line. A budget: the first line not labelled as an earlier year's
    (上年预算数 | 本年预算数, 2025年预算数 | 2026年预算数); lines without such labels: the first."""
    if not lines:
        return None
    if ctx.kind == "final_accounts":
        actual = [i for i, (row, _) in enumerate(lines) if _label_is(row, "决算")]
        if actual:
            return actual[0]
    return next((i for i, (row, _) in enumerate(lines) if not _is_prior(row, ctx.year)), 0)


def _is_prior(row: list[str], year: int | None) -> bool:
    """The line's label names last year (上年, 执行数) or a year before the document's."""
    label = "".join(clean(x) for x in row if clean(x) and parse_amount(x) is None)
    years = [int(y) for y in re.findall(r"(20\d\d)\s*年", label)]
    return bool(pattern("tables.yaml", "prior_year_words").search(label)) or bool(
        year and years and max(years) < year)


_SUBTOTAL = re.compile(r"^小\s*计$")
_PERIOD_KEY = re.compile(r"^(prior_|budget_)?(.*?)(_change)?$")


def _name_subtotals(cols: Columns) -> None:
    """A 小计 column whose group label the reader lost says what it sums by the column after
    it: 小计 | 因公出国… is the 三公 total, 小计 | 公务用车购置 the vehicle total (西安 text tables)."""
    used = set(cols.measures.values())
    for c in sorted(cols.measures):
        if not cols.labels[c] or not _SUBTOTAL.match(clean(cols.labels[c][-1])):
            continue
        nxt = _PERIOD_KEY.match(cols.measures.get(c + 1, ""))
        base = {"abroad": "three_public_total", "vehicle_purchase": "vehicle_total"}.get(nxt.group(2) if nxt else "")
        if base:
            key = f"{nxt.group(1) or ''}{base}{nxt.group(3) or ''}"
            if key not in used:
                cols.measures[c] = key
                used.add(key)


def total_like(label: str) -> bool:
    """A 三公 table's total row (合计, “三公”经费合计)."""
    return bool(pattern("tables.yaml", "three_public_total_row").match(label))

