"""PNG of one archived PDF page, with the row of a code (or a name, or a figure) boxed.

The row is found from the page's own text positions (pypdfium2's text page): text segments
are grouped into printed lines, and the line whose text (spaces removed, so "201 03" reads
as 20103) holds the term is boxed across its whole width. PDF coordinates go to pixels
through PDFium itself (FPDF_PageToDevice), so rotated pages box correctly too.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

SCALE = 1.5  # 108 dpi: figures readable, a page ~150 kB
BOX = (220, 20, 20)


class PageImageError(Exception):
    """A page that cannot be drawn: say which file and page, in one line."""


@dataclass
class Line:
    text: str            # without whitespace
    left: float
    bottom: float
    right: float
    top: float


def _lines(textpage: pdfium.PdfTextPage) -> list[Line]:
    """Text segments grouped into lines: segments whose vertical extents overlap by half."""
    segs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = re.sub(r"\s+", "", textpage.get_text_bounded(left, bottom, right, top))
        if text:
            segs.append(Line(text, left, bottom, right, top))
    segs.sort(key=lambda s: (-(s.top + s.bottom) / 2, s.left))
    lines: list[Line] = []
    for s in segs:
        cur = lines[-1] if lines else None
        if cur:
            overlap = min(cur.top, s.top) - max(cur.bottom, s.bottom)
            if overlap >= 0.5 * min(cur.top - cur.bottom, s.top - s.bottom):
                cur.text += s.text
                cur.left, cur.right = min(cur.left, s.left), max(cur.right, s.right)
                cur.bottom, cur.top = min(cur.bottom, s.bottom), max(cur.top, s.top)
                continue
        lines.append(Line(s.text, s.left, s.bottom, s.right, s.top))
    for ln in lines:  # segments were appended top-down but maybe not left-right: re-read in order
        ln.text = re.sub(r"\s+", "", textpage.get_text_bounded(ln.left, ln.bottom, ln.right, ln.top))
    return lines


def _pattern(term: str) -> re.Pattern[str]:
    term = re.sub(r"\s+", "", term)
    if term.isdigit():  # a code: not part of a longer number
        return re.compile(rf"(?<![\d.,]){re.escape(term)}(?![\d.,])")
    return re.compile(re.escape(term))


def find_row(textpage: pdfium.PdfTextPage, terms: list[str]) -> Line | None:
    """The first line holding the first term that occurs on the page."""
    lines = _lines(textpage)
    for term in terms:
        if not term or not re.sub(r"\s+", "", term):
            continue
        pat = _pattern(term)
        for ln in lines:
            if pat.search(ln.text):
                return ln
    return None


def _to_device(page: pdfium.PdfPage, size: tuple[int, int], x: float, y: float) -> tuple[int, int]:
    dx, dy = ctypes.c_int(), ctypes.c_int()
    raw.FPDF_PageToDevice(page.raw, 0, 0, size[0], size[1], 0, x, y, ctypes.byref(dx), ctypes.byref(dy))
    return dx.value, dy.value


def render_page(pdf_path: Path, page_no: int, out: Path, terms: list[str] | None = None,
                scale: float = SCALE) -> bool:
    """Write page `page_no` (1-based) of pdf_path as PNG to out; box the row of the first term
    found. Returns whether a row was boxed. Raises PageImageError for a missing file or page."""
    from PIL import ImageDraw

    if not pdf_path.exists():
        raise PageImageError(f"{pdf_path}: the archived PDF is missing")
    try:
        pdf = pdfium.PdfDocument(str(pdf_path))
    except pdfium.PdfiumError as e:
        raise PageImageError(f"{pdf_path.name}: cannot open ({e})") from e
    try:
        if not 1 <= page_no <= len(pdf):
            raise PageImageError(f"{pdf_path.name}: no page {page_no} (the file has {len(pdf)})")
        page = pdf[page_no - 1]
        image = page.render(scale=scale).to_pil().convert("RGB")
        boxed = False
        if terms:
            row = find_row(page.get_textpage(), terms)
            if row:
                (x0, y0), (x1, y1) = (_to_device(page, image.size, row.left, row.top),
                                      _to_device(page, image.size, row.right, row.bottom))
                pad = int(3 * scale)
                box = (min(x0, x1) - pad, min(y0, y1) - pad, max(x0, x1) + pad, max(y0, y1) + pad)
                ImageDraw.Draw(image).rectangle(box, outline=BOX, width=max(2, int(2 * scale)))
                boxed = True
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        image.save(tmp, format="PNG", compress_level=3)
        tmp.replace(out)
        return boxed
    finally:
        pdf.close()
