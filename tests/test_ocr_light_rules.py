"""Tables ruled in light grey, amounts cut at a swallowed comma, and header lines the page
read missed (parsers/ocr_rules.py, ocr_words.py, ocr_cells.py, ocr_engine.py): 北京司法局's
一般公共预算支出表 is ruled at grey 199, none of its rules were found at the old fixed ink level,
so no grid, no cell re-reads, and its 合计 column read as fragments (".549431")."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from parsers import parse_pdf
from parsers.document import Item, Row, Table
from parsers.ocr import _check_headers, _check_uncoded_items
from parsers.ocr_cells import header_cells
from parsers.ocr_engine import FRAGMENT
from parsers.ocr_rules import DARK, ink_level, page_rules
from parsers.ocr_words import cut_at_rules, join_words

BEIJING = Path(__file__).parent / "fixtures" / "ocr" / "beijing_sifaju_2026_p11_scan300.pdf"  # 预算05表, 300-dpi grey
YANTAI = Path(__file__).parent / "fixtures" / "ocr" / "yantai_caizhengju_2026_p10_scan300.pdf"  # 公开表1, 300-dpi grey


def test_light_grey_rules_are_found_on_white_paper_and_grey_paper_is_not_ink():
    page = pdfium.PdfDocument(str(BEIJING))[0]
    vertical = sorted(round(r[0] * 1000) for r in page_rules(page) if abs(r[2] - r[0]) < 1e-6)
    assert len(vertical) == 9  # the table's ten columns' borders but the 金额 heading's
    assert vertical[0] == 70 and vertical[-1] == 929
    white = np.full((100, 100), 255, np.uint8)
    grey = np.full((100, 100), 180, np.uint8)
    assert ink_level(white) == 215 and ink_level(grey) == DARK


def _w(text: str, x0: float, x1: float, y0: float = 100, y1: float = 124, conf: float = 90.0) -> dict:
    return {"text": text, "conf": conf, "x0": x0, "y0": y0, "x1": x1, "y1": y1}


def test_a_comma_swallowed_into_the_digit_before_it_is_put_back():
    # "1," read as "1" whose box reaches below the line (the comma's tail), 17 px before "284."
    got = join_words([_w("1", 1295, 1315, y1=128), _w("284.", 1332, 1385), _w("071415", 1406, 1499)])
    assert [w["text"] for w in got] == ["1,284.071415"]
    # the same digits level with the next word are two figures of two columns
    got = join_words([_w("1", 1295, 1315), _w("284.07", 1340, 1420)])
    assert [w["text"] for w in got] == ["1", "284.07"]


def test_an_amount_that_lost_all_before_its_point_is_a_fragment():
    assert FRAGMENT.match("099023") and FRAGMENT.match(".549431") and FRAGMENT.match("2,208.")
    assert not FRAGMENT.match("0.50") and not FRAGMENT.match("388.080000") and not FRAGMENT.match("0")


def test_header_words_are_not_joined_over_a_rule_a_character_box_took_in():
    rules = [(2891.0, 590.0, 2211.0)]
    line = [_w(t, x0, x1, 683, 714) for t, x0, x1 in
            (("事业", 2725, 2782), ("单位", 2798, 2871), ("经", 2870, 2898), ("上", 2912, 2931), ("缴", 2947, 2965))]
    got = join_words(cut_at_rules(line, rules), rules)
    assert [w["text"] for w in got] == ["事业单位经", "上缴"]
    assert got[0]["x1"] < 2891 < got[1]["x0"]


def test_header_cells_with_an_unread_line_or_under_decimals_only_figures_are_read_again():
    cells = [(100, 100, 400, 300), (400, 100, 700, 300), (100, 300, 400, 360), (400, 300, 700, 360)]
    image = Image.new("L", (800, 400), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 140, 350, 170), fill=0)  # line 1 of the first header cell: read
    draw.rectangle((180, 200, 320, 230), fill=0)  # line 2: not read
    draw.rectangle((450, 140, 650, 170), fill=0)  # the second header cell: one line, read
    words = [_w("事业单位经", 150, 350, 140, 170), _w("上缴上级支出", 450, 650, 140, 170),
             _w(".528800", 300, 390, 320, 340), _w("12.5", 600, 690, 320, 340)]  # the first row: figures
    assert header_cells(cells, words, image) == [(100, 100, 400, 300)]
    # a first row whose figures came out as decimals alone is still the first row
    assert header_cells(cells, words[:3], image) == [(100, 100, 400, 300)]


@pytest.mark.slow
def test_a_light_grey_ruled_scan_reads_its_total_column(tmp_path):
    doc = parse_pdf(BEIJING, ocr=True, derived_dir=tmp_path)
    t = next(t for t in doc.tables if t.kind == "gpb_expenditure_by_function")
    rows = [(r.code, r.values) for r in t.rows if r.code]
    first = next(v for c, v in rows if c == "2040601")
    # 12,482.549431 | 12,333.173431 万元 as the page prints them (the page read gave ".549431")
    assert first["total"] == pytest.approx(124825494.31) and first["basic"] == pytest.approx(123331734.31)
    by_code = {c: v for c, v in rows}
    assert by_code["2040612"]["total"] == pytest.approx(12840714.15)  # "1" | "284.071415": the comma put back
    assert by_code["2040602"]["total"] == pytest.approx(3880800.0)
    assert [v["total"] for c, v in rows if c == "2040607"] == [pytest.approx(1696394.8), pytest.approx(27260990.23)]


def test_a_header_naming_two_measures_is_a_failed_check_even_over_zeros():
    # 北京 预算03表: 上缴上级支出 and 对附属单位补助支出 read as one column; the first one's key is
    # lost, and its zeros with it: no identity sees that
    t = Table(kind="expenditure_by_function", title="预算03表", pages=[1],
              columns={"basic": "基本支出", "subsidy_subordinate": "其中/上缴上级支对附属单位补助支出"},
              rows=[Row(code="2040601", name="行政运行", page=1, values={"basic": 5.0, "subsidy_subordinate": 0.0})])
    doc = SimpleNamespace(checks=[])
    _check_headers(doc, t, {1})
    assert [(c.rule, c.passed) for c in doc.checks] == [("ocr header", False)]
    assert "two measures" in doc.checks[0].detail and "subsidy_subordinate" in doc.checks[0].detail
    t.columns["subsidy_subordinate"] = "其中/对附属单位补助支出"  # read right: nothing to say
    doc = SimpleNamespace(checks=[])
    _check_headers(doc, t, {1})
    assert doc.checks == []


def test_an_enumeration_comma_whose_numeral_was_lost_is_dropped():
    got = join_words([_w("、", 0, 10), _w("科学技术支出", 60, 200), _w("、农林水支出", 400, 520), _w("十、节能环保支出", 700, 860)])
    assert [w["text"] for w in got] == ["科学技术支出", "农林水支出", "十、节能环保支出"]
    # the numeral read as a word of its own keeps its comma: "一" | "、一般公共服务支出" is one name
    got = join_words([_w("一", 0, 15), _w("、一般公共服务支出", 80, 250), _w("二", 400, 415), _w("、", 480, 490)])
    assert [w["text"] for w in got] == ["一", "、一般公共服务支出", "二", "、"]


@pytest.mark.slow
def test_a_summary_read_from_light_grey_rules_gives_its_function_classes(tmp_path):
    # 烟台市财政局 公开表1 收支总体情况表 (万元), scanned at 300 dpi: the classes as printed
    doc = parse_pdf(YANTAI, ocr=True, derived_dir=tmp_path)
    t = next(t for t in doc.tables if t.kind == "income_expenditure_summary")
    rows = {r.code: r.values.get("total") for r in t.rows if r.code}
    assert rows["201"] == pytest.approx(72317800.0) and rows["210"] == pytest.approx(3356900.0)
    assert rows["221"] == pytest.approx(4167500.0) and rows["213"] == 0.0 and rows["229"] == 0.0
    assert rows["205"] == pytest.approx(250000.0) and rows["208"] == pytest.approx(10602500.0)
    # 二、外交支出 (a zero line) read "j二、外交支出": no 202 row, and a failed check says so
    assert "202" not in rows
    assert [(c.rule, "外交支出" in c.detail) for c in doc.checks if not c.passed] == [("ocr name unread", True)]


def test_a_summary_line_with_figures_whose_name_gives_no_class_is_a_failed_check():
    # "四教育支出": the 、 lost, no function class, so no 205 row: nothing else would say so
    items = [Item(side="expenditure", label="四教育支出", values={"total": 250000.0}, page=1),
             Item(side="expenditure", label="一、一般公共服务支出", code="201", values={"total": 5.0}, page=1),
             Item(side="expenditure", label="本年支出合计", values={"total": 9.0}, page=1),
             Item(side="expenditure", label="上缴上级支出", values={"total": 1.0}, page=1),
             Item(side="expenditure", label="一、本年支出", values={"total": 9.0}, page=1),
             Item(side="expenditure", label="对附属单位的补助支出", values={"total": 2.0}, page=1),
             Item(side="expenditure", label="j二、外交支出", values={}, page=1)]
    t = Table(kind="income_expenditure_summary", title="收支总体情况表", pages=[1], items=items)
    doc = SimpleNamespace(checks=[])
    _check_uncoded_items(doc, t, {1})
    assert [(c.rule, c.passed) for c in doc.checks] == [("ocr name unread", False)] * 2
    assert "四教育支出" in doc.checks[0].detail and "外交支出" in doc.checks[1].detail  # a zero line too
    doc = SimpleNamespace(checks=[])
    _check_uncoded_items(doc, t, {2})  # not an OCR'd page
    assert doc.checks == []
