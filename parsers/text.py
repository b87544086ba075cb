"""The report prose as one searchable string: the text model narrative facts and sections read.

Input is the page texts of parsers.pdf.read_pdf_text (one string per page).  pypdfium2 breaks
lines mid-sentence and mid-figure ("114.46\\n万元", "增加 2\\n人") and puts spaces between
figures and units, so everything is matched on a normalised text (``NarrativeText``): page
numbers and running headers dropped, lines and pages joined, spaces next to CJK removed.
Amounts are converted to 元 from the unit printed next to the figure (万元 x 10000), with
Decimal arithmetic, rounded to 2 decimals and returned as float.  Phrase patterns live in
templates/narrative.yaml (loaded by parsers.vocab).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from parsers.normalise.money import MONEY_UNITS
from parsers.normalise.money import to_yuan as _to_yuan
from parsers.vocab import load_template

# CJK ideographs, CJK punctuation, full-width forms and curly quotes: spaces next to these are noise.
CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026"
_SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{CJK}])|(?<=[{CJK}])\s+")
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d)\s+(?=%)")
_FULLWIDTH = str.maketrans("０１２３４５６７８９％", "0123456789%")
_DASH_PAGE_NO = re.compile(r"^[-－—─–]+\s*\d{0,4}\s*[-－—─–]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
_BARE_PAGE_NO = re.compile(r"^\d{1,3}$")

# Lines at the top and at the bottom of a page where page numbers and running headers print.
EDGE_LINES = 2
# A line is a running header when it is at a page edge on this share of pages (and on at
# least RUNNING_MIN_PAGES): a heading repeated by chance on two pages is not one.
RUNNING_SHARE = 0.3
RUNNING_MIN_PAGES = 3
# Shorter edge lines ("一、", "2") are too common to be told from body text by repetition.
RUNNING_MIN_CHARS = 4
# Fewer pages than this and repetition says nothing: no running headers are dropped.
MIN_PAGES_FOR_RUNNING = 3
# A topic section (三公, 政府采购…) never runs longer than this many characters: a missing
# closing heading must not let a topic swallow the rest of the report.
SECTION_MAX_CHARS = 2500


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


@cache
def rx(pattern: str) -> re.Pattern[str]:
    """A template pattern, compiled once (the same patterns run over every report)."""
    return re.compile(pattern)


def clean(text: str) -> str:
    """Header or cell text with line breaks and spaces removed (characters split over lines rejoin)."""
    return re.sub(r"[\s\u3000]+", "", text or "")


def normalise_line(line: str) -> str:
    """One line as the patterns expect it: ASCII digits, no spaces next to CJK, single spaces."""
    s = line.translate(_FULLWIDTH).replace("\u00a0", " ")
    s = _SPACE_NEAR_CJK.sub("", s.strip())
    s = _SPACE_BEFORE_PERCENT.sub("", s)
    return re.sub(r"\s+", " ", s)


@dataclass
class NarrativeText:
    """All pages as one string, with the page and line-start of every offset."""

    text: str
    page_starts: list[int] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)

    def page_of(self, pos: int) -> int:
        """1-based page number of a text offset."""
        return max(1, bisect_right(self.page_starts, pos))

    def at_line_start(self, pos: int) -> bool:
        i = bisect_right(self.line_starts, pos) - 1
        return i >= 0 and self.line_starts[i] == pos

    def next_line_start(self, pos: int) -> int:
        i = bisect_right(self.line_starts, pos)
        return self.line_starts[i] if i < len(self.line_starts) else len(self.text)


def _edge_lines(pages: list[list[str]]) -> set[str]:
    """Running headers/footers: lines at the top or bottom of many pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update(set(lines[:EDGE_LINES] + lines[-EDGE_LINES:]))
    threshold = max(RUNNING_MIN_PAGES, int(RUNNING_SHARE * len(pages)))
    return {ln for ln, n in counts.items() if n >= threshold and len(ln) >= RUNNING_MIN_CHARS}


def _page_lines(page: str) -> list[str]:
    lines = [normalise_line(ln) for ln in page.split("\n")]
    return [ln for ln in lines if ln]


def build_text(pages: list[str], drop_running_lines: bool = True) -> NarrativeText:
    """Join the pages into one searchable string; drop page numbers and running headers."""
    per_page = [_page_lines(p) for p in pages]
    drop = _edge_lines(per_page) if drop_running_lines and len(per_page) >= MIN_PAGES_FOR_RUNNING else set()
    nt = NarrativeText(text="")
    parts: list[str] = []
    pos, prev = 0, ""
    for lines in per_page:
        nt.page_starts.append(pos)
        n = len(lines)
        for i, ln in enumerate(lines):
            edge = i < EDGE_LINES or i >= n - EDGE_LINES
            if _DASH_PAGE_NO.match(ln) or (edge and (_BARE_PAGE_NO.match(ln) or ln in drop)):
                continue
            sep = " " if prev[-1:].isdigit() and ln[:1].isdigit() else ""
            parts.append(sep + ln)
            pos += len(sep)
            nt.line_starts.append(pos)
            pos += len(ln)
            prev = ln
    nt.text = "".join(parts)
    return nt


@dataclass
class Amount:
    value: float  # 元
    start: int
    end: int
    raw: str


def _amount_re() -> re.Pattern[str]:
    units = "|".join(MONEY_UNITS)
    return rx(rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)({units})(?!以上|以下|（含）|\(含\))")


def to_yuan(number: str, unit: str) -> float:
    """A printed figure and its unit as 元 (parsers.normalise.money.to_yuan), as the float facts hold."""
    return float(_to_yuan(number, unit))


def amounts_in(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Every money figure in text[start:end], in order."""
    end = len(text) if end is None else end
    return [
        Amount(to_yuan(m.group(1), m.group(2)), m.start(), m.end(), m.group(0))
        for m in _amount_re().finditer(text, start, end)
    ]


def section_end(nt: NarrativeText, start: int, limit: int = SECTION_MAX_CHARS, any_level: bool = False) -> int:
    """Where the topic that starts at `start` ends: the next (top-level) heading at a line start."""
    heading = rx(_cfg()["heading" if any_level else "top_heading"])
    pos = nt.next_line_start(start + 1)
    hard = min(len(nt.text), start + limit)
    while pos < hard:
        if heading.match(nt.text, pos):
            return pos
        pos = nt.next_line_start(pos + 1)
    return hard


def topic_windows(nt: NarrativeText, anchor: str, any_level: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each section that mentions `anchor`, definitions (名词解释) excluded."""
    definition = rx(_cfg()["definition"])
    out: list[tuple[int, int]] = []
    for m in rx(anchor).finditer(nt.text):
        if definition.match(nt.text, m.end()):
            continue
        if out and m.start() < out[-1][1]:
            continue
        out.append((m.start(), section_end(nt, m.start(), any_level=any_level)))
    return out


def balance(s: str) -> str:
    """Strip spaces, and brackets left unmatched by cutting a phrase out of a sentence."""
    s = s.strip(" ，,：:")
    while s[:1] in "（(" and s.count("（") + s.count("(") > s.count("）") + s.count(")"):
        s = s[1:].strip()
    while s[-1:] in "）)" and s.count("（") + s.count("(") < s.count("）") + s.count(")"):
        s = s[:-1].strip()
    if s.count("（") > s.count("）"):
        s += "）"
    return s

