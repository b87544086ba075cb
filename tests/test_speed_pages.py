"""Page selection (parsers/pages.py): only pages that can hold a table are laid out, and the
parse is the same as laying out every page."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.extract import iter_pages
from parsers.pages import ALL_PAGES_ENV, select_pages, signals
from parsers.parse import parse_pdf
from parsers.pdf import read_pdf_text

FIXTURES = Path(__file__).parent / "fixtures" / "real"
PROSE_AND_TABLES = FIXTURES / "shanghai-putuo_shehui-gongzuobu_2024_juesuan.pdf"  # prose, then tables
UNRULED = FIXTURES / "guangzhou_kejiju_2026_yusuan_p1_p9-10_p13-17.pdf"  # tables without rules (text flavors)
MOSTLY_PROSE = FIXTURES / "jiangsu_gaoyuan_2017_yusuan.pdf"  # more than half its pages are prose

PROSE = ("一、部门职责\n北京市财政局贯彻落实党中央关于财政工作的方针政策和决策部署，在履行职责过程中坚持党的集中统一领导。\n"
         "主要职责是：拟订全市财政发展战略、规划、政策和改革方案并组织实施；分析预测宏观经济形势。\n"
         "二、机构设置\n本部门预算包括本级预算和所属单位预算，共计十二个单位。\n"
         "三、收支情况\n2026年收入预算12,345.67万元，比上年增加120.00万元，主要原因是人员增加。\n")
TABLE = ("2026年一般公共预算支出表\n单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
         "201 一般公共服务支出 1,234.56 1,000.00 234.56\n20106 财政事务 1,234.56 1,000.00 234.56\n")
LABELS = "一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 培训人次\n效益指标 社会效益 满意度\n"


def test_signals_tell_tables_from_prose() -> None:
    prose, table = signals(PROSE), signals(TABLE)
    assert prose.prose and not prose.own
    assert table.own and table.title and table.table_lines >= 2 and table.code_lines >= 2


def test_a_page_of_labels_continues_a_table_but_not_prose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALL_PAGES_ENV, raising=False)
    assert select_pages([PROSE, TABLE, LABELS, PROSE]) == [False, True, True, False]
    assert select_pages([PROSE, LABELS]) == [False, False]
    monkeypatch.setenv(ALL_PAGES_ENV, "1")
    assert select_pages([PROSE, LABELS]) == [True, True]


def _laid_out(path: Path, **kw: object) -> list[int]:
    return [pl.number for pl in iter_pages(path, **kw) if pl.lines or pl.grids]


@pytest.mark.slow  # parses three real reports twice
@pytest.mark.parametrize("pdf", [PROSE_AND_TABLES, UNRULED, MOSTLY_PROSE], ids=["ruled", "unruled", "prose"])
def test_real_report_lays_out_fewer_pages_with_the_same_output(pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALL_PAGES_ENV, raising=False)
    text = read_pdf_text(pdf)
    chosen = _laid_out(pdf, texts=text.pages)
    every = _laid_out(pdf, all_pages=True)
    print(f"laid out {len(chosen)} of {text.page_count} pages: {chosen} (all pages: {every})")
    assert len(chosen) < len(every) and set(chosen) <= set(every)
    assert _laid_out(pdf) == chosen  # reads the text itself when not given

    selected = parse_pdf(pdf).to_dict()
    monkeypatch.setenv(ALL_PAGES_ENV, "1")
    full = parse_pdf(pdf).to_dict()
    for d in (selected, full):
        d.pop("seconds", None)
    assert selected["tables"] and sum(len(t["rows"]) for t in selected["tables"]) > 0
    assert selected == full
