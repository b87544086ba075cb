"""What Tesseract is given (parsers/ocr_engine.py): a scan's stored image pixel for pixel (a
rendering resamples it and blurs digits), turned upright as the page displays it, and the
text layer laid back over a rotated page where the scan prints each word."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from parsers import parse_pdf
from parsers.ocr_engine import page_image

SCAN = Path(__file__).parent / "fixtures" / "ocr" / "changsha_xinfangju_2026_p18_scan300.pdf"  # 300-dpi grey


def _stored() -> tuple:
    doc = pdfium.PdfDocument(str(SCAN))
    page = doc[0]
    [img] = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    return img.get_bitmap(render=False).to_pil().convert("L"), page.get_size()


def _rebuild(tmp_path: Path, rotation: int, shrink: int = 1, extra_image: bool = False) -> Path:
    """The fixture's scan as a new PDF: stored turned against the page's /Rotate (so it
    displays upright), or at 1/shrink of its resolution, or with a second image on the page."""
    pil, (w, h) = _stored()
    if shrink > 1:
        pil = pil.resize((pil.size[0] // shrink, pil.size[1] // shrink))
    stored = pil.rotate(rotation, expand=True)  # counter-clockwise: /Rotate (clockwise) undoes it
    pw, ph = (h, w) if rotation in (90, 270) else (w, h)
    new = pdfium.PdfDocument.new()
    page = new.new_page(pw, ph)
    for i, (im, m) in enumerate([(stored, (pw, 0, 0, ph, 0, 0)), (pil.crop((0, 0, 50, 50)), (20, 0, 0, 20, 5, 5))]):
        if i and not extra_image:
            break
        obj = pdfium.PdfImage.new(new)
        obj.set_bitmap(pdfium.PdfBitmap.from_pil(im))
        obj.set_matrix(pdfium.PdfMatrix(*m))
        page.insert_obj(obj)
    page.gen_content()
    page.set_rotation(rotation)
    out = tmp_path / f"scan_r{rotation}_s{shrink}_x{int(extra_image)}.pdf"
    new.save(str(out))
    return out


def _image(path: Path):
    doc = pdfium.PdfDocument(str(path))
    return page_image(doc[0], 300)


def test_the_stored_scan_is_taken_pixel_for_pixel():
    pil, _ = _stored()
    im, scale = _image(SCAN)
    assert im.size == pil.size == (3508, 2481) and abs(scale - 300 / 72) < 0.01
    assert im.tobytes() == pil.tobytes()


def test_a_rotated_page_is_turned_upright_exactly(tmp_path):
    pil, _ = _stored()
    for rotation in (90, 180, 270):
        im, _scale = _image(_rebuild(tmp_path, rotation))
        assert im.size == pil.size and im.tobytes() == pil.tobytes(), rotation


def test_a_coarse_scan_is_upsampled_by_whole_pixels_and_other_pages_rendered(tmp_path):
    im, scale = _image(_rebuild(tmp_path, 0, shrink=2))
    assert im.size == (3508, 2480) and abs(scale - 3508 / 841.92) < 0.01  # 150 dpi, each pixel doubled
    assert im.getpixel((0, 0)) == im.getpixel((1, 1))
    rendered, scale = _image(_rebuild(tmp_path, 0, extra_image=True))  # two images: rendered at 300 dpi
    assert abs(scale - 300 / 72) < 1e-9 and abs(rendered.size[0] - 3508) <= 1


@pytest.mark.slow
def test_a_rotated_scan_is_read_and_its_text_layer_lies_over_the_scan(tmp_path):
    doc = parse_pdf(_rebuild(tmp_path, 90), ocr=True, derived_dir=tmp_path / "derived")
    assert doc.status == "parsed" and doc.ocr_pages == [1], doc.errors
    t = next(t for t in doc.tables if t.kind == "gpb_basic_by_econ")
    r = {x.code: x.values for x in t.rows}
    assert t.total == {"total": 15179500.0, "personnel": 13949700.0, "public": 1229800.0}
    assert r["30101"] == {"total": 2250800.0, "personnel": 2250800.0, "public": 0.0}
    assert r["302"] == {"total": 1717800.0, "personnel": 488000.0, "public": 1229800.0}


@pytest.mark.slow
def test_digits_lost_against_a_rule_are_read_again_with_their_cell(tmp_path):
    # 苏州 公开08表: the 公用经费 column's decimals touch the table's right border; the page
    # read gave "395." for 395.60 (a fragment); the cell read alone gives the whole amount
    doc = parse_pdf(Path(__file__).parent / "fixtures" / "ocr" / "suzhou_shenjiju_2026_p17_scan300.pdf", ocr=True,
                    derived_dir=tmp_path)
    t = next(t for t in doc.tables if t.kind == "gpb_basic_by_econ")
    r = {x.code: x.values for x in t.rows}
    assert r["302"] == {"total": 3956000.0, "personnel": 0.0, "public": 3956000.0}
    assert r["30205"]["public"] == 5000.0 and r["30211"]["public"] == 764500.0 and r["30299"]["public"] == 828400.0
    assert not [c for c in doc.checks if c.rule == "ocr confidence" and "395." in c.detail]
