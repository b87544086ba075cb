"""Ruling lines of a scanned page, found in its image, for the OCR text layer to redraw.

Why: a scan's table grid is pixels, so the vector lattice reader finds no grid and the page
falls to the text flavors, which guess columns from word positions and misplace sparse
columns (measured: a 2-page 基本支出 table read right on 0 of 29 rows by stream, 29 of 29
with the grid redrawn). Long thin dark runs are found with a morphological opening (OpenCV)
on a 150-dpi rendering; parsers/ocr_layer.py draws them as vector lines at the same places,
parsers/ocr_words.py cuts words at them and parsers/ocr_cells.py makes cells of them.
"""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium

DPI = 150
DARK = 160  # grey level under which a pixel is ink, at the least
# Some reports rule their tables in light grey (北京司法局: rules at grey 199 on white paper,
# none found at 160, so no grid, no cells, no fragment re-reads: 9/64 rows). So the
# threshold follows the paper: up to LIGHT_RULE, PAPER_MARGIN under the page's median grey.
LIGHT_RULE = 215
PAPER_MARGIN = 40
MIN_H = 0.12  # a horizontal rule spans at least this share of the page width (a table row line does)
MIN_V = 0.05  # a vertical rule at least this share of the page height: longer than a title character
MAX_THICK = 6  # px at DPI: thicker dark bands are pictures or filled cells, not rules


def ink_level(g: np.ndarray) -> float:
    """The grey level under which a pixel is ink on this page: light-grey rules count on
    white paper, and a dark (grey) scan's paper never does."""
    return max(DARK, min(LIGHT_RULE, float(np.median(g)) - PAPER_MARGIN))


def page_rules(page: pdfium.PdfPage) -> list[list[float]]:
    """Segments [x0, y0, x1, y1, thickness]: ends as fractions of the page (top-left
    origin), thickness in pt."""
    import cv2

    bitmap = page.render(scale=DPI / 72, grayscale=True)
    g = bitmap.to_numpy()
    if g.ndim == 3:
        g = g[..., 0]
    h, w = g.shape
    ink = (g < ink_level(g)).astype(np.uint8)
    out: list[list[float]] = []
    for horizontal in (True, False):
        k = (max(3, int(MIN_H * w)), 1) if horizontal else (1, max(3, int(MIN_V * h)))
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, k))
        n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, _area = stats[i]
            if horizontal and bh <= MAX_THICK:
                ym = (y + bh / 2) / h
                out.append([x / w, ym, (x + bw) / w, ym, bh * 72 / DPI])
            elif not horizontal and bw <= MAX_THICK:
                xm = (x + bw / 2) / w
                out.append([xm, y / h, xm, (y + bh) / h, bw * 72 / DPI])
    return out
