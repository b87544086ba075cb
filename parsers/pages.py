"""Which pages can hold a table, judged from the text layer before any layout analysis.

camelot's layout analysis is ~90 % of a page's parse cost and cannot be made cheaper, so
the parser lays out only the pages this module selects; the others still yield an empty
PageLayout, which `locate` treats exactly like a page with no grid and no title on it.
A page is selected when its pypdfium2 text shows a table (figures on lines without
sentence punctuation, rows opening with a classification code), a table title from
templates/tables.yaml, a 单位/编制单位 line, or when it follows a selected page and is not
prose (a table continuing with labels only, e.g. performance targets). Every threshold is named here; `BUDGET_ETL_ALL_PAGES=1` (or
`all_pages=True`) lays out every page, so a bench can compare both in one code state.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from itertools import pairwise

from parsers.amounts import AMOUNT_TOKEN, MONEY_UNIT

ALL_PAGES_ENV = "BUDGET_ETL_ALL_PAGES"

MIN_CODE_LINES = 2  # lines opening with a classification code and a name (verify.py flags such pages)
MIN_TABLE_LINES = 2  # lines holding a figure outside a sentence: a single one is prose quoting a figure
MAX_TITLE_CHARS = 80  # longer lines are prose, never a title
PROSE_LINE_SHARE = 0.5  # a continuation candidate whose lines end sentences this often is prose
MIN_PROSE_LINES = 4  # fewer non-empty lines than this never count as prose (a table's last rows)

PROSE = re.compile(r"[，。；]")  # sentence punctuation a table cell rarely holds
SENTENCE_END = re.compile(r"[。；]\s*$")
CODE_LINE = re.compile(r"^[\[【]?\d{3}(?:\d{2}){0,2}[\]】]?\s*[\u4e00-\u9fff]|^\d{3}\s+\d{2}\b")  # [201]一般… too
TABLE_META = re.compile(r"(编制单位|编制部门|单位名称|部门名称|预算单位)\s*[:：]|表\s*\d")


@dataclass(frozen=True)
class PageSignals:
    """What a page's text layer says about tables on it."""

    table_lines: int
    code_lines: int
    title: bool
    meta: bool
    prose: bool

    @property
    def own(self) -> bool:
        """The page shows a table by itself (not only as a continuation)."""
        return (self.table_lines >= MIN_TABLE_LINES or self.code_lines >= MIN_CODE_LINES
                or self.title or self.meta)


def all_pages_requested() -> bool:
    return os.environ.get(ALL_PAGES_ENV, "").strip() not in ("", "0", "false", "no")


def signals(text: str) -> PageSignals:
    """Read one page's text (lines joined with newlines) into PageSignals."""
    from parsers.kinds import classify_title  # kinds reads only text: no import of the layout modules

    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    table_lines = sum(1 for ln in lines if AMOUNT_TOKEN.search(ln) and not PROSE.search(ln))
    code_lines = sum(1 for ln in lines if CODE_LINE.search(ln))
    short = [ln for ln in lines if len(ln) <= MAX_TITLE_CHARS]
    title = any(classify_title(ln) for ln in short) or any(
        classify_title(a + b) for a, b in pairwise(short) if len(a + b) <= MAX_TITLE_CHARS)
    meta = any(MONEY_UNIT.search(ln) or TABLE_META.search(ln) for ln in short)
    ends = sum(1 for ln in lines if SENTENCE_END.search(ln) or len(PROSE.findall(ln)) >= 2)
    prose = len(lines) >= MIN_PROSE_LINES and ends >= PROSE_LINE_SHARE * len(lines)
    return PageSignals(table_lines, code_lines, title, meta, prose)


def select_pages(texts: list[str], all_pages: bool = False) -> list[bool]:
    """For each page (in order), whether it must be laid out.

    A page not showing a table itself is kept when the page before it was kept and it is
    not prose: a table running on over pages that print no figures (labels, targets).
    """
    if all_pages or all_pages_requested():
        return [True] * len(texts)
    keep: list[bool] = []
    for text in texts:
        s = signals(text)
        keep.append(s.own or (bool(keep) and keep[-1] and not s.prose and bool(text.strip())))
    return keep


def pages_to_lay_out(path: str, texts: list[str] | None, all_pages: bool = False) -> list[bool] | None:
    """Which pages of the PDF to lay out, or None (all of them) when asked to, or when the
    text layer cannot be read here (the parser reports that itself)."""
    if all_pages or all_pages_requested():
        return None
    if texts is None:
        from parsers.pdf import UnreadablePDF, read_pdf_text
        try:
            texts = read_pdf_text(path).pages
        except UnreadablePDF:
            return None
    return select_pages(texts)
