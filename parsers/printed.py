"""What a page prints, read straight from its layout words: one record per printed line
(code, label, figures in print order with their x positions), independent of the grid the
table was built from. parsers/verify.py compares tables with these records.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from parsers.amounts import parse_amount
from parsers.glued import split_glued
from parsers.grid import TextLine
from parsers.normalise.codes import is_class, scheme_of

# A figure as a table cell prints it: separators, decimals, or a bare integer of a 元 table.
FIGURE = re.compile(r"^[(（]?-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[)）]?$")
CODE_WORD = re.compile(r"^[\[【]?([1235]\d{2}(?:\d{2}){0,2})[\]】]?(?=[^\d.,]|$)")
CODE_PART = re.compile(r"^\d{2}$")
LOST_ZERO_PART = re.compile(r"^[1-9]$")  # a 款 part between a 类 code and the name, its 0 not printed
GLUED_FIGURE = re.compile(r"^(.*[\u4e00-\u9fff）)])(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$")
CJK = re.compile(r"[\u4e00-\u9fff]")
BAND_TOLERANCE = 2.5  # pt: words whose vertical middles lie this close print on one line
MERGE_GAP = 8.0  # pt: two baselines this close whose words share no column print one row (offset cells)


@dataclass
class Printed:
    """One record of a printed line: what the page shows, independently of the grid."""

    page: int
    y: float
    code: str | None
    parts: list[str]  # 2-digit 款/项 parts printed without their 类 (sparse code columns)
    label: str
    figures: list[tuple[float, Decimal, str]] = field(default_factory=list)  # (right x, value, text)
    alt: str | None = None  # a second classification printed beside the code (政府经济分类 50101)
    words: list[str] = field(default_factory=list)  # the label's words: cells of several columns may share a line

    @property
    def text(self) -> str:
        head = " ".join(x for x in ([self.code] if self.code else []) + self.parts + [self.label] if x)
        return (head + " " + " ".join(f for _, _, f in self.figures)).strip()


def _bands(lines: list[TextLine], ruled: list[tuple[float, float]] | None = None,
           ) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Words grouped by printed line, top to bottom, left to right, with the line's middle y.

    Inside ruled rows (the printed horizontal rules of a lattice table) a row is everything
    between two rules: cells print their figures centred while a wrapped name sits higher."""
    words = [(w, (ln.y0 + ln.y1) / 2) for ln in lines for i, w in enumerate(ln.words)
             if w[2].strip() and not _year_of_date(ln.words, i)]
    words.sort(key=lambda x: -x[1])
    by_rule: dict[int, list[tuple[float, float, str]]] = {}
    loose = []
    for w, y in words:
        k = next((i for i, (y0, y1) in enumerate(ruled or []) if y0 <= y <= y1), None)
        if k is None:
            loose.append((w, y))
        else:
            by_rule.setdefault(k, []).append(w)
    bands: list[tuple[float, list[tuple[float, float, str]]]] = []
    for w, y in loose:
        if bands and abs(bands[-1][0] - y) <= BAND_TOLERANCE:
            bands[-1][1].append(w)
        else:
            bands.append((y, [w]))
    merged: list[tuple[float, list[tuple[float, float, str]]]] = []
    for y, b in bands:  # one cell's words printed on two baselines (上海 决算): one line
        if merged and merged[-1][0] - y <= MERGE_GAP and _disjoint(merged[-1][1], b):
            merged[-1] = (merged[-1][0], merged[-1][1] + b)
        else:
            merged.append((y, b))
    merged += [((ruled[k][0] + ruled[k][1]) / 2, b) for k, b in by_rule.items()]  # type: ignore[index]
    merged.sort(key=lambda x: -x[0])
    return [(y, _join_wrapped(sorted(b, key=lambda w: w[0]))) for y, b in merged]


WRAPPED_DIGITS = re.compile(r"^\d{1,2}$")


def _join_wrapped(band: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """'576,171.1' over '1' in one cell (杭州: the figure too wide for its column wraps its
    last digit onto a second line): two words of one line never overlap, so a digit or two
    under the end of a figure with decimals is the rest of that figure."""
    out: list[tuple[float, float, str]] = []
    for x0, x1, w in band:
        if out and WRAPPED_DIGITS.match(w) and x0 < out[-1][1] - 1 and "." in out[-1][2] \
                and FIGURE.match(out[-1][2] + w):
            px0, px1, pw = out.pop()
            out.append((px0, max(px1, x1), pw + w))
            continue
        out.append((x0, x1, w))
    return out


YEAR = re.compile(r"^(19|20)\d\d$")


def _year_of_date(words: list[tuple[float, float, str]], i: int) -> bool:
    """'2025 年执行数' in a header: the year of a date, never a figure."""
    return bool(YEAR.match(words[i][2].strip())) and i + 1 < len(words) \
        and words[i + 1][2].strip().startswith("年")


def _disjoint(a: list[tuple[float, float, str]], b: list[tuple[float, float, str]]) -> bool:
    return not any(min(x1, v1) - max(x0, v0) > -1 for x0, x1, _ in a for v0, v1, _ in b)


def _is_figure(word: str, integers: bool) -> bool:
    w = word.replace(" ", "")
    if not FIGURE.match(w):
        return False
    return integers or "." in w or "," in w


# An integer after the name in a table of decimals is a figure (西安 prints 3082 and 7 beside
# 3523.12) when it has 3+ digits or is 0; a shorter one only when it stands right-aligned
# under other figures: one printed at the end of a name (专项经费 1) or in a 行次 column is not.
LONG_BARE_FIGURE = re.compile(r"-?\d{3,}|0")
SHORT_BARE_FIGURE = re.compile(r"-?\d{1,2}")
COLUMN_EDGE = 3.0  # pt: right edges of one right-aligned column
PROSE_MARK = re.compile(r"[，。；]")  # a sentence's year (从 2008) is no figure


def _code_like(word: str) -> bool:
    m = _code_word(word)
    return bool(m) and m.end() == len(word)


def _figure_edges(lines: list[TextLine]) -> list[float]:
    return sorted(x1 for ln in lines for _, x1, w in ln.words
                  if _is_figure(w.strip(), False) or LONG_BARE_FIGURE.fullmatch(w.strip()) and not _code_like(w.strip()))


def _bare(edges: list[float]):
    """Whether a bare integer printed after a name, ending at x, is a figure: one of 1-2
    digits must stand right-aligned under figures."""
    def check(word: str, x: float) -> bool:
        if LONG_BARE_FIGURE.fullmatch(word):
            return True
        if not SHORT_BARE_FIGURE.fullmatch(word):
            return False
        i = bisect_left(edges, x - COLUMN_EDGE)
        return i < len(edges) and edges[i] <= x + COLUMN_EDGE
    return check


def printed_records(lines: list[TextLine], page: int, integers: bool,
                    ruled: list[tuple[float, float]] | None = None) -> list[Printed]:
    """The records of each line: a new record starts at every code that follows figures
    (side-by-side blocks print two or three records on one line)."""
    records: list[Printed] = []
    bare = _bare(_figure_edges(lines))
    for y, band in _bands(lines, ruled):
        out: list[Printed] = []
        cur: Printed | None = None
        seen_text = False
        words: list[tuple[float, str, bool]] = []  # (right x, word, a figure glued to the name before it)
        for x0, x1, whole in band:
            glued = GLUED_FIGURE.match(whole)  # '卫生健康支出457042345': a name and the figure after it
            parts = [(glued.group(1), False), (glued.group(2), len(glued.group(2)) >= 3)] if glued \
                else [(whole, False)]  # '表6' keeps its number: a glued figure has 3+ characters
            pieces = [(w, after_name) for part, after_name in parts
                      for w in (split_glued(part) or (part,))]  # '5,156,059.0058,234,500.00': two figures
            end = 0
            for word, after_name in pieces:  # where each piece ends, in proportion to its characters
                end += len(word)
                words.append((x0 + (x1 - x0) * end / len(whole) if len(pieces) > 1 else x1, word, after_name))
        words, plain = _econ_columns(words)
        for i, (right, word, after_name) in enumerate(words):
            nxt = words[i + 1][1] if i + 1 < len(words) else ""
            named = bool(CJK.search(nxt) or CODE_PART.match(nxt))  # '302 01 办公费': the next block's code
            cur, seen_text = _feed(out, cur, seen_text, page, y, right, word, integers or after_name,
                                   bare if not named else None, i in plain)
        records += _pair_classifications(out)
    return [r for r in records if r.figures]


def _code_word(word: str) -> re.Match[str] | None:
    """A code at the word's start, opening with a 类 of its scheme (15000, 245: no code)."""
    m = CODE_WORD.match(word)
    return m if m and is_class(m.group(1)) else None


def _econ_class(word: str, scheme: str) -> bool:
    return len(word) == 3 and scheme_of(word) == scheme and is_class(word)


def _econ_columns(words: list[tuple[float, str, bool]]) -> tuple[list[tuple[float, str, bool]], set[int]]:
    """Leave out the 部门经济 类 款 | 政府经济 类 款 columns printed after a row's name (西安
    采购表: '… 服务 1 302 27 502 05 300,000.00'): they classify the row, they are no record of
    their own. The number just before them is a figure (the 数量 column), even when it looks
    like a code (210). Returns the words left and the indexes of those to read as figures."""
    for i in range(1, len(words) - 3):
        lei, kuan, gov, gov_kuan = (w for _, w, _ in words[i:i + 4])
        if _econ_class(lei, "econ_dept") and CODE_PART.match(kuan) and _econ_class(gov, "econ_gov") \
                and CODE_PART.match(gov_kuan) and any(CJK.search(w) for _, w, _ in words[:i]):
            return words[:i] + words[i + 4:], {i - 1}
    return words, set()


def _pair_classifications(out: list[Printed]) -> list[Printed]:
    """'301 01 基本工资 501 01 工资奖金津补贴 830.34': a 部门经济 code and its 政府经济 code
    (another scheme digit) on one line are one record; same-scheme codes side by side are
    blocks of their own (人员 | 公用); a code, a unit's number and the unit's name are one."""
    merged: list[Printed] = []
    for r in out:
        prev = merged[-1] if merged else None
        if prev is not None and prev.code and r.code and not prev.figures and r.figures \
                and prev.code[0] != r.code[0]:
            prev.figures, prev.alt = r.figures, r.code + "".join(r.parts[:2])
            continue
        if prev is not None and prev.code and not CJK.search(prev.label) and r.code is None \
                and CJK.search(r.label) and prev.figures and all(f.isdigit() for _, _, f in prev.figures):
            # '210 15 05 | 245 | 西安市医疗保障局': a unit's number between code and name, no figure
            prev.label, prev.words, prev.figures = r.label, r.words, r.figures
            continue
        merged.append(r)
    return merged


def _feed(out: list[Printed], cur: Printed | None, seen_text: bool, page: int, y: float, x1: float,
          word: str, integers: bool, bare: Callable[[str, float], bool] | None = None,
          plain: bool = False) -> tuple[Printed | None, bool]:
    """Add one printed word to the line's records; returns the current record and whether
    it has seen its label text. `bare`: the integers that are figures after a name, given
    when the next word has no name in it (a code after figures opens a side-by-side record
    only when a name follows: in a 元 table 30400 after figures is a figure). `plain`: a
    number that is no code wherever it stands."""
    m = None if plain else _code_word(word)
    if m and cur is not None and (cur.figures or CJK.search(cur.label)) and bare is not None \
            and (integers or bare(word, x1)) and m.end() == len(word):
        m = None  # 3600000 after figures, 201 after a name, with no name after it: a figure, not a code
    if m and cur is not None and cur.code and not cur.figures and not cur.parts \
            and not CJK.search(cur.label) and cur.alt is None and m.end() == len(word):
        cur.alt = m.group(1)
        return cur, seen_text
    # a code opens a record at the line's start, after figures, or after a coded
    # record's name (its block printed no figure: side-by-side 人员 | 公用 blocks)
    starts = m and (cur is None or cur.figures or (not seen_text and cur.code is None)
                    or (cur.code is not None and bool(CJK.search(cur.label))))
    if m and starts:
        rest = word[m.end():].strip()
        cur = Printed(page, y, m.group(1), [], rest, words=[rest] if rest else [])
        out.append(cur)
        seen_text = bool(CJK.search(cur.label))
        return cur, seen_text
    if cur is None:
        cur = Printed(page, y, None, [], "")
        out.append(cur)
    if not seen_text and not cur.figures and CODE_PART.match(word) and (cur.code or not cur.label):
        cur.parts.append(word)
        return cur, seen_text
    if not seen_text and not cur.figures and not cur.parts and cur.code and len(cur.code) == 3 \
            and bare is None and LOST_ZERO_PART.match(word):
        cur.parts.append("0" + word)  # '301 2 津贴补贴': 款 02 printed without its zero (上海 万里)
        return cur, seen_text
    bare_figure = bare is not None and seen_text \
        and (cur.code is not None or LONG_BARE_FIGURE.fullmatch(word) is not None) and bare(word, x1)  # '表 6': none
    in_prose = PROSE_MARK.search(cur.label) and not ("." in word or "," in word)
    if not in_prose and (seen_text or cur.code) and (_is_figure(word, integers) or bare_figure) \
            or "." in word and _is_figure(word, False):
        v = parse_amount(word)
        if v is not None:
            cur.figures.append((x1, v, word))
            return cur, seen_text
    if cur.figures and CJK.search(word):  # text after figures: the next uncoded record
        cur = Printed(page, y, None, [], word, words=[word])
        out.append(cur)
        seen_text = True
        return cur, seen_text
    cur.label += word
    cur.words.append(word)
    return cur, seen_text or bool(CJK.search(word))
