"""A second Tesseract read of the header cells the page read got wrong, one cell at a time.

Why: Tesseract's page layout analysis runs the lines of a table header's cells together
(a two-line 事业单位经营 / 支出 beside one-line cells came out as one low-confidence word, or as
nothing), and a header not read is a column whose figures get no key or a guessed one. Read
alone, without the rules around it, such a cell reads right (page segmentation 6: one
block); so does a cell whose amount lost the digits that touch a rule (parsers/ocr_engine.py). The cells come from the ruling lines parsers/ocr_rules.py found; only header cells
(above the table's first row of figures) whose words are under REREAD_CONF, or that hold ink
outside their words (a line not read), are read again, all of one page in one Tesseract run (cell crops stacked), so a
page whose header read well costs nothing more.

Called by parsers/ocr_engine.py with the page image (PIL).
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

REREAD_CONF = 75.0  # a header word under this is read again with its cell (60 left 人和员经费 at 69.2)
INSET = 5  # px kept clear of the rules when a cell is cut out
GAP = 40  # px of white between stacked cells
INK = 128  # grey level under which a pixel is ink
MIN_INK = 150  # dark pixels a cell with no word must hold to be read again (a character has more)
# dark pixels outside a read cell's words that make it read again: a line of three characters
# not read left 1,017 (事业单位经 / 营支出), a cell read whole 245-359 (the boxes are tight)
MIN_UNREAD_INK = 500
MAX_CELLS = 24  # cells read again on one page at most (a header has fewer; more is not a header)
AMOUNT = re.compile(r"\d[\d,]*\.\d|\d{1,3}(,\d{3})+|\.\d{2}")  # a figure, or its decimals alone (".528800")


def grid_cells(rules: list[list[float]], size: tuple[int, int]) -> list[tuple[float, float, float, float]]:
    """Cells (x0, y0, x1, y1) in image px: below each horizontal rule, between adjacent
    vertical rules that cross it, down to the next horizontal rule under the cell's middle."""
    w, h = size
    hs = [(y0 * h, min(x0, x1) * w, max(x0, x1) * w) for x0, y0, x1, y1, _t in rules if abs(y1 - y0) < 1e-6]
    vs = [(x0 * w, min(y0, y1) * h, max(y0, y1) * h) for x0, y0, x1, y1, _t in rules if abs(x1 - x0) < 1e-6]
    out: set[tuple[float, float, float, float]] = set()
    for y, hx0, hx1 in hs:
        below = y + 2 * INSET
        xs = sorted(x for x, vy0, vy1 in vs if vy0 <= below <= vy1 and hx0 - INSET <= x <= hx1 + INSET)
        for xa, xb in zip(xs, xs[1:], strict=False):
            xm = (xa + xb) / 2
            bottoms = [y2 for y2, x0, x1 in hs if y2 > below and x0 <= xm <= x1]
            if bottoms and xb - xa > 4 * INSET:
                out.add((round(xa), round(y), round(xb), round(min(bottoms))))
    return sorted(out, key=lambda c: (c[1], c[0]))


def inside(word: dict, cell: tuple[float, float, float, float]) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["y0"] + word["y1"]) / 2
    return cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]


def header_cells(cells: list[tuple], words: list[dict], image) -> list[tuple]:
    """The header cells to read again: above the first cell holding a figure, with a word
    under REREAD_CONF, or with ink and no word."""
    # the cell's words together: Tesseract cuts an amount at its separators ("2," "164." "528800")
    tops = [c[1] for c in cells
            if AMOUNT.search("".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]) if inside(w, c)))]
    if not tops:
        return []
    first_row = min(tops)
    out = []
    for c in cells:
        if c[3] > first_row + INSET:
            continue
        held = [w for w in words if inside(w, c)]
        if held and min(w["conf"] for w in held) >= REREAD_CONF and _ink(image, c, held) < MIN_UNREAD_INK:
            continue
        if not held and _ink(image, c) < MIN_INK:
            continue
        out.append(c)
    return out[:MAX_CELLS]


def _ink(image, c: tuple, words: list[dict] = ()) -> int:
    """Dark pixels of the cell outside its words' boxes: a line of a two-line header cell
    that the page read missed (事业单位经 read, 营支出 under it not) is ink with no word."""
    from PIL import ImageDraw

    x0, y0 = c[0] + INSET, c[1] + INSET
    crop = image.crop((x0, y0, c[2] - INSET, c[3] - INSET))
    if words:
        draw = ImageDraw.Draw(crop)
        for w in words:
            draw.rectangle((w["x0"] - x0 - 1, w["y0"] - y0 - 1, w["x1"] - x0 + 1, w["y1"] - y0 + 1), fill=255)
    return sum(crop.histogram()[:INK])


def reread(image, cells: list[tuple], work: Path, args: list[str], timeout: float | None,
           env: dict | None = None) -> dict[tuple, list[dict]]:
    """Read the cells again in one Tesseract run: their crops stacked in one image. Returns,
    per cell, its words (in image px, as the page read gives them)."""
    from PIL import Image

    crops = [image.crop((c[0] + INSET, c[1] + INSET, c[2] - INSET, c[3] - INSET)) for c in cells]
    width = max(cr.size[0] for cr in crops) + 2 * GAP
    height = sum(cr.size[1] + GAP for cr in crops) + GAP
    sheet = Image.new("L", (width, height), 255)
    offsets, y = [], GAP
    for cr in crops:
        sheet.paste(cr, (GAP, y))
        offsets.append(y)
        y += cr.size[1] + GAP
    png = work.with_suffix(".cells.png")
    sheet.save(png)
    prefix = work.with_suffix(".cells")
    subprocess.run([*args, "--psm", "6", str(png), str(prefix), "tsv"], check=True, capture_output=True,
                   timeout=timeout, env=env)
    out: dict[tuple, list[dict]] = {c: [] for c in cells}
    with open(prefix.with_suffix(".cells.tsv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["level"] != "5" or not (row.get("text") or "").strip():
                continue
            x, yy, ww, hh = (int(row[k]) for k in ("left", "top", "width", "height"))
            k = next((i for i, o in enumerate(offsets) if o - GAP / 2 <= yy + hh / 2 <= o + crops[i].size[1] + GAP / 2),
                     None)
            if k is None:
                continue
            c = cells[k]
            dx, dy = c[0] + INSET - GAP, c[1] + INSET - offsets[k]
            out[c].append({"text": row["text"].strip(), "conf": float(row["conf"]), "x0": x + dx, "y0": yy + dy,
                           "x1": x + ww + dx, "y1": yy + hh + dy,
                           "line": (row["block_num"], row["par_num"], row["line_num"])})
    return out


def replace_cells(lines: list[list[dict]], new: dict[tuple, list[dict]], force: bool = False) -> list[list[dict]]:
    """The page's lines with each re-read cell's words swapped for the new ones, where the
    new read is more confident (a cell the first read left empty takes any new word), or
    always (force: the caller has judged the new read better)."""
    flat = [w for ln in lines for w in ln]
    taken: list[tuple] = []
    extra: list[list[dict]] = []
    for c, words in new.items():
        if not words:
            continue
        old = [w for w in flat if inside(w, c)]
        if old and not force and _mean(words) <= _mean(old):
            continue
        taken.append(c)
        by_line: dict[tuple, list[dict]] = {}
        for w in words:
            by_line.setdefault(w.pop("line"), []).append(w)
        extra.extend(sorted(ln, key=lambda w: w["x0"]) for ln in by_line.values())
    kept = [[w for w in ln if not any(inside(w, c) for c in taken)] for ln in lines]
    return [ln for ln in kept if ln] + extra


def _mean(words: list[dict]) -> float:
    return sum(w["conf"] for w in words) / len(words)
