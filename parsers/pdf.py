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

MIN_TEXT_CHARS = 30  # a page with fewer non-space characters has no usable text layer


class UnreadablePDF(Exception):
    """The file is not a PDF we can read; the message says why in plain words."""


@dataclass
class PdfText:
    path: Path
    sha256: str
    pages: list[str] = field(default_factory=list)  # page text, lines joined with "\n"
    rotations: list[int] = field(default_factory=list)

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
                text = tp.get_text_range()
                tp.close()
            except pdfium.PdfiumError:
                text = ""
            out.pages.append(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))
            out.rotations.append(page.get_rotation())
            page.close()
        return out
    finally:
        doc.close()


def _tail(path: Path, n: int = 2048) -> bytes:
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - n))
        return f.read()
