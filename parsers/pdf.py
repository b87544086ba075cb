"""Open a PDF safely: say why it cannot be read, and give each page's text.

pypdfium2 text extraction costs ~1-3 ms a page, so the whole document's text is read once
here and shared by the classifier, the table locator and the narrative extractor.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MIN_TEXT_CHARS = 30  # a page with fewer non-space characters has no usable text layer


class UnreadablePDF(Exception):
    """The file is not a PDF we can read; the message says why in plain words."""


@dataclass
class PdfText:
    path: Path
    sha256: str
    pages: list[str] = field(default_factory=list)  # page text, lines joined with "\n"

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def text_pages(self) -> int:
        return sum(1 for t in self.pages if len(re.sub(r"\s", "", t)) >= MIN_TEXT_CHARS)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sniff(head: bytes) -> str | None:
    """Why these first bytes are not a PDF, or None when they look like one."""
    if not head:
        return "the file is empty (0 bytes)"
    if b"%PDF-" in head[:1024]:
        return None
    low = head[:512].lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")) or b"<html" in low:
        return "the file is an HTML page, not a PDF (a server error or login page saved as .pdf)"
    return "the file does not start with a PDF header (%PDF-)"


def read_pdf_text(path: Path | str) -> PdfText:
    """Read every page's text; raise UnreadablePDF with a reason a person can act on."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(2048)
    reason = sniff(head)
    if reason:
        raise UnreadablePDF(reason)
    sha = sha256_file(path)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise UnreadablePDF("the PDF is encrypted with a password; ask the publisher for an open copy") from e
        if not _has_pdf_objects(path):
            raise UnreadablePDF("the file is damaged: it starts with a PDF header (%PDF-) but what follows is "
                                "not a PDF body (no PDF objects)") from e
        tail = _tail(path)
        if b"%%EOF" not in tail:
            raise UnreadablePDF("the PDF is truncated (no end-of-file marker): the download was cut short") from e
        raise UnreadablePDF(f"the PDF is corrupt and cannot be opened ({msg})") from e
    try:
        out = PdfText(path=path, sha256=sha)
        for i in range(len(doc)):
            page = doc[i]
            try:
                tp = page.get_textpage()
                text = _on_page(tp, tp.get_text_range(), page.get_bbox())
                tp.close()
            except pdfium.PdfiumError:
                text = ""
            out.pages.append(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))
            page.close()
        return out
    finally:
        doc.close()


def _on_page(tp: pdfium.PdfTextPage, text: str, bbox: tuple[float, float, float, float]) -> str:
    """The text without lines drawn outside the page: reports made from spreadsheets often
    carry the next page's rows below the page's edge, where no reader sees them (江苏 2017:
    a 基本支出 table under the 财政拨款 table it follows). A line's place is its first
    character's box (text index = character index, but for rare surrogate pairs)."""
    left, bottom, right, top = bbox
    count = tp.count_chars()
    kept, start = [], 0
    for line in text.split("\r\n"):
        first = start + len(line) - len(line.lstrip())
        start += len(line) + 2
        if first < start - 2 and first < count:
            x0, y0, x1, y1 = tp.get_charbox(first)
            if not (bottom <= (y0 + y1) / 2 <= top and left <= (x0 + x1) / 2 <= right):
                continue  # its middle is off the page (a title can graze the edge: 0.1 pt above y = 0)
        kept.append(line)
    return "\r\n".join(kept)


PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def _has_pdf_objects(path: Path, n: int = 4 << 20) -> bool:
    """A cut-short PDF still holds numbered objects ("12 0 obj"); random bytes after a
    %PDF- header do not, and calling those "truncated" would send people re-downloading."""
    with open(path, "rb") as f:
        return bool(PDF_OBJECT.search(f.read(n)))


def classify_pages(path: Path | str, text: PdfText) -> list[str]:
    """Each page as 'text' (has a text layer), 'scan' (no text, an image covering most of
    it: OCR can read it) or 'blank' (no text and no such image: nothing to read).

    Why the image test: a page without text is only a scan when there is a picture of the
    page to read; calling an empty page "scanned" would promise content that is not there.
    """
    kinds = ["text" if len(re.sub(r"\s", "", t)) >= MIN_TEXT_CHARS else "" for t in text.pages]
    if all(kinds):
        return kinds
    doc = pdfium.PdfDocument(str(path))
    try:
        for i, k in enumerate(kinds):
            if not k:
                kinds[i] = "scan" if _image_cover(doc[i]) >= SCAN_COVER else "blank"
        return kinds
    finally:
        doc.close()


SCAN_COVER = 0.4  # share of the page an image must cover to be a page scan (not a logo or stamp)


def _image_cover(page: pdfium.PdfPage) -> float:
    """The largest share of the page one image object covers."""
    w, h = page.get_size()
    best = 0.0
    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            x0, y0, x1, y1 = obj.get_bounds()
            best = max(best, (min(x1, w) - max(x0, 0)) * (min(y1, h) - max(y0, 0)) / (w * h or 1))
    finally:
        page.close()
    return best


def _tail(path: Path, n: int = 2048) -> bytes:
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - n))
        return f.read()
