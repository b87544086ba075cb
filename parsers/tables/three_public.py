"""三公 tables, read in either orientation (items as columns or as rows)."""

from __future__ import annotations

from parsers.amounts import parse_amount, to_yuan
from parsers.document import Item, Table
from parsers.headers import (
    Columns,
    assign_roles,
    clean,
    header_paths,
    measure_key,
)
from parsers.locate import Located, header_rows
from parsers.tables.cells import Context, row_values
from parsers.vocab import pattern

THREE_PUBLIC_KEYS = ("total", "abroad", "reception", "vehicle_total", "vehicle_purchase", "vehicle_operation")


def build_three_public(t: Table, loc: Located, ctx: Context) -> None:
    """Either one row of columns (合计 | 因公出国 | 公务用车… | 接待) or one row per item."""
    part = loc.parts[0]
    h = header_rows(part)
    cols = Columns(n=part.n_cols, labels=header_paths(part, h))
    body = [part.row_texts(r) for r in range(h, part.n_rows)]
    assign_roles(cols, body, None, ctx.year, ctx.kind)
    item_cols = {k for k in cols.measures.values() if k in THREE_PUBLIC_KEYS[1:]}
    if len(item_cols) >= 2:  # items are columns: take the first row with figures
        for row in body:
            vals = row_values(row, cols)
            if vals:
                for k, v in vals.items():
                    t.total[k] = float(to_yuan(v, loc.money_unit))
                break
        for k, c in ((k, c) for c, k in cols.measures.items()):
            t.columns.setdefault(k, cols.label(c))
    else:  # items are rows: label → key, figure from the first amount column
        amount_cols = sorted(cols.measures) or [c for c in range(part.n_cols) if c != cols.name]
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
                v = x if v is None else v
                measure = "total" if not values else cols.measures.get(c) or f"column_{c}"
                values.setdefault(measure, float(to_yuan(x, loc.money_unit)))
            if v is not None and label:
                t.items.append(Item(label=label, key=key, page=part.page, values=values))
            if key and v is not None:
                t.total.setdefault(key, float(to_yuan(v, loc.money_unit)))
    if "three_public_total" in t.total:
        t.total["grand_total"] = t.total.get("total", t.total["three_public_total"])
        t.total["total"] = t.total.pop("three_public_total")
    for k in THREE_PUBLIC_KEYS:
        t.total.setdefault(k, 0.0)


def total_like(label: str) -> bool:
    """A 三公 table's total row (合计, “三公”经费合计)."""
    return bool(pattern("tables.yaml", "three_public_total_row").match(label))

