"""The OCR text layer: Tesseract's words as invisible text and the found rules as thin lines,
drawn over each scanned page of the original PDF.

The words are written in the built-in STSong-Light CID font (nothing to embed; pdfium and
playa map it to Unicode), each scaled to the width Tesseract measured, so a table reader
finds every word where the scan prints it. The rules (parsers/ocr_rules.py) are drawn as
0.5 pt vector lines over the scanned ones, so the lattice reader sees the grid a
born-digital report has. Each page's layer is a one-page PDF placed over the page as a form
(pypdfium2), so the scan itself is kept byte for byte.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium

FONT = "STSong-Light"
BASELINE = 0.12  # × the font size: how far above a word box's bottom its baseline sits


def text_layer(lines: list[list[dict]], rules: list[list[float]], page_size: tuple[float, float],
               px_per_pt: float) -> bytes:
    """One page (page_size in pt) with the words (boxes in image px) and the rules (page
    fractions, top-left origin)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    k = 1.0 / px_per_pt
    width, height = page_size
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), pageCompression=0)
    c.setLineWidth(0.5)
    for x0, y0, x1, y1, _thick in rules:
        c.line(x0 * width, height - y0 * height, x1 * width, height - y1 * height)
    for line in lines:
        if not line:
            continue
        bottom = max(w["y1"] for w in line) * k
        size = max(4.0, sorted((w["y1"] - w["y0"]) for w in line)[len(line) // 2] * k)
        for w in line:
            natural = c.stringWidth(w["text"], FONT, size)
            t = c.beginText()
            t.setTextRenderMode(3)  # invisible: the scan shows, the text is there to read
            t.setFont(FONT, size)
            if natural > 0:
                t.setHorizScale(100.0 * (w["x1"] - w["x0"]) * k / natural)
            t.setTextOrigin(w["x0"] * k, height - bottom + BASELINE * size)
            t.textOut(w["text"])
            c.drawText(t)
    c.showPage()
    c.save()
    return buf.getvalue()


def graft(src: Path, layers: dict[int, bytes], out: Path) -> None:
    """Write src with each layer (1-based page -> one-page PDF) placed over its page."""
    doc = pdfium.PdfDocument(str(src))
    try:
        for pageno, data in sorted(layers.items()):
            layer = pdfium.PdfDocument(data)
            try:
                page = doc[pageno - 1]
                form = layer.page_as_xobject(0, doc).as_pageobject()
                form.transform(pdfium.PdfMatrix(*_displayed_to_page(page)))
                page.insert_obj(form)
                page.gen_content()
                page.close()
            finally:
                layer.close()
        doc.save(str(out))
    finally:
        doc.close()


def _displayed_to_page(page: pdfium.PdfPage) -> tuple[float, ...]:
    """The matrix from the page as displayed (rendered, /Rotate applied; the layer is drawn
    so) to its own coordinates: identity but for rotated pages and crop boxes off the origin."""
    x0, y0, x1, y1 = page.get_cropbox()
    w, h = x1 - x0, y1 - y0
    a, b, c, d, e, f = {90: (0, 1, -1, 0, w, 0), 180: (-1, 0, 0, -1, w, h),
                        270: (0, -1, 1, 0, 0, h)}.get(page.get_rotation() % 360, (1, 0, 0, 1, 0, 0))
    return a, b, c, d, e + x0, f + y0
