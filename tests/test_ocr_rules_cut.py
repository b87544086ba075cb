"""The OCR text layer around a table's vertical rules: Tesseract reads a rule as '|' and runs
the words of two cells together across it; parsers/ocr_words.py cuts them at the rule and
never joins across one. Real scans: a 国家信访局 page whose 基本支出 / 项目支出 columns came out swapped
(the header's words ran together over three cells), and a 上海 page of split 类|款|项 codes
("201| 05") whose rows were lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_pdf
from parsers.document import Document, Row, Source, Table
from parsers.ocr import OcrResult, annotate
from parsers.ocr_words import cut_at_rules, join_words, read_tsv, repair_amount
from parsers.pdf import PdfText

OCR = Path(__file__).parent / "fixtures" / "ocr"


def _w(text: str, x0: float, x1: float, y0: float = 100, y1: float = 130, conf: float = 90.0) -> dict:
    return {"text": text, "conf": conf, "x0": x0, "y0": y0, "x1": x1, "y1": y1}


def _cut_and_join(line: list[dict], rules: list[float]) -> list[str]:
    v = [(x, 0.0, 1000.0) for x in rules]
    return [w["text"] for w in join_words(cut_at_rules([dict(w) for w in line], v), v)]


def test_bars_on_rules_are_dropped_and_words_are_cut_at_rules():
    # "201|" then "05": the bar is the rule between the 类 and 款 cells
    assert _cut_and_join([_w("201|", 0, 62), _w("05", 75, 100)], [65]) == ["201", "05"]
    # a word the rule runs through, cut at its bar
    assert _cut_and_join([_w("07|专项普查活动", 0, 300)], [40]) == ["07", "专项普查活动"]
    # a lone bar (or a quote-and-bar) standing on a rule is the rule itself
    assert _cut_and_join([_w("基本支出", 0, 120), _w("“|", 125, 140), _w("项目支出", 150, 270)], [135]) == \
        ["基本支出", "项目支出"]
    # no bar, but a rule runs through the word: cut by characters (CJK twice a digit's width)
    assert _cut_and_join([_w("上缴上级支出事业", 0, 400)], [300]) == ["上缴上级支出", "事业"]


def test_words_join_within_a_cell_but_never_across_a_rule():
    near = [_w("基本", 0, 60), _w("支出", 70, 130)]  # gap 10 < 0.6 x 30
    assert _cut_and_join(near, []) == ["基本支出"]
    assert _cut_and_join(near, [65]) == ["基本", "支出"]
    split = [_w("1,", 0, 20), _w("394.", 35, 75), _w("97", 90, 110)]  # an amount spaced at its separators
    assert _cut_and_join(split, []) == ["1,394.97"]


def test_a_decimal_point_read_as_a_comma_is_a_point():
    tokens = ["737,29", "1,234,56", "5,1", "1,234", "1,234,567", "30101", "2,208."]
    assert [repair_amount(t) for t in tokens] == ["737.29", "1,234.56", "5.1", "1,234", "1,234,567", "30101", "2,208."]


def test_lines_tesseract_cut_into_blocks_are_one_line(tmp_path):
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = [(5, 1, 1, 1, 1, 1, 100, 500, 40, 30, 90, "47,"), (5, 1, 2, 1, 1, 1, 150, 502, 50, 28, 91, "179."),
            (5, 1, 3, 1, 1, 1, 210, 501, 30, 29, 92, "30"), (5, 1, 4, 1, 1, 1, 100, 600, 40, 30, 93, "2,")]
    tsv = tmp_path / "p.tsv"
    tsv.write_text(head + "".join("\t".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    lines = [[w["text"] for w in join_words(ln)] for ln in read_tsv(tsv)]
    assert lines == [["47,179.30"], ["2,"]]


def _doc(columns: dict[str, str], values: dict[str, float]) -> tuple[Document, OcrResult]:
    t = Table(kind="expenditure_by_function", title="部门支出总表", pages=[1], money_unit="万元", columns=columns,
              rows=[Row(code="2014001", name="行政运行", page=1, values=values)])
    doc = Document(source=Source(file="x.pdf", sha256="0" * 64, pages=1), tables=[t])
    return doc, OcrResult(Path("x.ocr.pdf"), PdfText(Path("x.ocr.pdf"), "0" * 64), [1], {1: 90.0}, {1: []})


def test_a_key_whose_header_ocr_did_not_read_is_a_failed_check():
    doc, result = _doc({"total": "合计", "basic": "基本支出", "project": ""},
                       {"total": 62862100.0, "basic": 0.0, "project": 62862100.0})
    annotate(doc, result)
    [check] = doc.checks
    assert check.rule == "ocr header" and not check.passed and check.page == 1
    assert "'project'" in check.detail and "nothing read" in check.detail and "names no measure" in check.detail
    garbled, result = _doc({"total": "合it", "basic": "基本支出"}, {"total": 1.0, "basic": 1.0})
    annotate(garbled, result)
    assert [c.detail.split(":")[0] for c in garbled.checks] == ["column 'total'"]
    # two headers read as one measure: the second, named by its column letter, is suspect
    twice, result = _doc({"total": "合计", "basic": "2026年基本支出/合;", "basic_col_e": "2026年基本支出"},
                         {"total": 1.0, "basic": 1.0, "basic_col_e": 1.0})
    annotate(twice, result)
    assert [c.detail.split(":")[0] for c in twice.checks] == ["column 'basic_col_e'"]
    assert "another column's measure" in twice.checks[0].detail
    # a table whose 单位 line OCR did not read: its amounts may be off by 10,000
    no_unit, result = _doc({"total": "合计"}, {"total": 1.0})
    no_unit.tables[0].money_unit = None
    annotate(no_unit, result)
    assert [c.rule for c in no_unit.checks] == ["ocr money unit"] and no_unit.checks[0].page == 1
    # headers read (or columns without a figure) are not flagged
    ok, result = _doc({"total": "合计", "basic": "基本支出", "project": "", "business": "pean"},
                      {"total": 1.0, "basic": 1.0, "project": 0.0, "business": 0.0})
    annotate(ok, result)
    assert not ok.checks


def _rows(doc, kind: str) -> dict[str, dict]:
    t = next(t for t in doc.tables if t.kind == kind)
    return {r.code: r.values for r in t.rows}


@pytest.mark.slow
def test_guojia_basic_and_project_columns_are_not_swapped(tmp_path):
    doc = parse_pdf(OCR / "central_guojia-xinfangju_2026_p7_scan300.pdf", ocr=True, derived_dir=tmp_path)
    assert doc.ocr_pages == [1]
    t = next(t for t in doc.tables if t.kind == "expenditure_by_function")
    assert t.columns["basic"] == "基本支出" and "项目支出" in t.columns["project"]
    # the two-line header cells (事业单位经营 / 支出) the page read lost, read again cell by cell
    assert {"remit_superior", "business", "subsidy_subordinate"} <= set(t.columns)
    r = _rows(doc, "expenditure_by_function")
    assert r["201"] == {"total": 471793000.0, "basic": 77364400.0, "project": 394428600.0,
                        "remit_superior": 0.0, "business": 0.0, "subsidy_subordinate": 0.0}
    assert (r["2014001"]["basic"], r["2014001"]["project"]) == (62862100.0, 0.0)
    assert (r["2014099"]["basic"], r["2014099"]["project"]) == (0.0, 362305600.0)
    assert len(r) == 15


@pytest.mark.slow
def test_shanghai_split_codes_beside_rules_are_read(tmp_path):
    doc = parse_pdf(OCR / "shanghai-putuo_wanli-jiedao_2024_p22_scan300.pdf", ocr=True, derived_dir=tmp_path)
    r = _rows(doc, "gpb_expenditure_by_function")
    assert set(r) == {"201", "20105", "2010507", "20129", "2012902", "20132", "2013202", "20133", "2013302",
                      "20134", "2013402", "20138", "2013802"}
    assert r["2010507"] == {"total": 257700.0, "basic": 0.0, "project": 257700.0}
    assert r["20133"] == {"total": 1106000.0, "basic": 0.0, "project": 1106000.0}


def test_a_page_printing_coded_lines_no_table_read_is_a_failed_check():
    t = Table(kind="expenditure_by_function", title="支出总表", label="预算03表", pages=[1], money_unit="万元")
    doc = Document(source=Source(file="x.pdf", sha256="0" * 64, pages=1), tables=[t])
    words = [{"text": f"2040601-行政运行{i}", "conf": 90.0, "bbox": [10, 20 * i, 80, 20 * i + 8]} for i in range(3)]
    result = OcrResult(Path("x.ocr.pdf"), PdfText(Path("x.ocr.pdf"), "0" * 64), [1], {1: 90.0}, {1: words})
    annotate(doc, result)
    [check] = doc.checks
    assert check.rule == "ocr page unread" and check.table == "expenditure_by_function (预算03表)" and check.page == 1
    assert "3 coded lines" in check.detail
    t.rows = [Row(code="2040601", name="行政运行", page=1, values={"total": 1.0})]
    doc.checks = []
    annotate(doc, result)
    assert not [c for c in doc.checks if c.rule == "ocr page unread"]
