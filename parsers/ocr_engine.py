"""One scanned page through Tesseract: its words, regrouped and repaired, and its text layer.

The page is rendered grey at DPI by pdfium (no Ghostscript, no OCRmyPDF: their start and
rasterisation were ~0.9 s of CPU a page, measured with bench/ocr_accuracy.py) and read
once by Tesseract for TSV (word boxes and confidences); header cells that read badly are
read again alone (parsers/ocr_cells.py); words are cut at the rules and joined within a
cell (parsers/ocr_words.py) and drawn as the page's text layer (parsers/ocr_layer.py).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from parsers.ocr_cells import MAX_CELLS, grid_cells, header_cells, inside, replace_cells, reread
from parsers.ocr_layer import text_layer
from parsers.ocr_words import cut_at_rules, join_words, read_tsv, vertical_rules

# page /Rotate -> the exact turn (PIL transpose) that shows a stored image as displayed
TURN = {0: None, 90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
# an amount that lost digits at a separator, or all before it ("099023" for "2,726.099023": no
# figure starts with a 0 that is not "0.")
FRAGMENT = re.compile(r"^(?:[.,]\d[\d,.]*|\d[\d,.]*[.,]|0\d{2,})$")
AMOUNT_TEXT = re.compile(r"^-?\d{1,3}(?:,?\d{3})*(?:\.\d{1,6})?$")
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # Tesseract's OpenMP threads only burn CPU on a shared machine


def tesseract_args(languages: str, pageseg: int | None, dpi: int) -> list[str]:
    args = ["tesseract", "-l", languages, "--oem", "1", "--dpi", str(dpi)]
    return args + (["--psm", str(pageseg)] if pageseg is not None else [])


def page_image(page: pdfium.PdfPage, dpi: int):
    """(grey image, px per pt) of the page as displayed. A scan that is one upright image
    covering the page is taken as stored, pixel for pixel, upsampled by whole pixels to
    about dpi when coarser: a rendering resamples it (its size is off by a pixel) and the
    blur cost digits (6,620.08 read as .08; measured). Anything else is rendered."""
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    x0, y0, x1, y1 = page.get_cropbox()
    rotation = page.get_rotation() % 360
    if len(images) == 1 and rotation in TURN:
        a, b, c, d, e, f = images[0].get_matrix().get()
        if b == 0 and c == 0 and abs(a - (x1 - x0)) < 1 and abs(d - (y1 - y0)) < 1 and abs(e - x0) < 1 \
                and abs(f - y0) < 1:
            try:
                im = images[0].get_bitmap(render=False).to_pil().convert("L")
            except (pdfium.PdfiumError, ValueError, OSError):
                im = None
            if im is not None:
                if TURN[rotation] is not None:
                    im = im.transpose(TURN[rotation])  # as displayed: /Rotate turns the page clockwise
                width_pt = (x1 - x0) if rotation in (0, 180) else (y1 - y0)
                k = max(1, round(dpi / (im.size[0] / width_pt * 72)))
                if k > 1:
                    im = im.resize((im.size[0] * k, im.size[1] * k), Image.NEAREST)
                return im, im.size[0] / width_pt
    scale = dpi / 72.0
    return page.render(scale=scale, grayscale=True).to_pil().convert("L"), scale


def read_page(page: pdfium.PdfPage, rules: list[list[float]], work: Path, languages: str,
              pageseg: int | None, dpi: int, timeout: float) -> tuple[list[list[dict]], bytes, float]:
    """(lines of words with boxes in image px, the one-page text layer PDF, image px per pt)."""
    image, scale = page_image(page, dpi)
    dpi = round(scale * 72)
    png = work.with_suffix(".pgm")
    image.save(png)
    args = tesseract_args(languages, pageseg, dpi)
    subprocess.run([*args, str(png), str(work), "tsv"], check=True, capture_output=True, timeout=timeout, env=ENV)
    lines = read_tsv(work.with_suffix(".tsv"))
    vrules = vertical_rules(rules, image.size)
    if rules:
        cells = grid_cells(rules, image.size)
        base = tesseract_args(languages, None, dpi)  # reread() sets its own segmentation
        todo = header_cells(cells, [w for ln in lines for w in ln], image)
        if todo:
            lines = replace_cells(lines, reread(image, todo, work, base, timeout, ENV))
        lines = _fix_fragments(image, cells, lines, vrules, work, base, timeout)
    lines = [join_words(cut_at_rules(line, vrules), vrules) for line in lines]
    size_pt = (image.size[0] / scale, image.size[1] / scale)
    return lines, text_layer(lines, rules, size_pt, scale), scale


def _fix_fragments(image, cells: list[tuple], lines: list[list[dict]], vrules: list, work: Path,
                   args: list[str], timeout: float) -> list[list[dict]]:
    """Cells whose amount came out a fragment ("395." for 395.60: digits that touch a rule are
    lost in the page read) read again alone, without their rules; the new read is kept where
    it is a whole amount with more digits."""
    joined = [w for ln in lines for w in join_words(cut_at_rules([dict(w) for w in ln], vrules), vrules)]
    frags = [w for w in joined if FRAGMENT.match(w["text"])]
    todo = [c for c in cells if any(inside(w, c) for w in frags)][:MAX_CELLS]
    if not todo:
        return lines
    # the lost digits may have gone to the next cell's first word ("1,935." | "361、一般…")
    right = [n for c in todo for n in cells if abs(n[0] - c[2]) < 2 and n[1] == c[1] and n not in todo]
    better = {}
    for c, words in reread(image, todo + right, work.with_name(work.name + "-fragments"), args, timeout, ENV).items():
        new = _text(words)
        if c in right:
            old = _text([w for w in joined if inside(w, c)])
            lost = old[:len(old) - len(new)] if new and old.endswith(new) else ""
            if lost.isdigit():
                better[c] = words
        elif AMOUNT_TEXT.match(new) and _digits(new) > _digits("".join(w["text"] for w in frags if inside(w, c))):
            better[c] = words
    return replace_cells(lines, better, force=True)


def _text(words: list[dict]) -> str:
    return "".join(w["text"] for w in join_words([dict(w) for w in sorted(words, key=lambda w: w["x0"])]))


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)
