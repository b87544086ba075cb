"""The layout shortcuts of parsers/extract.py change nothing but time: pdfminer's reading-order
pass (boxes_flow) only reorders text boxes, and camelot reads the same cells either way."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from parsers.extract import LAYOUT, _grid_from_camelot, _lines_from_layout, _text_positions, iter_pages

FIXTURES = Path(__file__).parent / "fixtures" / "real"
RULED = FIXTURES / "jiangsu_gaoyuan_2018_yusuan_p1_p17_p21_p24.pdf"  # ruled grids
UNRULED = FIXTURES / "guangzhou_kejiju_2026_yusuan_p1_p9-10_p13-17.pdf"  # tables without rules


def _tables(path: str, layout_kwargs: dict) -> list[tuple]:
    """Every page's text lines (as a sorted multiset) and the cells of its lattice, stream and
    network tables, read from one layout made with these LAParams."""
    import playa
    from camelot.handlers import PDFHandler
    from camelot.parsers import Lattice, Network, Stream

    handler = PDFHandler(path)
    out = []
    with warnings.catch_warnings(), playa.open(path, space="page") as pdf:
        warnings.simplefilter("ignore")
        for page in pdf.pages:
            layout, dim, images, _chars, htext, vtext, rotation = handler._get_layout(page, **layout_kwargs)
            lines = sorted((ln.x0, ln.y0, ln.x1, ln.y1, ln.text, tuple(ln.words)) for ln in _lines_from_layout(htext))
            args = (path, layout, dim, page.page_idx + 1, images, htext, vtext, rotation)
            grids = []
            for name, parser in (("lattice", Lattice(engine="vector")), ("stream", Stream()), ("network", Network())):
                parser.prepare_page_parse(*args, layout_kwargs={})
                for t in parser.extract_tables():
                    g = _grid_from_camelot(t, name)
                    grids.append((name, g.bbox, [[(c.text, c.x0, c.y0, c.x1, c.y1) for c in r] for r in g.cells]))
            out.append((page.page_idx + 1, lines, sorted(vtext_key(v) for v in vtext), grids))
    return out


def vtext_key(v) -> tuple:
    return (v.x0, v.y0, v.x1, v.y1, v.get_text())


@pytest.mark.slow  # lays out 12 real pages twice and reads each with three flavors
@pytest.mark.parametrize("pdf", [RULED, UNRULED], ids=["ruled", "unruled"])
def test_layout_without_reading_order_reads_the_same_tables(pdf: Path) -> None:
    assert LAYOUT == {"boxes_flow": None}
    fast, full = _tables(str(pdf), LAYOUT), _tables(str(pdf), {})
    assert sum(len(p[1]) for p in full) > 50 and sum(len(p[3]) for p in full) >= 3  # real text and tables
    assert fast == full


def test_text_positions_match_a_scan_of_every_line() -> None:
    pl = next(p for p in iter_pages(UNRULED, all_pages=True) if any(g.flavor != "lattice" for g in p.grids))
    g = next(g for g in pl.grids if g.flavor != "lattice")
    expected = []
    for row in g.cells:
        for c in row:
            xs = [ln.x0 for ln in pl.lines
                  if c.y0 - 1 <= (ln.y0 + ln.y1) / 2 <= c.y1 + 1 and c.x0 - 2 <= ln.x0 <= c.x1]
            expected.append(min(xs) if xs and c.text else None)
    for row in g.cells:
        for c in row:
            c.x_text = -1.0 if c.text else None  # empty cells are left as they are
    _text_positions(g, pl.lines)
    got = [c.x_text for row in g.cells for c in row]
    assert got == expected and sum(x is not None for x in got) >= 10
