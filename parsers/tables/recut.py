"""A text-flavor summary whose columns camelot guessed wrong, cut again from where the page
prints its figures.

西安 部门综合预算收支总表 prints four blocks (收入 | 功能分类 | 部门经济分类 | 政府经济分类),
each a label column and a 预算数 column. The stream reader put each block's figure into the
next block's label cell ('103,518,755.35 1、人员经费和公用经费支出'), so no block had its own
amounts. Figures are right-aligned: their right edges mark the amount columns, and the
words between two of them are a label column.
"""

from __future__ import annotations

import re

from parsers.amounts import AMOUNT_TOKEN
from parsers.grid import Grid
from parsers.locate import header_rows
from parsers.printed import CJK

EDGE_TOLERANCE = 4.0  # pt: right edges of one right-aligned column of figures differ by less
MIN_FIGURES = 2  # figures that make a column of amounts
MIN_GLUED_CELLS = 2  # cells holding a figure then a label before a grid is cut again
LINE_NUMBER = re.compile(r"\d{1,3}")  # 行次: the printed line number (西安 决算 公开01表)
_FIGURE_THEN_LABEL = re.compile(r"^\s*(" + AMOUNT_TOKEN.pattern + r")\s+\S")


def recut_summary(part: Grid) -> Grid | None:
    """The grid cut again by the page's figure columns, or None when its cells do not mix a
    figure with the next block's label (or it is ruled: its columns are printed)."""
    if part.flavor == "lattice" or not part.lines:
        return None
    h = header_rows(part)
    glued = sum(1 for r in range(h, part.n_rows) for t in part.row_texts(r)
                if _FIGURE_THEN_LABEL.match(t) and CJK.search(t))
    if glued < MIN_GLUED_CELLS:
        return None
    columns = _columns(part, h)
    if columns is None or len(columns) <= part.n_cols // 2:
        return None
    return part.regrid(columns)


def _columns(part: Grid, h: int) -> list[tuple[float, float]] | None:
    """Label, line-number and amount columns, left to right: an amount column spans its
    figures (right-aligned), a 行次 column its line numbers, a label column the other words
    printed between two of them."""
    top = part.cells[h][0].y1 if h < part.n_rows else part.bbox[3]
    figures, numbers, texts = [], [], []
    for ln in part.lines:
        ym = (ln.y0 + ln.y1) / 2
        if not part.bbox[1] - 1 <= ym <= top + 1:
            continue
        for x0, x1, w in ln.words:
            if not part.bbox[0] - 5 <= (x0 + x1) / 2 <= part.bbox[2] + 5:
                continue
            w = w.strip()
            (figures if AMOUNT_TOKEN.fullmatch(w) else numbers if LINE_NUMBER.fullmatch(w) else texts).append((x0, x1))
    spans = _spans(figures, lambda w: w[1]) + _spans(numbers, lambda w: (w[0] + w[1]) / 2)
    spans.sort()
    if not spans or any(a[1] >= b[0] for a, b in zip(spans, spans[1:], strict=False)):
        return None  # columns that overlap: not columns of figures
    out: list[tuple[float, float]] = []
    left = part.bbox[0] - 5
    for i, (lo, hi) in enumerate(spans):
        if i == 0 or any(left <= (a + b) / 2 < lo for a, b in texts):
            out.append((left, lo - 1))
        out.append((lo - 1, hi + 1))
        left = hi + 1
    if any(left <= (a + b) / 2 for a, b in texts):
        out.append((left, part.bbox[2] + 5))
    return out


def _spans(words: list[tuple[float, float]], anchor) -> list[tuple[float, float]]:
    """The x extent of each column of words aligned on `anchor` (right edge, centre)."""
    clusters: list[list[tuple[float, float]]] = []
    for w in sorted(words, key=anchor):
        if clusters and anchor(w) - anchor(clusters[-1][-1]) <= EDGE_TOLERANCE:
            clusters[-1].append(w)
        else:
            clusters.append([w])
    return [(min(a for a, _ in c), max(b for _, b in c)) for c in clusters if len(c) >= MIN_FIGURES]
