"""What each column of a coded table holds, part by part: the header of the first page, and
how a continuation page (same columns, other columns, or blocks printed side by side) reuses it."""

from __future__ import annotations

import dataclasses
import re

from parsers.amounts import AMOUNT_TOKEN, parse_amount
from parsers.extract import Grid, TextLine
from parsers.header_paths import header_paths
from parsers.headers import (
    Columns,
    assign_roles,
    clean,
    is_column_number_row,
    measure_key,
)
from parsers.locate import Located, header_rows
from parsers.normalise.codes import is_code
from parsers.tables.cells import Context


def columns_for(part: Grid, prev: Columns | None, loc: Located, ctx: Context,
                 prev_part: Grid | None = None) -> tuple[Columns, int]:
    if prev is not None and part.n_cols != prev.n and part.flavor != "lattice" and part.lines \
            and prev_part is not None and prev_part.cells:
        return prev, -1  # a text flavor cut this page otherwise: the caller re-cuts it like the page before
    h = header_rows(part)
    body = [part.row_texts(r) for r in range(h, part.n_rows)]
    measures = loc.rule.get("measures")
    if h and (prev is None or part.n_cols != prev.n or _informative(part, h)):
        cols = Columns(n=part.n_cols, labels=header_paths(part, h))
        if prev is not None and part.n_cols == prev.n and not _names_a_measure(cols.labels, ctx):
            return prev, h  # '中心' (a name wrapped over the page break) on top: no header of its own
        if not any(cols.labels) and part.flavor != "lattice":
            cols.labels = _labels_from_lines(part, loc.zones.get(id(part), []))
        assign_roles(cols, body, measures, ctx.year, ctx.kind, loc.rule.get("scheme"))
        return cols, h
    if prev is not None:
        if part.n_cols == prev.n:
            return prev, h
        return _remap(prev, prev_part or loc.parts[0], part, body, loc, ctx), h
    cols = Columns(n=part.n_cols, labels=_labels_from_lines(part, loc.zones.get(id(part), [])))
    assign_roles(cols, body, measures, ctx.year, ctx.kind, loc.rule.get("scheme"))
    return cols, h


def _names_a_measure(labels: list[list[str]], ctx: Context) -> bool:
    return any(measure_key(path, ctx.year, ctx.kind) for path in labels if path)


def _informative(part: Grid, h: int) -> bool:
    return any(clean(t) and not is_column_number_row(part.row_texts(r))
               for r in range(h) for t in part.row_texts(r))


def _labels_from_lines(part: Grid, lines: list[TextLine]) -> list[list[str]]:
    """Header words printed above a stream table, assigned to the column under them."""
    labels: list[list[str]] = [[] for _ in range(part.n_cols)]
    if not part.cells:
        return labels
    bounds = [(c.x0, c.x1) for c in part.cells[0]]
    for ln in sorted(lines, key=lambda x: -x.y1):
        mid = (ln.x0 + ln.x1) / 2
        best = min(range(len(bounds)), key=lambda i: 0 if bounds[i][0] <= mid <= bounds[i][1]
                   else min(abs(mid - bounds[i][0]), abs(mid - bounds[i][1])))
        text = clean(ln.text)
        if text and not re.search(r"单位[:：]|编制|表\s*\d", ln.text):
            labels[best].append(text)
    return labels


def _remap(prev: Columns, before: Grid, part: Grid, body, loc: Located, ctx: Context) -> Columns:
    """A continuation grid with a different column count: carry roles over by x position
    from the grid before it (whose columns `prev` describes)."""
    cols = Columns(n=part.n_cols, labels=[[] for _ in range(part.n_cols)])
    ref = before.cells[-1] if before.cells else []
    for c, cell in enumerate(part.cells[0] if part.cells else []):
        mid = (cell.x0 + cell.x1) / 2
        for k, rc in enumerate(ref):
            if rc.x0 - 2 <= mid <= rc.x1 + 2 and k < len(prev.labels):
                cols.labels[c] = list(prev.labels[k])
                break
    assign_roles(cols, body, loc.rule.get("measures"), ctx.year, ctx.kind, loc.rule.get("scheme"))
    return cols


def side_by_side(part: Grid, prev: list[int] | None,
                  ctx: Context) -> tuple[list[Grid], list[int] | None, list[str | None]]:
    """Split a grid printed as blocks side by side (人员经费: code|name|amount, 公用经费: …).

    A block starts at every column that holds codes; one code column means one block. A
    continuation page keeps the split of the page before (its left block may be empty).
    Returns the blocks, the split, and the measure each block's group header names
    (人员经费 → personnel), read before splitting because a merged 公用经费 header may span
    two blocks.
    """
    code_cols = []
    for c in range(part.n_cols):
        cells = [clean(part.text(r, c)) for r in range(part.n_rows)]
        filled = [x for x in cells if x]
        if len(filled) >= 3 and sum(1 for x in filled if is_code(x)) >= 0.5 * len(filled):
            code_cols.append(c)
    amount_cols = [c for c in range(part.n_cols)
                   if sum(1 for r in range(part.n_rows) if AMOUNT_TOKEN.fullmatch(clean(part.text(r, c)))) >= 2]
    bounds = [0] + code_cols[1:] + [part.n_cols]
    each_has_amounts = all(any(a <= c < b for c in amount_cols) for a, b in zip(bounds, bounds[1:], strict=False))
    if len(code_cols) >= 2 and each_has_amounts \
            and all(b - a >= 2 for a, b in zip(code_cols, code_cols[1:], strict=False)):
        starts = [0] + code_cols[1:]
    elif prev and prev[-1] < part.n_cols:
        starts = prev
    else:
        return [part], None, []
    ends = starts[1:] + [part.n_cols]
    paths = header_paths(part, header_rows(part))
    groups = []
    for a in starts:
        keys = [measure_key([p], ctx.year, ctx.kind) for p in paths[a][:1]]
        groups.append(keys[0] if keys and keys[0] in ("personnel", "public") else None)
    cells = [list(row) for row in part.cells]
    for row in cells:  # '公用经费合计' printed in one block, its figure in the next
        for a, b, c in zip(starts, ends, ends[1:] + [part.n_cols], strict=False):
            label = "".join(clean(x.text) for x in row[a:b])
            if re.fullmatch(r".{0,8}(合计|总计)", label) and b < part.n_cols and not any(
                    clean(x.text) for x in row[b:c] if parse_amount(x.text) is None):
                row[b] = dataclasses.replace(row[b], text=label)
    return [dataclasses.replace(part, cells=[row[a:b] for row in cells], lines=[])
            for a, b in zip(starts, ends, strict=False)], starts, groups

