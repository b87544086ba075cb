"""What a laid-out page holds: its text lines (with word positions) and the table grids read
from it. Plain data shared by the layout step (parsers/extract.py) and every reader after it
(locate, headers, tables, verify), so those never import the camelot glue.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass
class TextLine:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    words: list[tuple[float, float, str]] = field(default_factory=list)  # (x0, x1, text) split at gaps


@dataclass
class Cell:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    left: bool = True
    right: bool = True
    top: bool = True
    bottom: bool = True
    x_text: float | None = None  # where the text starts (indentation), for text-based flavors


@dataclass
class Grid:
    """One camelot table: cells[r][c] top-to-bottom, left-to-right, with ruling flags."""

    page: int
    flavor: str
    bbox: tuple[float, float, float, float]  # x0, y0 (bottom), x1, y1 (top), PDF space
    cells: list[list[Cell]]
    lines: list[TextLine] = field(default_factory=list, repr=False)  # the page's text, for re-gridding
    # camelot's own scores (0-100): how well text fits the cells, and the share of empty cells
    accuracy: float | None = None
    whitespace: float | None = None

    def indent(self, r: int, c: int) -> float | None:
        """How far the text of a cell starts from the cell's left edge (hierarchy by indentation)."""
        cell = self.cells[r][c]
        if cell.x_text is not None:
            return cell.x_text - cell.x0
        ym = (cell.y0 + cell.y1) / 2
        xs = [w[0] for ln in self.lines if ln.y0 - 1 <= ym <= ln.y1 + 1 or cell.y0 <= (ln.y0 + ln.y1) / 2 <= cell.y1
              for w in ln.words if cell.x0 - 1 <= w[0] < cell.x1 and w[2].strip()]
        return min(xs) - cell.x0 if xs else None

    def regrid(self, columns: list[tuple[float, float]]) -> Grid:
        """This grid's rows cut into the given columns, from the page's words.

        A text flavor guesses columns page by page; a continuation page read with other
        column edges than the page before is cut again with that page's edges.
        """
        rows = []
        for row in self.cells:
            y0, y1 = row[0].y0, row[0].y1
            words: dict[int, list[tuple[float, str]]] = {}
            for ln in self.lines:
                if not y0 - 0.5 <= (ln.y0 + ln.y1) / 2 <= y1 + 0.5:
                    continue
                for w in ln.words:
                    xm = (w[0] + w[1]) / 2
                    if not self.bbox[0] - 5 <= xm <= self.bbox[2] + 5:
                        continue
                    k = min(range(len(columns)), key=lambda i: 0 if columns[i][0] <= xm <= columns[i][1]
                            else min(abs(xm - columns[i][0]), abs(xm - columns[i][1])))
                    words.setdefault(k, []).append((w[0], w[2]))
            rows.append([Cell(" ".join(t for _, t in sorted(words.get(k, []))), a, y0, b, y1,
                              x_text=min((x for x, _ in words.get(k, [])), default=None))
                         for k, (a, b) in enumerate(columns)])
        return dataclasses.replace(self, cells=rows)

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_cols(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def text(self, r: int, c: int) -> str:
        return self.cells[r][c].text

    def row_texts(self, r: int) -> list[str]:
        return [c.text for c in self.cells[r]]


@dataclass
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    error: str | None = None

    def lines_between(self, top: float, bottom: float, x0: float = -1e9, x1: float = 1e9) -> list[TextLine]:
        """Text lines whose vertical middle lies in (bottom, top), top-to-bottom."""
        out = [ln for ln in self.lines
               if bottom < (ln.y0 + ln.y1) / 2 < top and ln.x1 > x0 and ln.x0 < x1]
        return sorted(out, key=lambda ln: (-ln.y1, ln.x0))


def _words_by_column(row: list[Cell], lines: list[TextLine], y0: float, y1: float,
                     tokens: list[str], c: int) -> dict[int, list[str]]:
    """The column each of cell c's words stands in. A word printed twice on the line ('0.00'
    in two blocks) is the occurrence nearest to cell c: the other belongs to another cell."""
    found = []  # (line order, x0, x1, text) of the line's words that are c's tokens
    for i, ln in enumerate(lines):  # top line first, words left to right
        if not y0 - 1 <= (ln.y0 + ln.y1) / 2 <= y1 + 1:
            continue
        found += [(i, x0, x1, text.strip()) for x0, x1, text in ln.words if text.strip() in tokens]
    cell = row[c]
    chosen = []
    for token in tokens:
        near = sorted((max(cell.x0 - w[2], w[1] - cell.x1, 0.0), n) for n, w in enumerate(found)
                      if w[3] == token and n not in chosen)
        if near:
            chosen.append(near[0][1])
    out: dict[int, list[str]] = {}
    for n in sorted(chosen, key=lambda n: (found[n][0], found[n][1])):
        _, x0, x1, text = found[n]
        k = next((k for k, cl in enumerate(row) if cl.x0 <= (x0 + x1) / 2 < cl.x1), None)
        if k is not None:
            out.setdefault(k, []).append(text)
    return out


def spread_cell(row: list[Cell], c: int, lines: list[TextLine], y0: float, y1: float,
                texts: list[str]) -> dict[int, str] | None:
    """Where the words of cell c really stand, when the reader put a page line running over
    rules into one cell: the new text of each column they stand in (c's own included), or
    None unless every word is placed, some move, and only into empty cells."""
    tokens = texts[c].split()
    homes = _words_by_column(row, lines, y0, y1, tokens, c)
    placed = sorted(t for ws in homes.values() for t in ws)
    if placed != sorted(tokens) or not set(homes) - {c} or any(texts[k].strip() for k in homes if k != c):
        return None
    out = {k: " ".join(ws) for k, ws in homes.items()}
    out.setdefault(c, "")
    return out
