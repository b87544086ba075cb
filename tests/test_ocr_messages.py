"""Messages around the OCR stage: blank is not scanned, random bytes are not truncated, a
low-confidence amount is a failed check, and the repair of amount tokens."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium

from parsers import parse_pdf
from parsers.document import Document, Row, Source, Table
from parsers.ocr import LOW_CONFIDENCE, OcrResult, annotate
from parsers.ocr_words import repair_amount
from parsers.pdf import PdfText

BROKEN = Path(__file__).parent / "fixtures" / "broken"


def test_blank_pages_are_called_blank_not_scanned(tmp_path):
    pdf = pdfium.PdfDocument.new()
    for _ in range(2):
        pdf.new_page(595, 842)
    path = tmp_path / "blank.pdf"
    pdf.save(str(path))
    doc = parse_pdf(path, ocr=True, derived_dir=tmp_path)
    assert doc.status == "no_text_layer" and not doc.ocr
    assert len(doc.errors) == 1 and "blank.pdf" in doc.errors[0] and "blank" in doc.errors[0]
    assert "scan" not in doc.errors[0] and not list(tmp_path.glob("*.ocr.*"))


def test_scanned_pages_without_ocr_are_called_scanned():
    doc = parse_pdf(BROKEN / "scanned-image-only.pdf", ocr=False)
    assert doc.status == "no_text_layer" and "3 are scanned images" in doc.errors[0]


def test_random_bytes_after_the_pdf_header_are_damaged_not_truncated(tmp_path):
    path = tmp_path / "noise.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(20000))
    doc = parse_pdf(path)
    assert doc.status == "unreadable" and len(doc.errors) == 1
    assert "damaged" in doc.errors[0] and "truncated" not in doc.errors[0] and "noise.pdf" in doc.errors[0]
    cut = parse_pdf(BROKEN / "truncated.pdf")  # a real download cut short still says so
    assert "truncated" in cut.errors[0]


def _ocr_doc(conf_total: float) -> tuple[Document, OcrResult]:
    t = Table(kind="gpb_basic_by_econ", title="基本支出表", pages=[1], money_unit="万元",
              rows=[Row(code="30101", name="基本工资", page=1, values={"total": 2250800.0, "personnel": 2250800.0}),
                    Row(code="30102", name="津贴补贴", page=1, values={"total": 1674800.0})])
    words = [{"text": "30101", "conf": 95.0, "bbox": [46, 197, 70, 204]},
             {"text": "225.08", "conf": conf_total, "bbox": [529, 197, 559, 204]},
             {"text": "225.08", "conf": 92.0, "bbox": [656, 197, 686, 204]},
             {"text": "30102", "conf": 92.0, "bbox": [46, 224, 71, 231]},
             {"text": "167.48", "conf": 93.0, "bbox": [529, 224, 559, 231]}]
    doc = Document(source=Source(file="x.pdf", sha256="0" * 64, pages=1), tables=[t])
    return doc, OcrResult(Path("x.ocr.pdf"), PdfText(Path("x.ocr.pdf"), "0" * 64), [1], {1: 90.0}, {1: words})


def test_a_row_read_from_low_confidence_words_is_a_failed_check():
    doc, result = _ocr_doc(41.0)
    annotate(doc, result)
    r1, r2 = doc.tables[0].rows
    assert r1.ocr and r2.ocr and doc.tables[0].ocr
    assert r1.ocr_confidence == 41.0 and r2.ocr_confidence == 93.0
    [check] = doc.checks
    assert check.rule == "ocr confidence" and not check.passed and check.page == 1
    assert "30101" in check.detail and "225.08" in check.detail and check.expected == LOW_CONFIDENCE
    ok, result = _ocr_doc(88.0)
    annotate(ok, result)
    assert not ok.checks and ok.tables[0].rows[0].ocr_confidence == 88.0


def test_an_amount_fragment_is_suspect_at_any_confidence():
    doc, result = _ocr_doc(95.0)
    doc.tables[0].rows[1].values = {"total": 4800.0}  # read from ".48": the leading digits were lost
    result.words[1][4]["text"] = ".48"
    annotate(doc, result)
    [check] = doc.checks
    assert "30102" in check.detail and ".48" in check.detail and "fragment" in check.detail


def _repair(tokens: list[str]) -> list[str]:
    return [repair_amount(t) for t in tokens]


def test_amount_tokens_are_repaired_only_where_unambiguous():
    assert _repair(["1, 394. 97", "l,2O4.5б", "122.98", "30101", "基本工资", "TRA", "2O26年", "S0"]) == \
        ["1,394.97", "1,204.56", "122.98", "30101", "基本工资", "TRA", "2O26年", "S0"]


def test_known_misreadings_are_fixed_and_words_left_alone():
    from parsers.ocr_words import fix_words

    assert fix_words("单位，万元") == "单位：万元" and fix_words("单位,元") == "单位：元"  # else amounts read as 元
    assert fix_words("绩效评价结采") == "绩效评价结果" and fix_words("基本文出") == "基本支出"
    assert fix_words("各单位，要") == "各单位，要"  # a comma after 单位 in prose stays
