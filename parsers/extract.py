"""camelot calls: one layout analysis per page, shared by the lattice and stream parsers.

Measured on the real corpus: camelot's layout analysis (playa + pdfminer-style grouping) is
~90% of a lattice read with engine="vector"; the lattice and stream table builders
themselves cost a few ms a page. So each page is laid out once, read as a ruled grid
(lattice, vector engine: same cells as the raster engine, ~10x faster), and only pages with
table-like text outside any grid are also read by the stream parser, from the same layout.
The page's text lines (with positions, in camelot's de-rotated page space) are kept: table
titles, 单位 lines and headers printed outside the grid are read from them.

Only pages that can hold a table are laid out (parsers/pages.py, from the text layer), and
without pdfminer's reading-order pass (boxes_flow=None): that pass groups text boxes into a
hierarchy to order them (half of the layout's time) and changes nothing but the order of
the boxes, while camelot sorts text by position before it fills cells and every reader here
goes by position too (tests/test_speed_layout.py holds both layouts equal on real pages).

This leans on camelot 2.0's PDFHandler._get_layout and parser.prepare_page_parse (pinned
in pyproject): read_pdf offers no way to reuse a layout between flavors.
"""

from __future__ import annotations

import logging
import re
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from pathlib import Path

from parsers.amounts import AMOUNT_TOKEN
from parsers.glued import split_glued, split_glued_amounts
from parsers.grid import Cell, Grid, PageLayout, TextLine
from parsers.normalise.codes import split_code_prefix
from parsers.numbered import numbered_grid
from parsers.pages import pages_to_lay_out

__all__ = ["Cell", "Grid", "PageLayout", "TextLine", "iter_pages", "split_glued"]  # importers of the data model

log = logging.getLogger(__name__)
for _noisy in ("playa", "pdfminer", "camelot"):  # per-object warnings about malformed PDFs, not ours to act on
    logging.getLogger(_noisy).setLevel(logging.ERROR)

PROSE = re.compile(r"[，。；：:（]|万元|亿元|\d\s*元")  # a figure inside a sentence, not in a table cell
LAYOUT = {"boxes_flow": None}  # pdfminer LAParams: no reading-order pass (see above)


def _grid_from_camelot(t, flavor: str) -> Grid:
    cells = []
    for row in t.cells:
        out = []
        for c in row:
            text = (c.text or "").strip()
            out.append(Cell(text, c.x1, c.y1, c.x2, c.y2, c.left, c.right, c.top, c.bottom))
        cells.append(out)
    x0, y0, x1, y1 = t._bbox
    return Grid(page=int(t.page), flavor=flavor, bbox=(x0, y0, x1, y1), cells=cells,
                accuracy=_score(t, "accuracy"), whitespace=_score(t, "whitespace"))


def _score(t, name: str) -> float | None:
    value = getattr(t, name, None)
    return round(float(value), 2) if value is not None else None


def _lines_from_layout(horizontal_text, width: float | None = None, height: float | None = None) -> list[TextLine]:
    """The page's text lines; with the page's size, only those printed on it: text placed off
    the page is in the file but not on the page (pdftotext and a viewer drop it too), e.g. a
    next table's title drawn below the bottom edge, which would otherwise be an empty table."""
    out = []
    for ln in horizontal_text:
        if width is not None and height is not None and not (
                0 <= (ln.y0 + ln.y1) / 2 <= height and ln.x1 > 0 and ln.x0 < width):
            continue
        text = ln.get_text().strip()
        if text:
            out.append(TextLine(ln.x0, ln.y0, ln.x1, ln.y1, text, _words(ln)))
    return out


def _words(line) -> list[tuple[float, float, str]]:
    """Split a layout line into words at spaces and at gaps wider than a character."""
    words: list[tuple[float, float, str]] = []
    cur: list = []  # (char, its text)
    for ch in getattr(line, "_objs", []):
        if not hasattr(ch, "x0"):  # LTAnno: a space the layout inserted
            if cur:
                words.append((cur[0][0].x0, cur[-1][0].x1, "".join(t for _, t in cur)))
                cur = []
            continue
        text = ch.get_text()
        blank = not text.strip()
        if cur and (ch.x0 - cur[-1][0].x1 > max(ch.width, 1.0) or blank):
            words.append((cur[0][0].x0, cur[-1][0].x1, "".join(t for _, t in cur)))
            cur = []
        if not blank:
            cur.append((ch, text))
    if cur:
        words.append((cur[0][0].x0, cur[-1][0].x1, "".join(t for _, t in cur)))
    return words


def _is_table_line(ln: TextLine) -> bool:
    """A line holding a figure the way table cells do: no sentence around it."""
    return bool(AMOUNT_TOKEN.search(ln.text)) and not PROSE.search(ln.text)


def _enough_rows(lines: list[TextLine], min_lines: int) -> bool:
    """Enough table-looking lines, or a figure and a line that starts with a code and a name:
    a continuation page may carry one or two rows ([312]对企业补助 41,939.63 under its header)."""
    figures = sum(map(_is_table_line, lines))
    return figures >= min_lines or figures > 0 and any(_coded_name(ln.text) for ln in lines)


def _coded_name(text: str) -> bool:
    code, rest = split_code_prefix(text)
    return code is not None and bool(re.match(r"[\u4e00-\u9fff]", rest))


def _stream_areas(pl: PageLayout, min_lines: int) -> list[str] | None:
    """Page bands outside every ruled grid that hold enough table-looking lines (or a coded
    row), as camelot table_areas; ["whole"] for a page with no grid at all; None when no text
    flavor is needed."""
    if not pl.grids:
        return ["whole"] if _enough_rows(pl.lines, min_lines) else None
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
        if _enough_rows(inside, min_lines):
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
                layout, dim, images, _chars, htext, vtext, rotation = handler._get_layout(page, **LAYOUT)
            except Exception as e:  # a broken content stream: record, keep going
                yield PageLayout(number, 0, 0, error=f"page {number}: the page's content could not be laid out "
                                 "(its drawing instructions are damaged); its tables are not read")
                log.info("page %s layout: %s", number, e)
                continue
            pl = PageLayout(number, float(dim[0]), float(dim[1]), _lines_from_layout(htext, *map(float, dim)))
            args = (path, layout, dim, number, images, htext, vtext, rotation)
            try:
                lattice.prepare_page_parse(*args, layout_kwargs={})
                pl.grids = [_grid_from_camelot(t, "lattice") for t in lattice.extract_tables()]
                for g in pl.grids:
                    split_glued_amounts(g, pl.lines)
                    g.lines = pl.lines
            except Exception as e:
                pl.error = f"page {number}: the ruled tables on this page could not be read; text-only reading is used"
                log.info("page %s lattice: %s", number, e)
            areas = _stream_areas(pl, min_stream_lines)
            numbered = numbered_grid(pl) if areas == ["whole"] else None
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
                grids.append(_grid_from_camelot(t, name))
        except Exception as e:  # one flavor failing must not lose the page
            errors.append(f"the unruled table could not be read by its columns ({name} reading failed)")
            log.info("%s reading: %s", name, e)
            continue
        score = sum(_well_formed(c.text, decimals) for g in grids for row in g.cells for c in row)
        if score > best[0]:
            best = (score, grids)
    for g in best[1]:  # only the kept reading needs cell positions
        g.cells = [[_unruled(c) for c in row] for row in g.cells]
        _text_positions(g, pl.lines)
        g.lines = pl.lines
    return best[1], ("; ".join(errors) if errors and not best[1] else None)


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


def _text_positions(g: Grid, lines: list[TextLine]) -> None:
    """Record where each cell's text starts: sparse code parts and indented names need it.
    Lines are looked up by their vertical middle (sorted once), not scanned per cell."""
    by_mid = sorted(((ln.y0 + ln.y1) / 2, ln.x0) for ln in lines)
    mids = [m for m, _ in by_mid]
    for row in g.cells:
        for c in row:
            if not c.text:
                continue
            lo, hi = bisect_left(mids, c.y0 - 1), bisect_right(mids, c.y1 + 1)
            c.x_text = min((x for _, x in by_mid[lo:hi] if c.x0 - 2 <= x <= c.x1), default=None)


def _unruled(c: Cell) -> Cell:
    c.left = c.right = c.top = c.bottom = True  # stream cells never span
    return c
