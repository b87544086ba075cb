"""Which camelot flavor and engine? The evidence behind parsers/extract.py. Not a test.

    .venv/bin/python bench/flavors.py [PDF ...]   (default: every PDF of ../shared/corpus/real,
                                                  else samples/corpus)

1. Lattice, engine="vector" against the default engine ("combined": raster line detection
   plus vector lines): seconds per file, and whether both return the same tables with the
   same cell texts.
2. For the pages the parser reads with a text flavor (no ruled grid, or table-like lines
   outside every grid): stream against network, from the same layout, scored the way the
   parser scores them (well-formed amounts); how often each wins and by how much.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def lattice_engines(pdf: Path) -> tuple[float, float, bool, int]:
    import camelot

    out = []
    for engine in ("vector", "combined"):
        t0 = time.perf_counter()
        try:
            tables = camelot.read_pdf(str(pdf), pages="all", flavor="lattice", engine=engine)
            cells = [(t.page, t.df.values.tolist()) for t in tables]
        except Exception:
            cells = []
        out.append((time.perf_counter() - t0, cells))
    (tv, cv), (tc, cc) = out
    return tv, tc, cv == cc, len(cv)


def text_flavors(pdf: Path) -> list[tuple[int, int, int]]:
    """(page, stream score, network score) for the pages the parser reads with a text flavor."""
    import playa
    from camelot.handlers import PDFHandler
    from camelot.parsers import Lattice, Network, Stream

    from parsers.extract import (
        PageLayout,
        _dominant_decimals,
        _grid_from_camelot,
        _lines_from_layout,
        _same_area,
        _stream_areas,
        _well_formed,
    )

    handler = PDFHandler(str(pdf))
    rows = []
    with playa.open(str(pdf), space="page") as doc:
        for page in doc.pages:
            n = page.page_idx + 1
            try:
                layout, dim, images, _c, ht, vt, rot = handler._get_layout(page)
            except Exception:
                continue
            args = (str(pdf), layout, dim, n, images, ht, vt, rot)
            pl = PageLayout(n, float(dim[0]), float(dim[1]), _lines_from_layout(ht))
            lat = Lattice(engine="vector")
            lat.prepare_page_parse(*args, layout_kwargs={})
            pl.grids = [_grid_from_camelot(t, "lattice") for t in lat.extract_tables()]
            areas = _stream_areas(pl, 3)
            if not areas:
                continue
            dec = _dominant_decimals(pl.lines)
            scores = []
            for cls in (Stream, Network):
                p = cls() if areas == ["whole"] else cls(table_areas=areas)
                p.prepare_page_parse(*args, layout_kwargs={})
                kept: list = []
                for t in p.extract_tables():  # as the parser does: a table returned twice counts once
                    if not any(_same_area(t._bbox, k._bbox) for k in kept):
                        kept.append(t)
                scores.append(sum(_well_formed(c.text, dec) for t in kept for row in t.cells for c in row))
            rows.append((n, *scores))
    return rows


def main(args: list[str]) -> None:
    warnings.filterwarnings("ignore")
    if args:
        pdfs = [Path(a) for a in args]
    else:
        shared = ROOT.parent / "shared" / "corpus" / "real"
        pdfs = sorted((shared if shared.exists() else ROOT / "samples" / "corpus").glob("*.pdf"))
    tv_all = tc_all = 0.0
    same = 0
    print(f"{'file':56s} {'vector s':>8s} {'combined s':>10s} {'same cells':>10s} {'tables':>6s}")
    for pdf in pdfs:
        tv, tc, eq, n = lattice_engines(pdf)
        tv_all, tc_all, same = tv_all + tv, tc_all + tc, same + eq
        print(f"{pdf.name[:56]:56s} {tv:8.2f} {tc:10.2f} {str(eq):>10s} {n:6d}")
    print(f"lattice: vector {tv_all:.1f}s, combined {tc_all:.1f}s ({tc_all / max(tv_all, 1e-9):.1f}x); "
          f"identical tables and cells in {same}/{len(pdfs)} files\n")
    wins = {"stream": 0, "network": 0, "tie": 0}
    pages = 0
    for pdf in pdfs:
        for n, s, w in text_flavors(pdf):
            pages += 1
            key = "tie" if s == w else ("stream" if s > w else "network")
            wins[key] += 1
            if s != w:
                print(f"{pdf.name[:56]:56s} p{n:<4d} stream {s:4d}  network {w:4d}")
    print(f"text-flavor pages: {pages}; stream better on {wins['stream']}, network better on {wins['network']}, "
          f"equal on {wins['tie']}")


if __name__ == "__main__":
    main(sys.argv[1:])
