"""Pages that name tables without holding them are not tables (issue 9 item 3).

Real page cuts (cover + one page, pypdfium2, pages untouched): a ruled 目录 listing every table
with 是否空表 columns (西安), a list of table titles at the end of a prose page that a text
flavor reads as a one-column grid (杭州), and the next table's title drawn below the page's
bottom edge (江苏人大), where neither a viewer nor pdftotext shows it. Each was an empty table
of a kind the report also prints for real.
"""

from __future__ import annotations

from parsers.extract import iter_pages
from parsers.locate import locate
from tests.real_pages import REAL, doc, row, table


def _on_page(d, page: int) -> list[tuple[str, bool]]:
    return [(t.kind, t.empty) for t in d.tables if page in t.pages]


def test_a_ruled_contents_page_is_a_list_of_tables_not_a_table():
    name = "xian_yibaoju_2022_yusuan_p1_p28.pdf"
    assert _on_page(doc(name), 2) == []
    _, notes = locate(list(iter_pages(REAL / name)))
    assert "page 2: a list of 16 table titles (a contents page), not a table" in notes


def test_titles_listed_in_prose_are_not_a_table():
    d = doc("hangzhou_jiaotong_2026_yusuan_p1_p20.pdf")
    assert _on_page(d, 2) == []
    assert not [t for t in d.tables if t.kind == "expenditure_by_function"]


def test_a_title_drawn_off_the_page_is_not_an_empty_table():
    name = "jiangsu_renda-bgt_2017_yusuan_p1_p11.pdf"
    d = doc(name)
    assert _on_page(d, 2) == [("fiscal_expenditure_by_function", False)]
    t = table(d, "fiscal_expenditure_by_function")
    assert row(t, "201").values["total"] == 105283300.0  # 10,528.33 万元
    assert row(t, "2210202").values["total"] == 10180100.0
    assert t.verification == "verified"
    page = next(pl for pl in iter_pages(REAL / name) if pl.number == 2)
    assert not [ln for ln in page.lines if "基本支出预算表" in ln.text]
    assert all(0 <= (ln.y0 + ln.y1) / 2 <= page.height for ln in page.lines)
