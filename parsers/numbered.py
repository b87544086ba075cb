"""Unruled tables that print a column-number row (※ ※ 1 2 3 …), read word by word from the
page's lines: the number row says where every column is, which camelot's text flavors guess.
"""

from __future__ import annotations

import re

from parsers.amounts import AMOUNT_TOKEN, MONEY_UNIT
from parsers.grid import Cell, Grid, PageLayout, TextLine

PAGE_NUMBER = re.compile(r"[-—－]\s*\d{1,4}\s*[-—－]|第\s*\d+\s*页(共\s*\d+\s*页)?")
COLUMN_TOKEN = re.compile(r"^(?:[※*＊]+|\d{1,2}|栏次|行次)$")


def _column_number_row(lines: list[TextLine]) -> tuple[float, list[float]] | None:
    """A printed column-number row (※ ※ ※ 1 2 3 …): its y and the x centre of every column."""
    bands: dict[int, list[TextLine]] = {}
    for ln in lines:
        bands.setdefault(round((ln.y0 + ln.y1) / 4), []).append(ln)  # 2-pt bands
    for _, band in sorted(bands.items(), key=lambda kv: -kv[0]):
        words = [w for ln in band for w in ln.words]
        if len(words) < 4 or not all(COLUMN_TOKEN.match(w[2]) for w in words):
            continue
        numbers = [w for w in words if w[2].isdigit()]
        if len(numbers) >= 3 and [int(w[2]) for w in sorted(numbers)] == list(range(1, len(numbers) + 1)):
            y = sum((ln.y0 + ln.y1) / 2 for ln in band) / len(band)
            return y, sorted((w[0] + w[1]) / 2 for w in words)
    return None


def numbered_grid(pl: PageLayout) -> Grid | None:
    """An unruled table that prints a column-number row (※ ※ 1 2 3 …), read word by word.

    Text-based column guessing (camelot stream/network) merges narrow columns (类|款|项) and
    splits wide stacked headers; the number row says where every column is. Amounts are
    right-aligned, so a figure belongs to the last column whose centre lies left of its
    right edge; text is left-aligned, so a word belongs to the first column whose centre
    lies right of its left edge; centred header words go to the nearest centre.
    """
    found = _column_number_row(pl.lines)
    if not found:
        return None
    y_num, centres = found
    n = len(centres)
    above = [ln for ln in pl.lines if ln.y0 > y_num]
    heads = [ln for ln in above if MONEY_UNIT.search(ln.text) or re.search(r"编制(单位|部门)|表\s*\d", ln.text)]
    top = min((ln.y0 for ln in heads), default=pl.height)
    header = [ln for ln in above if ln.y1 < top]
    body = [ln for ln in pl.lines if ln.y1 < y_num - 1 and not PAGE_NUMBER.fullmatch(ln.text.strip())]
    if not body:
        return None

    def nearest(x: float) -> int:
        return min(range(n), key=lambda k: abs(centres[k] - x))

    def home(w: tuple[float, float, str]) -> int:
        x0, x1, text = w
        if AMOUNT_TOKEN.fullmatch(text.replace(" ", "")) or re.fullmatch(r"-?[\d,]+(\.\d+)?", text):
            ks = [k for k in range(n) if centres[k] < x1]
            return ks[-1] if ks else 0
        ks = [k for k in range(n) if centres[k] > x0]
        return ks[0] if ks else n - 1

    rows: list[tuple[float, float, dict[int, list]]] = []
    for ln in sorted(body, key=lambda x: -(x.y0 + x.y1)):
        ym = (ln.y0 + ln.y1) / 2
        row = next((r for r in rows if abs((r[0] + r[1]) / 2 - ym) < 2.5), None)
        if row is None:
            row = (ln.y0, ln.y1, {})
            rows.append(row)
        for w in ln.words:
            row[2].setdefault(home(w), []).append(w)
    rows.sort(key=lambda r: -(r[0] + r[1]))
    half = [(centres[k] - (centres[k] - centres[k - 1]) / 2 if k else centres[0] - 20) for k in range(n)]
    right = [half[k + 1] if k + 1 < n else centres[-1] + 20 for k in range(n)]
    own: dict[int, list[tuple[float, float, str]]] = {}
    group: dict[int, list[tuple[float, float, str]]] = {}
    for ln in header:
        for w in ln.words:
            key = (-(ln.y0 + ln.y1), w[0], w[2])
            spans = [k for k in range(n) if min(w[1], right[k]) - max(w[0], half[k]) > 3]
            k0 = nearest((w[0] + w[1]) / 2)
            if len(spans) >= 2 and w[1] - w[0] > right[k0] - half[k0] + 2:
                for k in spans:  # wider than its column (own labels wrap to fit): a group label
                    group.setdefault(k, []).append(key)
            else:
                own.setdefault(nearest((w[0] + w[1]) / 2), []).append(key)

    def cell(k: int, words: list, y0: float, y1: float) -> Cell:
        text = " ".join(w[2] for w in sorted(words, key=lambda w: w[0])) if words else ""
        return Cell(text, half[k], y0, right[k], y1, x_text=min(w[0] for w in words) if words else None)

    y_head = max((ln.y1 for ln in header), default=y_num + 10)
    grid_rows = [[Cell("".join(t for _, _, t in sorted(labels.get(k, []))), half[k], y_num + 5, right[k], y_head)
                  for k in range(n)] for labels in (group, own)]
    grid_rows.append([Cell("※", half[k], y_num - 3, right[k], y_num + 3) for k in range(n)])  # the number row
    for y0, y1, cells in rows:
        grid_rows.append([cell(k, cells.get(k, []), y0, y1) for k in range(n)])
    bottom = min(r[0] for r in rows)
    return Grid(page=pl.number, flavor="numbered", bbox=(half[0], bottom, right[-1], y_head), cells=grid_rows)
