"""Tables printed without codes (杭州 style): hierarchy by indentation, codes by unambiguous name.

No report of this layout is in the corpus, so the test draws one with reportlab (a real PDF,
read by the real parser): a coded 支出总表 and an uncoded 一般公共预算支出表 whose names are
indented. 行政运行 appears under two 款: only the parent decides which code it is.
"""

from __future__ import annotations

import pytest

from parsers import parse_pdf

ROWS = [  # code, name, total, basic, project (万元)
    ("201", "一般公共服务支出", "300.00", "200.00", "100.00"),
    ("20101", "人大事务", "120.00", "100.00", "20.00"),
    ("2010101", "行政运行", "100.00", "100.00", ""),
    ("2010104", "人大会议", "20.00", "", "20.00"),
    ("20103", "政府办公厅（室）及相关机构事务", "180.00", "100.00", "80.00"),
    ("2010301", "行政运行", "100.00", "100.00", ""),
    ("2010302", "一般行政管理事务", "80.00", "", "80.00"),
    ("221", "住房保障支出", "50.00", "50.00", ""),
    ("22102", "住房改革支出", "50.00", "50.00", ""),
    ("2210201", "住房公积金", "50.00", "50.00", ""),
]


def _draw(path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    w, h = landscape(A4)

    def page(title: str, with_codes: bool) -> None:
        c.setFont("STSong-Light", 16)
        c.drawCentredString(w / 2, h - 60, title)
        c.setFont("STSong-Light", 10)
        c.drawString(60, h - 85, "编制单位：某市某区某局")
        c.drawRightString(w - 60, h - 85, "单位：万元")
        cols = [60, 160, 420, 520, 620, 720] if with_codes else [60, 420, 520, 620, 720]
        heads = (["科目编码", "科目名称"] if with_codes else ["科目名称"]) + ["合计", "基本支出", "项目支出"]
        body = [("", "合计", "350.00", "250.00", "100.00")] + ROWS
        top, step = h - 100, 22
        n = len(body) + 1
        for i in range(n + 1):
            c.line(cols[0], top - i * step, cols[-1], top - i * step)
        for x in cols:
            c.line(x, top, x, top - n * step)
        for j, text in enumerate(heads):
            c.drawString(cols[j] + 4, top - 15, text)
        for i, (code, name, *vals) in enumerate(body, start=1):
            y = top - i * step - 15
            cells = ([code, name] if with_codes else [name]) + vals
            for j, text in enumerate(cells):
                if j == len(cells) - 4 and not with_codes and code:  # the name: indented by level
                    c.drawString(cols[j] + 4 + 14 * ({3: 0, 5: 1, 7: 2}[len(code)]), y, text)
                elif j >= len(cells) - 3:
                    c.drawRightString(cols[j + 1] - 4, y, text)
                else:
                    c.drawString(cols[j] + 4, y, text)
        c.showPage()

    c.setFont("STSong-Light", 20)
    c.drawCentredString(w / 2, h / 2, "某市某区某局2026年部门预算")
    c.showPage()
    page("2026年部门支出总表", with_codes=True)
    page("2026年一般公共预算支出表", with_codes=False)
    c.save()


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("nocodes") / "hz-style.pdf"
    _draw(path)
    return parse_pdf(path)


def test_uncoded_table_gets_levels_from_indentation_and_codes_from_names(doc):
    gpb = next(t for t in doc.tables if t.kind == "gpb_expenditure_by_function")
    got = [(r.name, r.level, r.code, r.code_source) for r in gpb.rows]
    assert got == [(name, {3: 1, 5: 2, 7: 3}[len(code)], code, "name") for code, name, *_ in ROWS]
    assert gpb.rows[2].values == {"total": 1_000_000.0, "basic": 1_000_000.0, "project": 0.0}
    assert gpb.total["total"] == 3_500_000.0


def test_coded_table_of_the_same_report_is_untouched(doc):
    exp = next(t for t in doc.tables if t.kind == "expenditure_by_function")
    assert [(r.code, r.code_source) for r in exp.rows] == [(code, "printed") for code, *_ in ROWS]


def test_identities_hold_on_name_matched_rows(doc):
    gpb_checks = [c for c in doc.checks if c.table.startswith("gpb_expenditure_by_function")]
    assert any(c.rule == "parent = sum of children" for c in gpb_checks)
    assert all(c.passed for c in gpb_checks)


def test_real_uncoded_report_gets_codes_from_names_other_reports_print():
    """杭州交通局 支出总表 prints no codes; 行政单位离退休, 事业单位医疗 … are named with their codes
    by other reports (parsers/normalise/reference/func_names_learned.csv), so its rows get them."""
    from pathlib import Path

    d = parse_pdf(Path(__file__).parent / "fixtures" / "real" / "hangzhou_jiaotong_2026_yusuan_p1_p26-27.pdf")
    t = next(t for t in d.tables if t.kind == "expenditure_by_function" and t.rows)
    by_code = {r.code: r for r in t.rows}
    assert (by_code["2080501"].name, by_code["2080501"].values["total"]) == ("行政单位离退休", 25537900.0)
    assert by_code["2080501"].code_source == "name"
    assert by_code["2101102"].values["total"] == 11300900.0  # 事业单位医疗 1,130.09
    assert by_code["20805"].values["total"] == pytest.approx(  # the page's own rounding: 0.01 万元
        sum(r.values["total"] for c, r in by_code.items() if c and c.startswith("20805") and len(c) == 7), abs=200)
    # 政府性基金 款 and 交通 款/项 no report of the corpus prints with a code: from the bundled list
    assert [(by_code[c].name, by_code[c].values["total"]) for c in ("20139", "21208", "2120803", "21401", "2149901")] == [
        ("社会工作事务", 19_800.0),
        ("国有土地使用权出让收入安排的支出", 2_110_000_000.0), ("城市建设支出", 2_110_000_000.0),
        ("公路水路运输", 1_066_042_200.0), ("公共交通运营补助", 680_000_000.0)]
    assert not [c for c in d.checks if c.rule == "parent = sum of children" and not c.passed
                and c.table.startswith("expenditure_by_function")], "212 城乡社区支出 = 21208 + 21299 again"


def test_uncoded_parent_gets_the_code_its_children_share():
    """A 款 whose name is in no list takes the one 款 its coded 项 share, under its own 类 only."""
    from parsers.codes import match_codes_by_name
    from parsers.document import Row, Table

    def rows(*spec):
        return [Row(code=c, level=lv, name=n, code_source="printed" if c else None) for c, lv, n in spec]

    t = Table(kind="gpb_expenditure_by_function", rows=rows(
        ("208", 1, "社会保障和就业支出"),
        (None, 2, "某某新设事务"), ("2089701", 3, "甲"), ("2089799", 3, "乙"),  # → 20897
        (None, 2, "两个款的孩子"), ("2089801", 3, "丙"), ("2089901", 3, "丁"),  # children disagree
        (None, 2, "已有的款"), ("2089702", 3, "戊"),  # 20897 is taken by the row above
        ("210", 1, "卫生健康支出"), (None, 2, "别的类的孩子"), ("2089601", 3, "己")))  # not under 210
    match_codes_by_name([t])
    assert [(r.name, r.code, r.code_source) for r in t.rows if r.level == 2] == [
        ("某某新设事务", "20897", "inferred"), ("两个款的孩子", None, None), ("已有的款", None, None),
        ("别的类的孩子", None, None)]


def test_names_of_project_tables_and_blank_names_give_no_code():
    """A 政府采购表 row beside a printed code names a project, not the code; a row with no name
    matches nothing, although a coded row with a blank name is in the index."""
    from parsers.codes import match_codes_by_name
    from parsers.document import Row, Table

    procurement = Table(kind="procurement", rows=[
        Row(code="2040612", level=3, name="法治建设会议", code_source="printed")])
    projects = Table(kind="project_summary", rows=[Row(name="法治建设会议"), Row(name="")])
    fund = Table(kind="gov_fund_expenditure", rows=[Row(code="229", level=1, name="", code_source="printed"),
                                                    Row(code="22960", level=2, name="彩票公益金安排的支出",
                                                        code_source="printed"), Row(name="")])
    assert match_codes_by_name([procurement, projects, fund]) == 0
    assert [r.code for r in projects.rows + fund.rows[2:]] == [None, None, None]


def test_learned_names_need_two_reports_and_no_glued_note():
    from parsers.normalise.learn_names import learn

    def doc(*rows):
        return {"tables": [{"rows": [{"code": c, "name": n, "code_source": "printed", "scheme": "function"}
                                     for c, n in rows]}]}

    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        for i, rows in enumerate([[("2080501", "行政单位离退休"), ("2210203", "购房补贴注：无。")],
                                  [("2080501", "行政单位 离退休"), ("2210203", "购房补贴注：无。")],
                                  [("2101102", "事业单位医疗")]]):
            (Path(tmp) / f"{i}.json").write_text(json.dumps(doc(*rows), ensure_ascii=False), encoding="utf-8")
        assert learn([Path(tmp)]) == [("2080501", "行政单位离退休", 2)]


def test_a_page_printed_further_in_is_not_a_level_down():
    """广州民政 基本支出表 prints no codes, one indent per page: the 类 of every unit. Its last page
    prints them 10 pt further in than the first; they are still 类 (301 … 310), not 款 without a code."""
    from pathlib import Path

    d = parse_pdf(Path(__file__).parent / "fixtures" / "real" / "guangzhou_minzhengju_2026_yusuan_p1_p23_p26.pdf")
    t = next(t for t in d.tables if t.kind == "basic_by_econ")
    assert t.pages == [2, 3]
    last = [(r.unit, r.code, r.level, r.values["total"]) for r in t.rows if r.page == 3]
    assert len(last) == 9 and last[-3:] == [("广州市老龄工作委员会办公室", "301", 1, 8_001_700.0),
                                            ("广州市老龄工作委员会办公室", "302", 1, 889_000.0),
                                            ("广州市老龄工作委员会办公室", "303", 1, 1_675_800.0)]
    assert all(r.code and r.level == 1 for r in t.rows), [(r.page, r.name) for r in t.rows if not r.code]


def test_units_indented_above_their_classes_do_not_push_the_classes_a_level_down():
    """深圳财政 基本支出总表 prints no codes and indents its 类 under the unit's line: by indentation
    工资福利支出 is level 2, a 款, which the 经济分类 has not under that name; the name decides."""
    from pathlib import Path

    d = parse_pdf(Path(__file__).parent / "fixtures" / "real" / "shenzhen_caizhengju_2026_yusuan_p1_p10_p16-26_p38.pdf")
    t = next(t for t in d.tables if t.kind == "basic_by_econ")
    assert all(r.code for r in t.rows), [r.name for r in t.rows if not r.code]
    got = {r.code: (r.name, r.level, r.values["total"]) for r in t.rows if r.unit == "深圳市财政局（本级）"}
    assert got["301"] == ("工资福利支出", 1, 84_904_200.0) and got["30101"] == ("基本工资", 2, 13_984_600.0)
    assert got["302"] == ("商品和服务支出", 1, 14_629_300.0) and got["30201"] == ("办公费", 2, 876_300.0)
    parents = [c for c in d.checks if c.rule == "parent = sum of children" and c.table.startswith("basic_by_econ")]
    assert parents and all(c.passed for c in parents)


def test_a_project_table_keeps_each_units_projects():
    """杭州 项目支出预算表: 单位名称 | 项目名称 | figures. A line naming its unit and a project is
    that project's row, under its unit, not the unit's total (which lost every project name)."""
    from tests.real_pages import doc, table

    t = table(doc("hangzhou_jiaotong_2026_yusuan_p1_p37-38.pdf"), "project_summary")
    assert not [i for i in t.items if i.key == "unit_total"]
    first = t.rows[0]  # 杭州市交通运输局  日常保障运行  64.90  64.90 (万元)
    assert (first.unit, first.name, first.values["total"], first.values["general_public_budget"]) == \
        ("杭州市交通运输局", "日常保障运行", 649000.0, 649000.0)
    names = {r.name for r in t.rows if r.unit == "杭州市公路与港航管理服务中心"}
    assert names == {"日常保障运行", "综合交通运输管理及服务", "公路水路基础设施维护维修"}
    assert round(sum(r.values["total"] for r in t.rows)) == t.total["total"] == 5761711100.0  # 576,171.11 合计
    assert t.verification == "verified"
