"""camelot calls: one layout analysis per page, shared by the lattice and stream parsers.

Measured on the real corpus: camelot's layout analysis (playa + pdfminer-style grouping) is
~90% of a lattice read with engine="vector"; the lattice and stream table builders
themselves cost a few ms a page. So each page is laid out once, read as a ruled grid
(lattice, vector engine: same cells as the raster engine, ~10x faster), and only pages with
table-like text outside any grid are also read by the stream parser, from the same layout.
The page's text lines (with positions, in camelot's de-rotated page space) are kept: table
titles, 单位 lines and headers printed outside the grid are read from them.

This leans on camelot 2.0's PDFHandler._get_layout and parser.prepare_page_parse (pinned
in pyproject): read_pdf offers no way to reuse a layout between flavors.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from parsers.amounts import AMOUNT_TOKEN, MONEY_UNIT
from parsers.pages import pages_to_lay_out

log = logging.getLogger(__name__)
for _noisy in ("playa", "pdfminer", "camelot"):  # per-object warnings about malformed PDFs, not ours to act on
    logging.getLogger(_noisy).setLevel(logging.ERROR)

PROSE = re.compile(r"[，。；：:（]|万元|亿元|\d\s*元")  # a figure inside a sentence, not in a table cell


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
        return Grid(self.page, self.flavor, self.bbox, rows, self.lines)

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


def _grid_from_camelot(t, flavor: str) -> Grid:
    cells = []
    for row in t.cells:
        out = []
        for c in row:
            text = (c.text or "").strip()
            out.append(Cell(text, c.x1, c.y1, c.x2, c.y2, c.left, c.right, c.top, c.bottom))
        cells.append(out)
    x0, y0, x1, y1 = t._bbox
    return Grid(page=int(t.page), flavor=flavor, bbox=(x0, y0, x1, y1), cells=cells)


def _lines_from_layout(horizontal_text) -> list[TextLine]:
    out = []
    for ln in horizontal_text:
        text = ln.get_text().strip()
        if text:
            out.append(TextLine(ln.x0, ln.y0, ln.x1, ln.y1, text, _words(ln)))
    return out


def _words(line) -> list[tuple[float, float, str]]:
    """Split a layout line into words at spaces and at gaps wider than a character."""
    words: list[tuple[float, float, str]] = []
    cur: list = []
    for ch in getattr(line, "_objs", []):
        if not hasattr(ch, "x0"):  # LTAnno: a space the layout inserted
            if cur:
                words.append((cur[0].x0, cur[-1].x1, "".join(c.get_text() for c in cur)))
                cur = []
            continue
        if cur and (ch.x0 - cur[-1].x1 > max(ch.width, 1.0) or not ch.get_text().strip()):
            words.append((cur[0].x0, cur[-1].x1, "".join(c.get_text() for c in cur)))
            cur = []
        if ch.get_text().strip():
            cur.append(ch)
    if cur:
        words.append((cur[0].x0, cur[-1].x1, "".join(c.get_text() for c in cur)))
    return words


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


def _is_table_line(ln: TextLine) -> bool:
    """A line holding a figure the way table cells do: no sentence around it."""
    return bool(AMOUNT_TOKEN.search(ln.text)) and not PROSE.search(ln.text)


def _stream_areas(pl: PageLayout, min_lines: int) -> list[str] | None:
    """Page bands outside every ruled grid that hold enough table-looking lines, as camelot
    table_areas; ["whole"] for a page with no grid at all; None when no text flavor is needed."""
    if not pl.grids:
        return ["whole"] if sum(map(_is_table_line, pl.lines)) >= min_lines else None
    edges = sorted((g.bbox[3], g.bbox[1]) for g in pl.grids)  # (top, bottom) ascending by top
    bands, top = [], pl.height
    for g_top, g_bottom in sorted(edges, reverse=True):
        if top - g_top > 10:
            bands.append((top, g_top))
        top = min(top, g_bottom)
    if top > 10:
        bands.append((top, 0.0))
    areas = []
    for b_top, b_bottom in bands:
        inside = [ln for ln in pl.lines if b_bottom < (ln.y0 + ln.y1) / 2 < b_top]
        if sum(map(_is_table_line, inside)) >= min_lines:
            areas.append(f"0,{b_top:.1f},{pl.width:.1f},{b_bottom:.1f}")
    return areas or None


def iter_pages(path: Path | str, min_stream_lines: int = 3, texts: list[str] | None = None,
               all_pages: bool = False) -> Iterator[PageLayout]:
    """Lay out each page that can hold a table once (parsers/pages.py chooses them from the
    text layer, `texts` when the caller has read it already); read it as lattice grids, and
    as stream tables where needed. Other pages yield an empty PageLayout."""
    import playa
    from camelot.handlers import PDFHandler
    from camelot.parsers import Lattice

    path = str(path)
    keep = pages_to_lay_out(path, texts, all_pages)
    handler = PDFHandler(path)
    lattice = Lattice(engine="vector")
    with warnings.catch_warnings(), playa.open(path, space="page") as pdf:
        warnings.simplefilter("ignore")
        for page in pdf.pages:
            number = page.page_idx + 1
            if keep is not None and number <= len(keep) and not keep[number - 1]:
                yield PageLayout(number, float(page.width), float(page.height))
                continue
            try:
                layout, dim, images, _chars, htext, vtext, rotation = handler._get_layout(page)
            except Exception as e:  # a broken content stream: record, keep going
                yield PageLayout(number, 0, 0, error=f"page {number}: the page's content could not be laid out "
                                 "(its drawing instructions are damaged); its tables are not read")
                log.info("page %s layout: %s", number, e)
                continue
            pl = PageLayout(number, float(dim[0]), float(dim[1]), _lines_from_layout(htext))
            args = (path, layout, dim, number, images, htext, vtext, rotation)
            try:
                lattice.prepare_page_parse(*args, layout_kwargs={})
                pl.grids = [_grid_from_camelot(t, "lattice") for t in lattice.extract_tables()]
                for g in pl.grids:
                    _split_glued_amounts(g, pl.lines)
                    g.lines = pl.lines
            except Exception as e:
                pl.error = f"page {number}: the ruled tables on this page could not be read; text-only reading is used"
                log.info("page %s lattice: %s", number, e)
            areas = _stream_areas(pl, min_stream_lines)
            numbered = _numbered_grid(pl) if areas == ["whole"] else None
            if numbered:
                pl.grids.append(numbered)
                areas = None
            if areas:
                grids, err = _text_flavor_grids(args, areas, pl)
                pl.grids.extend(grids)
                if err:
                    pl.error = f"page {number}: {err}"
            yield pl


def _text_flavor_grids(args: tuple, areas: list[str], pl: PageLayout) -> tuple[list[Grid], str | None]:
    """Read unruled tables with both of camelot's text flavors and keep the better reading.

    Neither wins everywhere on the corpus: network finds a sparse right-hand column that
    stream's auto-detected area leaves out (the synthetic 卫健委 2024 基本支出表), stream
    keeps narrow columns apart that network merges. Both read the same layout, so trying
    both costs a few ms; the reading with more well-formed amounts wins.
    """
    from camelot.parsers import Network, Stream

    whole = areas == ["whole"]
    decimals = _dominant_decimals(pl.lines)
    best: tuple[int, list[Grid]] = (-1, [])
    errors = []
    for name, cls in (("stream", Stream), ("network", Network)):
        try:
            parser = cls() if whole else cls(table_areas=areas)
            parser.prepare_page_parse(*args, layout_kwargs={})
            grids = []
            for t in parser.extract_tables():
                if any(_same_area(t._bbox, g.bbox) for g in grids):
                    continue  # stream sometimes returns one table twice
                g = _grid_from_camelot(t, name)
                g.cells = [[_unruled(c) for c in row] for row in g.cells]
                _text_positions(g, pl.lines)
                g.lines = pl.lines
                grids.append(g)
        except Exception as e:  # one flavor failing must not lose the page
            errors.append(f"the unruled table could not be read by its columns ({name} reading failed)")
            log.info("%s reading: %s", name, e)
            continue
        score = sum(_well_formed(c.text, decimals) for g in grids for row in g.cells for c in row)
        if score > best[0]:
            best = (score, grids)
    return best[1], ("; ".join(errors) if errors and not best[1] else None)


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


def _split_glued_amounts(g: Grid, lines: list[TextLine]) -> None:
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
                cell.text, row[c + 1].text = pair
    _spread_merged_figures(g, lines)


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


def _same_area(a, b) -> bool:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return small > 0 and ix * iy >= 0.8 * small


def _dominant_decimals(lines: list[TextLine]) -> int | None:
    counts: dict[int, int] = {}
    for ln in lines:
        for w in ln.words:
            if AMOUNT_TOKEN.fullmatch(w[2]):
                d = len(w[2].split(".", 1)[1]) if "." in w[2] else 0
                counts[d] = counts.get(d, 0) + 1
    return max(counts, key=lambda d: counts[d]) if counts else None


def _well_formed(text: str, decimals: int | None) -> int:
    t = text.strip().replace(" ", "")
    if not AMOUNT_TOKEN.fullmatch(t):
        return 0
    d = len(t.split(".", 1)[1]) if "." in t else 0
    return 1 if decimals is None or d == decimals else -1


def _numbered_grid(pl: PageLayout) -> Grid | None:
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


def _text_positions(g: Grid, lines: list[TextLine]) -> None:
    """Record where each cell's text starts: sparse code parts and indented names need it."""
    for row in g.cells:
        for c in row:
            if not c.text:
                continue
            xs = [ln.x0 for ln in lines
                  if c.y0 - 1 <= (ln.y0 + ln.y1) / 2 <= c.y1 + 1 and c.x0 - 2 <= ln.x0 <= c.x1]
            c.x_text = min(xs) if xs else None


def _unruled(c: Cell) -> Cell:
    c.left = c.right = c.top = c.bottom = True  # stream cells never span
    return c
