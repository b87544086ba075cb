"""Text-layer verification: every table compared with its own page, and wrong readings caught.

The wrong readings are made by altering a correctly built table (zeroed amounts, a shifted
column, a dropped row) before verification: the page text is unchanged, so verification
must fail and name the page and the row.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from parsers import parse_pdf
from parsers.extract import iter_pages
from parsers.locate import locate
from parsers.printed import printed_records
from parsers.tables import Context, build_table
from parsers.verify import verify_table
from tests.parse_cache import cached_parse
from tests.real_pages import fresh, text_failures

REAL = Path(__file__).parent / "fixtures" / "real"
GUANGZHOU = REAL / "guangzhou_kejiju_2026_yusuan_p1_p9-10_p13-17.pdf"  # bracketed codes: [2060101]行政运行
PUTUO = REAL / "shanghai-putuo_shehui-gongzuobu_2024_juesuan.pdf"  # split 类|款|项 columns, lattice


@cache
def built(path: Path):
    """Every table of the document built, with its location, and the layouts."""
    layouts = list(iter_pages(path))
    located, _ = locate(layouts)
    return [(build_table(loc, Context(year=2026)), loc) for loc in located], {pl.number: pl for pl in layouts}


def test_bracketed_codes_are_read_with_their_figures():
    d = cached_parse(GUANGZHOU)
    gpb = next(t for t in d.tables if t.kind == "gpb_expenditure_by_function")
    row = next(r for r in gpb.rows if r.code == "2060101")  # [2060101]行政运行 3,605.97 3,605.97 0.00 (万元)
    assert row.name == "行政运行" and row.page == 4
    assert row.values == {"total": 36059700.0, "basic": 36059700.0, "project": 0.0}
    assert gpb.verification == "verified"
    econ = next(t for t in d.tables if t.kind == "gpb_basic_by_econ")
    assert next(r for r in econ.rows if r.code == "30101").values["total"] == 10778500.0  # [30101]基本工资 1,077.85
    assert not [c for c in d.checks if not c.passed and c.rule.startswith("text layer")]


def test_continuation_page_with_wrapped_name_in_its_header_is_read():
    d = cached_parse(GUANGZHOU)
    exp = next(t for t in d.tables if t.kind == "expenditure_by_function")
    assert exp.pages == [2, 3]
    assert next(r for r in exp.rows if r.code == "2080801").values["total"] == 720000.0  # 死亡抚恤 72.00, page 3


def test_every_table_gets_a_status():
    d = cached_parse(PUTUO)
    statuses = {t.verification for t in d.tables if not t.empty}
    assert statuses <= {"verified", "mismatch", "unverifiable"} and "verified" in statuses
    assert all(t.verification is None for t in d.tables if t.empty)


def test_zeroed_amounts_fail_with_page_and_row():
    t, loc, layouts = fresh(GUANGZHOU, "gpb_expenditure_by_function")
    for r in t.rows:
        r.values = {k: 0.0 for k in r.values}
    checks = verify_table(t, loc, layouts)
    assert t.verification == "mismatch"
    assert any(c.rule == "text layer: table not all zeros" and c.page == 4 for c in checks)
    bad = text_failures(checks)
    assert any(c.page == 4 and "row 201:" in c.detail and "printed figure 20.00" in c.detail for c in bad)


def test_shifted_column_fails_with_page_and_row():
    t, loc, layouts = fresh(GUANGZHOU, "gpb_expenditure_by_function")
    r = next(r for r in t.rows if r.code == "2060203")  # 自然科学基金 12,000.00 | 0.00 | 12,000.00
    r.values["basic"], r.values["project"] = r.values["project"], r.values["basic"]
    checks = verify_table(t, loc, layouts)
    bad = text_failures(checks)
    assert t.verification == "mismatch"
    assert [c.page for c in bad] == [4] and "2060203" in bad[0].detail and "column" in bad[0].detail


def test_dropped_row_fails_with_page_and_row():
    t, loc, layouts = fresh(PUTUO, "expenditure_by_function")
    dropped = t.rows.pop(2)
    checks = verify_table(t, loc, layouts)
    bad = text_failures(checks)
    assert t.verification == "mismatch"
    assert any(dropped.code in c.detail and c.page == dropped.page for c in bad)


def test_a_wrong_figure_fails_with_the_printed_and_read_values():
    t, loc, layouts = fresh(PUTUO, "expenditure_by_function")
    r = next(r for r in t.rows if r.values.get("total"))
    r.values["total"] += 100.0
    bad = text_failures(verify_table(t, loc, layouts))
    assert any(r.code in c.detail and c.page == r.page for c in bad)


@pytest.mark.parametrize("words,code,parts,figures", [
    (["[2011105]派驻派出机构", "20.00", "0.00", "20.00"], "2011105", [], ["20.00", "0.00", "20.00"]),
    (["201", "06", "01", "行政运行", "1,511.90", "1,511.89"], "201", ["06", "01"], ["1,511.90", "1,511.89"]),
    (["2040601", "行政运行", "64840547"], "2040601", [], ["64840547"]),
])
def test_printed_records_read_every_code_format(words, code, parts, figures):
    from parsers.extract import TextLine

    x = 10.0
    ws = []
    for w in words:
        ws.append((x, x + 8 * len(w), w))
        x += 8 * len(w) + 12
    line = TextLine(0, 100, x, 110, " ".join(words), ws)
    (rec,) = printed_records([line], 1, integers=True)
    assert rec.code == code and rec.parts == parts and [f for _, _, f in rec.figures] == figures


def test_side_by_side_blocks_give_one_record_each():
    from parsers.extract import TextLine

    words = ["30101", "基本工资", "120.00", "30201", "办公费", "3.50"]
    ws, x = [], 10.0
    for w in words:
        ws.append((x, x + 30, w))
        x += 45
    recs = printed_records([TextLine(0, 100, x, 110, " ".join(words), ws)], 1, integers=False)
    assert [(r.code, [f for _, _, f in r.figures]) for r in recs] == [("30101", ["120.00"]), ("30201", ["3.50"])]


def _records(words: list[str], integers: bool) -> list[tuple[str | None, str, list[str]]]:
    from parsers.extract import TextLine

    ws, x = [], 10.0
    for w in words:
        ws.append((x, x + 30, w))
        x += 45
    recs = printed_records([TextLine(0, 100, x, 110, " ".join(words), ws)], 1, integers=integers)
    return [(r.code and r.code + "".join(r.parts), r.label, [f for _, _, f in r.figures]) for r in recs]


@pytest.mark.parametrize("words,integers,expected", [
    # 西安 采购表: 数量 | 部门经济 类 款 | 政府经济 类 款 | 预算金额 after the name: one record
    (["204", "06", "01", "普法宣传", "C02080000考试服务", "1", "302", "27", "502", "05", "300,000.00"], False,
     [("2040601", "普法宣传C02080000考试服务1", ["300,000.00"])]),
    # a 数量 shaped like a code (15000, 210) before them is a figure
    (["210", "15", "06", "业务档案专项费", "15000", "302", "14", "502", "01", "600000"], True,
     [("2101506", "业务档案专项费", ["15000", "600000"])]),
    (["210", "15", "99", "办公家具购置", "210", "302", "13", "505", "02", "110000"], True,
     [("2101599", "办公家具购置", ["210", "110000"])]),
    # a unit's number between the code and the name is neither a figure nor a line of its own
    (["210", "15", "05", "245", "西安市医疗保障局", "15680", "21069995"], True,
     [("2101505", "西安市医疗保障局", ["15680", "21069995"])]),
    # a number after a name with no name after it is a figure, though it looks like a 类
    (["201", "06", "08", "1", "全额", "201", "27,130,000.00"], False,
     [("2010608", "1全额", ["201", "27,130,000.00"])]),
    # a code after a name with a name after it still opens the next block (a record without
    # figures is none)
    (["30101", "基本工资", "30201", "办公费", "3.50"], False, [("30201", "办公费", ["3.50"])]),
])
def test_printed_records_of_procurement_lines(words, integers, expected):
    assert _records(words, integers) == expected


def test_coded_lines_outside_every_table_on_a_page_fail():
    """A page whose table was read but whose other coded lines lie outside every table's area
    (a second table the locator missed) fails a page check naming the page."""
    import dataclasses

    from parsers.verify import verify_document

    pairs, layouts = built(GUANGZHOU)
    t, loc = next((t, loc) for t, loc in pairs if t.kind == "gpb_expenditure_by_function")
    page = loc.parts[0].page
    assert not [c for c in verify_document(pairs, list(layouts.values()))
                if not c.passed and c.rule == "text layer: page with code rows read"]
    g = loc.parts[0]
    x0, y0, x1, y1 = g.bbox
    short = dataclasses.replace(g, bbox=(x0, y1 - (y1 - y0) / 4, x1, y1))  # the grid's top quarter only
    cut = dataclasses.replace(loc, parts=[short] + list(loc.parts[1:]))
    checks = verify_document([(t, cut) if p[0] is t else p for p in pairs], list(layouts.values()))
    bad = [c for c in checks if not c.passed and c.rule == "text layer: page with code rows read"]
    assert [c.page for c in bad] == [page] and "outside every table" in bad[0].detail


def test_a_page_the_layout_never_showed_fails_by_its_own_text(monkeypatch: pytest.MonkeyPatch):
    """The second sweep reads pdfium's text, not camelot's layout: a page left out of the
    layout (here the page selection is made to skip it) has no table and no layout words, so
    only the page's own text can say that its coded lines were never read."""
    import parsers.pages

    clean = cached_parse(GUANGZHOU)
    page = next(r.page for t in clean.tables if t.kind == "gpb_expenditure_by_function" for r in t.rows)
    assert not [c for c in clean.checks if not c.passed and c.page == page]
    keep = parsers.pages.select_pages
    monkeypatch.setattr(parsers.pages, "select_pages",
                        lambda texts, all_pages=False: [i != page - 1 and k for i, k in enumerate(keep(texts))])
    d = parse_pdf(GUANGZHOU)
    assert not [r for t in d.tables for r in t.rows if r.page == page]
    (bad,) = [c for c in d.checks if not c.passed and c.page == page]
    assert bad.rule == "text layer: page's coded lines read" and bad.actual == 0.0 and bad.expected >= 10
    assert "[201]一般公共服务支出" in bad.detail  # the first line the page prints that no row holds


def test_text_drawn_below_the_page_is_not_the_pages():
    """A spreadsheet export carries the next page's 基本支出 rows below page 11's edge: pdfium
    returns them, no reader sees them, and they must not count as the page's lines."""
    import pypdfium2 as pdfium

    from parsers.pdf import read_pdf_text

    pdf = REAL / "jiangsu_renda-bgt_2017_yusuan_p1_p11.pdf"
    tp = pdfium.PdfDocument(pdf)[1].get_textpage()
    assert "30101 基本工资 1,015.15" in tp.get_text_range()  # drawn at y < 0
    text = read_pdf_text(pdf).pages[1]
    assert "30101" not in text and "2010101 行政运行 4,545.94" in text
    assert "财政拨款基本支出预算表" not in text  # that table's title grazes the edge: 0.1 pt above it
    d = cached_parse(pdf)
    assert not [c for c in d.checks if not c.passed]


def test_the_text_sweep_checks_figures_not_only_codes():
    """Rows with the right codes and wrong figures (here read in 元 as if printed in 万元) fail the
    page's own-text sweep as well: the codes are there, the printed figures are not."""
    import copy

    from parsers.pdf import read_pdf_text
    from parsers.verify import unread_text_lines

    d = cached_parse(GUANGZHOU)
    texts = read_pdf_text(GUANGZHOU).pages
    assert unread_text_lines(d.tables, texts, set()) == []
    page = next(r.page for t in d.tables if t.kind == "gpb_expenditure_by_function" for r in t.rows)
    wrong = copy.deepcopy(d.tables)
    for t in wrong:
        for r in t.rows:
            if r.page == page:
                r.values = {k: v * 10 for k, v in r.values.items()}
    (bad,) = unread_text_lines(wrong, texts, set())
    assert bad.page == page and not bad.passed and "[201]一般公共服务支出" in bad.detail
    assert unread_text_lines(wrong, texts, {page}) == []  # a page already flagged is not flagged twice


@pytest.mark.parametrize("line,expected", [
    ("[2060101]行政运行 3,605.97 3,605.97 0.00", ("2060101", ["3605.97", "3605.97", "0.00"])),
    ("301 工资福利支出 6,982.75 302 商品和服务支出 2,239.41", ("301", ["6982.75"])),  # side by side
    ("301 02 津贴补贴 1,238.58 302 02 印刷费 7.61", ("30102", ["1238.58"])),  # split codes, side by side
    ("303 01 离休费 302 16 培训费 4.05", None),  # the figure is the next block's
    ("12333聘用人员经费 8.83", None),  # a hotline's number is no code
    ("2080501 行政单位离退休 1,056.46 929.97 -126.49 -11.97%", ("2080501", ["1056.46", "929.97", "-126.49"])),
    ("212 城乡社区支出 63,390,559.00 5,156,059.0058,234,500.00", None),  # two figures glued
    ("30103 奖金 50101 工资奖金津补贴 2910000 2910000 0 0", None),  # bare integers: codes or figures
    ("175 万元，减少 18.42%，主要原因是", None),  # prose
])
def test_coded_lines_of_the_text_layer(line, expected):
    from decimal import Decimal

    from parsers.verify import _text_line

    got = _text_line(line)
    assert (got and (got[0], got[1])) == (expected and (expected[0], [Decimal(f) for f in expected[1]]))
