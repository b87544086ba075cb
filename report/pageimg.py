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
from PIL import Image, ImageDraw

SCALE = 1.5  # 108 dpi: figures readable, a page ~150 kB
BOX = (220, 20, 20)


class PageImageError(Exception):
    """A page that cannot be drawn: say which file and page, in one line."""


@dataclass
class Line:
    """A printed line in device pixels (y down), whatever the page's /Rotate."""

    text: str            # without whitespace, segments left to right
    x0: int
    y0: int
    x1: int
    y1: int


def _lines(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, size: tuple[int, int]) -> list[Line]:
    """Text segments in device space, grouped into lines: a segment joins a line when its
    vertical extent overlaps the line's first segment by half (so lines never creep)."""
    segs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = re.sub(r"\s+", "", textpage.get_text_bounded(left, bottom, right, top))
        if text:
            (ax, ay), (bx, by) = _to_device(page, size, left, top), _to_device(page, size, right, bottom)
            segs.append(Line(text, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    segs.sort(key=lambda s: ((s.y0 + s.y1) / 2, s.x0))
    lines: list[tuple[Line, list[Line]]] = []
    for seg in segs:
        if lines:
            anchor, members = lines[-1]
            overlap = min(anchor.y1, seg.y1) - max(anchor.y0, seg.y0)
            if overlap >= 0.5 * min(anchor.y1 - anchor.y0, seg.y1 - seg.y0):
                members.append(seg)
                continue
        lines.append((seg, [seg]))
    out = []
    for _, members in lines:
        members.sort(key=lambda s: s.x0)
        out.append(Line("".join(m.text for m in members), min(m.x0 for m in members), min(m.y0 for m in members),
                        max(m.x1 for m in members), max(m.y1 for m in members)))
    return out


def _pattern(term: str) -> re.Pattern[str]:
    term = re.sub(r"\s+", "", term)
    if term.isdigit():  # a code: not part of a longer number
        return re.compile(rf"(?<![\d.,]){re.escape(term)}(?![\d.,])")
    return re.compile(re.escape(term))


def find_row(lines: list[Line], terms: list[str]) -> Line | None:
    """The first line holding the first term that occurs on the page."""
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


def _gray_with_red(gray: Image.Image) -> Image.Image:
    """The grey page as a palette image whose index 1 is the box's red (grey 1 becomes 0)."""
    img = gray.point(_LUT)
    img.putpalette(_PALETTE)  # an L image with a palette is a P image, its bytes unchanged
    return img


_LUT = [0, 0, *range(2, 256)]
_PALETTE = [v for i in range(256) for v in (BOX if i == 1 else (i, i, i))]


def _save(image: Image.Image, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    image.save(tmp, format="PNG", compress_level=3)
    tmp.replace(out)


def render_pages(pdf_path: Path, requests: list[tuple[int, Path, list[str] | None]],
                 scale: float = SCALE) -> list[bool | PageImageError]:
    """Write every requested page (page_no from 1, out, terms) of one PDF, opening it once and
    drawing each page once however many boxes it gets. Pages are grey (a third of the PNG
    encoding of colour, the most of the cost) with the box in red. Per request: whether a
    row was boxed, or the PageImageError that says why the page could not be drawn."""
    if not pdf_path.exists():
        err = PageImageError(f"{pdf_path}: the archived PDF is missing")
        return [err for _ in requests]
    try:
        pdf = pdfium.PdfDocument(str(pdf_path))
    except pdfium.PdfiumError as e:
        err = PageImageError(f"{pdf_path.name}: cannot open ({e})")
        return [err for _ in requests]
    try:
        by_page: dict[int, list[tuple[int, Path, list[str] | None]]] = {}
        for i, (page_no, out, terms) in enumerate(requests):
            by_page.setdefault(page_no, []).append((i, out, terms))
        outcome: dict[int, bool | PageImageError] = {}
        for page_no, wanted in by_page.items():
            if not 1 <= page_no <= len(pdf):
                for i, _, _ in wanted:
                    outcome[i] = PageImageError(f"{pdf_path.name}: no page {page_no} (the file has {len(pdf)})")
                continue
            page = pdf[page_no - 1]
            gray = page.render(scale=scale, grayscale=True).to_pil()
            if gray.mode != "L":
                gray = gray.convert("L")
            lines: list[Line] | None = None
            for i, out, terms in wanted:
                row = None
                if terms:
                    lines = lines if lines is not None else _lines(page, page.get_textpage(), gray.size)
                    row = find_row(lines, terms)
                if row:
                    image = _gray_with_red(gray)
                    pad = int(3 * scale)
                    box = (row.x0 - pad, row.y0 - pad, row.x1 + pad, row.y1 + pad)
                    ImageDraw.Draw(image).rectangle(box, outline=1, width=max(2, int(2 * scale)))
                    _save(image, out)
                else:
                    _save(gray, out)
                outcome[i] = bool(row)
        return [outcome[i] for i in range(len(requests))]
    finally:
        pdf.close()


def render_page(pdf_path: Path, page_no: int, out: Path, terms: list[str] | None = None,
                scale: float = SCALE) -> bool:
    """Write page `page_no` (1-based) of pdf_path as PNG to out; box the row of the first term
    found. Returns whether a row was boxed. Raises PageImageError for a missing file or page."""
    (result,) = render_pages(pdf_path, [(page_no, out, terms)], scale)
    if isinstance(result, PageImageError):
        raise result
    return result
