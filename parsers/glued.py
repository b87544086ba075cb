"""Figures the layout glued together or clipped: two amounts printed without a gap, or a row
whose vertical rules are missing read as one wide cell. Both are given back to their columns
from the page's own words, so a ruled grid holds one figure a cell.
"""

from __future__ import annotations

import re

from parsers.amounts import AMOUNT_TOKEN
from parsers.grid import Grid, TextLine, spread_cell

AMOUNT_WITH_DECIMALS = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d+|-?\d+\.\d+")


def split_glued(text: str) -> tuple[str, str] | None:
    """'5,156,059.0058,234,500.00' → ('5,156,059.00', '58,234,500.00'): two figures printed
    without a gap, told apart because both carry the same number of decimals."""
    if text.count(".") != 2:
        return None
    d = len(text.rsplit(".", 1)[1])
    first = text.index(".") + 1 + d
    a, b = text[:first], text[first:]
    if AMOUNT_WITH_DECIMALS.fullmatch(a) and AMOUNT_WITH_DECIMALS.fullmatch(b):
        return a, b
    return None


def split_glued_amounts(g: Grid, lines: list[TextLine]) -> None:
    """Two figures printed without a gap land in one cell, or the cell clips them
    ('5,156,059.0058') while the page word still holds both: give the second figure back
    to the empty cell on the right."""
    for row in g.cells:
        for c, cell in enumerate(row[:-1]):
            t = cell.text.replace(" ", "")
            if row[c + 1].text.strip() or not re.fullmatch(r"-?[\d,]+\.[\d,.]+", t):
                continue
            pair = split_glued(t)
            if pair is None and re.fullmatch(r"-?[\d,]+\.\d{3,}", t):
                ym = (cell.y0 + cell.y1) / 2
                words = [w[2] for ln in lines if ln.y0 - 2 <= ym <= ln.y1 + 2 for w in ln.words]
                pair = next((split_glued(w) for w in words if w.startswith(t) and split_glued(w)), None)
            if pair:
                first, second = _homes(row, c, (cell.y0 + cell.y1) / 2, lines, pair) or (c, c + 1)
                if first != c and row[first].text.strip():
                    continue
                cell.text = ""
                row[first].text, row[second].text = pair
    _spread_merged_figures(g, lines)
    _split_figure_from_label(g, lines)


def _homes(row: list, c: int, ym: float, lines: list[TextLine], pair: tuple[str, str]) -> tuple[int, int] | None:
    """The columns the two figures of cell c stand in, from where the page prints them: the
    reader may have put a line of two adjacent figures into the second one's cell (上海 收入总表
    '82,096,797.42 82,096,797.42' under 财政拨款收入, whose 合计 cell stayed empty)."""
    spots = []  # (x centre, which figure) of the words on this line that are the pair's figures
    for ln in lines:
        if not ln.y0 - 2 <= ym <= ln.y1 + 2:
            continue
        for x0, x1, text in ln.words:
            t = text.replace(" ", "")
            if t == pair[0] + pair[1]:  # printed without a gap: cut where the first one's characters end
                cut = x0 + (x1 - x0) * len(pair[0]) / len(t)
                spots += [((x0 + cut) / 2, 0), ((cut + x1) / 2, 1)]
            else:
                spots += [((x0 + x1) / 2, i) for i, f in enumerate(pair) if t == f]
    cols = {}
    for x, i in spots:
        k = next((k for k, cl in enumerate(row) if cl.x0 <= x < cl.x1), None)
        if k is not None and c - 1 <= k <= c + 1:
            cols.setdefault(i, []).append(k)
    if 0 not in cols or 1 not in cols:
        return None
    first, second = min(cols[0]), max(cols[1])
    return (first, second) if first < second else None


YEAR = re.compile(r"^(19|20)\d\d$")  # '2026 年预算数': a header's year, no code


def _split_figure_from_label(g: Grid, lines: list[TextLine]) -> None:
    """A page line that runs over a rule ('96,282,213.44  一、公共安全支出': the revenue side's
    figure and the expenditure side's label of a 收支总表) lands in one cell, ruled or read as
    merged: each word goes to the column it stands in, when the cell mixes a figure with
    text, or opens with a bare number ('208 01 09  242001', '302  99  502', '99  1月-12月':
    the PDF writes one string over several ruled cells), its words stand in different columns
    and those are empty."""
    for row in g.cells:
        for c, cell in enumerate(row):
            tokens = cell.text.split()
            figures = sum(1 for t in tokens if AMOUNT_TOKEN.fullmatch(t))
            if len(tokens) < 2 or not (0 < figures < len(tokens) or tokens[0].isdigit() and not YEAR.match(tokens[0])):
                continue
            spread = spread_cell(row, c, lines, cell.y0, cell.y1, [x.text for x in row])
            for k, text in (spread or {}).items():
                row[k].text = text


def _spread_merged_figures(g: Grid, lines: list[TextLine]) -> None:
    """A row whose vertical rules are missing comes back as one wide cell holding several
    figures, clipped ('221,424,196.00 163,189'): put the page's figure words of that row
    back under the columns of the row above, by where each figure ends (right-aligned)."""
    for r in range(1, g.n_rows):
        row, above = g.cells[r], g.cells[r - 1]
        for c, cell in enumerate(row[:-1]):
            tokens = cell.text.split()
            if len(tokens) < 2 or not all(re.fullmatch(r"-?[\d,.]+", t) for t in tokens) \
                    or any(x.text.strip() for x in row[c + 1:]):
                continue
            ym = (cell.y0 + cell.y1) / 2
            words = []
            for ln in lines:
                for x0, x1, text in ln.words if ln.y0 - 2 <= ym <= ln.y1 + 2 else ():
                    pair = split_glued(text) if x1 > cell.x0 + 2 else None
                    if pair:  # two figures without a gap: the first ends where its characters do
                        cut = x0 + (x1 - x0) * len(pair[0]) / len(text)
                        words += [(x0, cut, pair[0]), (cut, x1, pair[1])]
                    elif x1 > cell.x0 + 2 and AMOUNT_TOKEN.fullmatch(text):
                        words.append((x0, x1, text))
            homes = [next((k for k in range(c, len(above)) if above[k].x0 - 2 <= w[1] <= above[k].x1 + 2), None)
                     for w in words]
            printed = sum(len(split_glued(t) or (t,)) for t in tokens)
            if len(words) != printed or None in homes or len(set(homes)) != len(homes):
                continue  # the words do not account for every figure of the cell: leave it
            for k in range(c, len(row)):
                row[k].text = ""
            for w, k in zip(words, homes, strict=True):
                row[k].text = w[2]
