"""Header rows → the label path of each column, top to bottom.

What the reader gives is not always where the page prints it: merged cells whose text sits
in the top-left cell of the span, labels centred over a block of columns, labels side by side
in one cell because the header row lacks its vertical rules. The page's own words (their x
positions) decide where a label belongs.
"""

from __future__ import annotations

import dataclasses
import re

from parsers.grid import Grid, spread_cell
from parsers.headers import COLUMN_NUMBER, TABLE_META, measure_key
from parsers.text import clean


def header_paths(grid: Grid, n_header: int) -> list[list[str]]:
    """Per column, the header texts from top to bottom, merged cells spread over their span."""
    n = grid.n_cols
    paths: list[list[str]] = [[] for _ in range(n)]
    if grid.flavor == "lattice":
        grid = _words_to_their_cells(grid, n_header)
    for r in range(n_header):
        row = grid.cells[r]
        texts = _spread_over_columns(grid, r) if grid.flavor == "lattice" else None
        periods = _period_spans(row)
        for label, span in periods:
            for k in span:
                paths[k].append(label)
        c = 0
        while c < n:
            text = clean(texts[c] if texts else row[c].text)
            start = end = c
            if text and grid.flavor == "lattice":
                while end + 1 < n and not row[end].right and not clean(row[end + 1].text):
                    end += 1
                if end == c:
                    start, end = _words_span(grid, r, c, texts)
            if text and not periods and not COLUMN_NUMBER.match(text) and not TABLE_META.match(text):
                for k in range(start, end + 1):
                    if not paths[k] or paths[k][-1] != text:
                        paths[k].append(text)
            c = max(c, end) + 1
    return paths


def _words_span(grid: Grid, r: int, c: int, texts: list[str] | None) -> tuple[int, int]:
    """The columns a ruled header cell's words stretch over, when the reader drew the cell one
    column wide (西安: every header cell ruled, 一般公共预算拨款安排的“三公”经费预算 printed
    across six): neighbours whose middle lies under the words and whose own cell is empty."""
    row = grid.cells[r]
    cell = row[c]
    text = clean(texts[c] if texts else cell.text)
    xs = [(x0, x1) for ln in grid.lines if cell.y0 - 1 <= (ln.y0 + ln.y1) / 2 <= cell.y1 + 1
          for x0, x1, w in ln.words if w.strip() and clean(w) in text and x1 > cell.x0 and x0 < cell.x1]
    if not xs:
        return c, c
    lo, hi = min(x for x, _ in xs), max(x for _, x in xs)
    start = end = c

    def empty(k: int) -> bool:
        return not clean(texts[k] if texts else row[k].text)

    while start > 0 and empty(start - 1) and lo <= (row[start - 1].x0 + row[start - 1].x1) / 2:
        start -= 1
    while end + 1 < len(row) and empty(end + 1) and (row[end + 1].x0 + row[end + 1].x1) / 2 <= hi:
        end += 1
    return start, end


PERIOD = re.compile(r"^(?:上年|当年|本年|上年度|本年度|20\d\d\s*年(?:度)?(?:预算|决算)?数?|增减(?:变化)?(?:情况)?|比上年增减)$")


def _period_spans(row: list) -> list[tuple[str, range]]:
    """A header row that only names periods (上年 | 当年 | 增减变化情况, 2021年 | 2022年), each
    label centred over its block of columns: each block runs halfway to the next label, and
    as far on the open side (the reader gave no spans: every cell ruled, labels mid-block).
    Rows with other words, or with one label, are left to the merged-cell rule."""
    labelled = [(c, clean(cell.text)) for c, cell in enumerate(row) if clean(cell.text)]
    if len(labelled) < 2 or not all(PERIOD.match(t) for _, t in labelled) or not all(c.right for c in row):
        return []
    out = []
    for i, (c, text) in enumerate(labelled):
        right = (c + labelled[i + 1][0] - 1) // 2 if i + 1 < len(labelled) else None
        left = (labelled[i - 1][0] + c - 1) // 2 + 1 if i else None
        if left is None:
            left = c - (right - c)
        if right is None:
            right = c + (c - left)
        out.append((text, range(max(left, 0), min(right, len(row) - 1) + 1)))
    return out


def _spread_over_columns(grid: Grid, r: int) -> list[str] | None:
    """Header labels printed side by side that the lattice reader put in one cell (its header
    row lacks the vertical rules: 西安 人员经费支出 公用经费支出 专项业务经费支出 in one cell over
    three columns) go back to the columns their words stand in. None when no cell needs it."""
    row = grid.cells[r]
    if not any(len(c.text.split()) > 1 for c in row):
        return None
    texts = [c.text for c in row]
    for i, cell in enumerate(row):
        tokens = cell.text.split()
        if len(tokens) < 2 or any(measure_key([t], None) is None for t in tokens):
            continue  # 收 入 / 项 目: one label letter-spaced, not labels side by side
        for k, text in (spread_cell(row, i, grid.lines, row[0].y0, row[0].y1, texts) or {}).items():
            texts[k] = text
    return texts


MIN_MOVED_CHARS = 3  # a header word this long may move to the cell it is printed in


def _words_to_their_cells(grid: Grid, n_header: int) -> Grid:
    """A header word the reader put in a merged cell above it though the page prints it in
    another column's cell of a lower header row (苏州 政府采购表: '采购组织形式 一般公共' in one
    cell, '一般公共' printed over '预算资金'): it joins the words of the cell it stands in."""
    cells = [list(row) for row in grid.cells]
    moved = False
    for r in range(min(n_header, len(cells))):
        for c, cell in enumerate(cells[r]):
            tokens = cell.text.split()
            if len(tokens) < 2:
                continue
            end = c  # a merged cell spans the columns up to its right rule
            while end + 1 < len(cells[r]) and not cells[r][end].right:
                end += 1
            for token in tokens:
                home = _home(grid, n_header, cell, token)
                if home is None or c <= home[1] <= end or home[0] <= r:
                    continue  # printed inside its own (merged) cell, or not below it
                r2, c2 = home
                target = cells[r2][c2]
                cells[r][c] = cell = dataclasses.replace(cell, text=" ".join(t for t in cell.text.split() if t != token))
                cells[r2][c2] = dataclasses.replace(target, text=f"{token} {target.text}".strip())
                moved = True
    return dataclasses.replace(grid, cells=cells) if moved else grid


def _home(grid: Grid, n_header: int, cell, token: str) -> tuple[int, int] | None:
    """The header cell (row, column) where the page prints `token`, when the header prints it
    once (收入, 费 printed in several cells could be any of them)."""
    bottom = grid.cells[n_header - 1][0].y0 - 1
    words = [(x0, x1, (ln.y0 + ln.y1) / 2) for ln in grid.lines for x0, x1, w in ln.words
             if w.strip() == token and (ln.y0 + ln.y1) / 2 >= bottom]
    if len(words) != 1 or len(token) < MIN_MOVED_CHARS:
        return None
    x0, x1, ym = words[0]
    xm = (x0 + x1) / 2
    for r in range(n_header):
        for c, other in enumerate(grid.cells[r]):
            if other.x0 <= xm < other.x1 and other.y0 <= ym <= other.y1:
                return r, c
    return None
