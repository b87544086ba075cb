"""Year-over-year statements of the prose: "比上年(预算)增加/减少 X 万元，增长/下降 Y%"."""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from typing import Any

from parsers.text import NarrativeText, amounts_in, balance, rx
from parsers.vocab import load_template

# A heading line this short, with no figure, is a title ("（一）收入预算情况说明"): the
# sentence starts after it, not inside it.
TITLE_LINE_MAX_CHARS = 30
# A sentence is cut this many characters past the comparison: tables read as prose have no 。.
SENTENCE_MAX_CHARS = 300
# The numbered item a sentence belongs to starts within this many characters before it.
ITEM_LOOKBACK_CHARS = 400
# The item's name ends at its first figure, looked for this far after the number ...
ITEM_AMOUNT_LOOKAHEAD = 120
# ... or after this many characters when neither a figure nor a 。 ends it.
ITEM_NAME_MAX_CHARS = 60


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


def extract_yoy(nt: NarrativeText, unit: str | None = None) -> list[dict[str, Any]]:
    """Every "比上年(预算)增加/减少 X 万元，增长/下降 Y%" statement, with its subject and figure."""
    cfg = _cfg()["yoy"]
    text = nt.text
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for m in rx(cfg["compare"]).finditer(text):
        base = m.group("base") or ""
        if m.group("cmp") != "同比" and not rx(cfg["prior_base"]).search(base):
            continue
        if not (m.group("amt") or m.group("pct") or rx(cfg["flat"]).fullmatch(m.group("verb"))):
            continue  # "较上年有所增加": no figure to record
        entry = _yoy_entry(nt, m, unit, cfg)
        key = (entry.get("subject"), entry.get("amount"), entry.get("change"), entry.get("percent"), entry["text"])
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def _yoy_entry(nt: NarrativeText, m: re.Match[str], unit: str | None, cfg: dict[str, Any]) -> dict[str, Any]:
    text = nt.text
    verb = m.group("verb")
    direction = ("flat" if rx(cfg["flat"]).fullmatch(verb)
                 else "decrease" if rx(cfg["decrease"]).fullmatch(verb) else "increase")
    pct_word = rx(cfg["percent_word"]).search(m.group(0)[m.end("verb") - m.start():])
    sign = -1 if direction == "decrease" else 1
    if pct_word and rx(cfg["percent_decrease"]).search(pct_word.group(1)):
        sign = -1
    s_start, s_end = _sentence_bounds(nt, m.start())
    entry: dict[str, Any] = {}
    subject, amount = _subject_and_amount(nt, s_start, m.start(), unit, cfg)
    if subject:
        entry["subject"] = subject
        for key, pattern in cfg["subjects"].items():
            if re.search(pattern, subject):
                entry["subject_key"] = key
                break
    if amount is not None:
        entry["amount"] = amount
    if m.group("amt"):
        a = amounts_in(m.group("amt"))[0]
        entry["change"] = a.value * (-1 if direction == "decrease" else 1) or 0.0
    elif direction == "flat":
        entry["change"] = 0.0
    if m.group("pct"):
        entry["percent"] = float(Decimal(m.group("pct"))) * sign or 0.0
    base = m.group("base") or ""
    prior = amounts_in(base)
    if prior:
        entry["prior_amount"] = prior[0].value
    entry["direction"] = direction
    entry["basis"] = _basis(m.group("cmp"), base, cfg)
    entry["page"] = nt.page_of(m.start())
    entry["text"] = text[s_start:s_end]
    return entry


def _basis(cmp: str, base: str, cfg: dict[str, Any]) -> str:
    if cmp == "同比":
        return "同比"
    for pattern, name in cfg["basis"]:
        if re.search(pattern, base):
            return name
    return "比上年"


def _sentence_bounds(nt: NarrativeText, pos: int) -> tuple[int, int]:
    """The sentence around pos: between 。；！？ or after a heading line."""
    text = nt.text
    start = max(text.rfind(c, 0, pos) for c in "。；;！？") + 1
    heading = rx(_cfg()["heading"])
    i = bisect_right(nt.line_starts, pos) - 1
    while i >= 0 and nt.line_starts[i] >= start:
        ls = nt.line_starts[i]
        h = heading.match(text, ls)
        if h:
            line_end = nt.line_starts[i + 1] if i + 1 < len(nt.line_starts) else len(text)
            line = text[h.end():line_end]
            title_only = (line_end <= pos and len(line) <= TITLE_LINE_MAX_CHARS and not amounts_in(line)
                          and rx(_cfg()["yoy"]["title_suffix"]).search(line))
            start = line_end if title_only else h.end()
            break
        i -= 1
    ends = [e for e in (text.find(c, pos) for c in "。；;！？") if e >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start, min(end, pos + SENTENCE_MAX_CHARS)


def _subject_and_amount(nt: NarrativeText, s_start: int, cmp_pos: int, unit: str | None,
                        cfg: dict[str, Any]) -> tuple[str, float | None]:
    """The current figure the comparison is about, and the phrase that names it.

    "X 9628.22万元，比上年增加…" -> the figure right before; "2.其他收入 878.44 万元，为…，比上年增加…"
    -> the figure of the sentence's first clause; "“三公”经费预算较上年减少…" -> no figure.
    """
    text = nt.text
    delims = "，,：:；"
    before = amounts_in(text, s_start, cmp_pos)
    amount_at = None
    phrase = None
    gap = text[before[-1].end:cmp_pos] if before else ""
    if before and not gap.strip("，, "):
        amount_at = before[-1]  # "X 9628.22万元，比上年…"
    elif before and not any(c in gap for c in delims):
        phrase = gap  # "… 812.48 万元，收入比上年增加": the subject has no figure of its own
    else:
        first_end = min([i for i in (text.find(c, s_start, cmp_pos) for c in delims) if i >= 0], default=cmp_pos)
        lead = [a for a in before if a.end <= first_end]
        if lead and first_end < cmp_pos and not rx(cfg["compare"]).search(text, s_start, first_end):
            amount_at = lead[0]  # "2.其他收入 878.44 万元，为…，比上年增加…"
    if amount_at is not None:
        c0 = max(max(text.rfind(c, s_start, amount_at.start) for c in delims) + 1, s_start)
        phrase = text[c0:amount_at.start]
    elif phrase is None:
        c0 = max(max(text.rfind(c, s_start, cmp_pos) for c in delims) + 1, s_start)
        if not text[c0:cmp_pos].strip() and c0 - 1 > s_start:
            c0 = max(max(text.rfind(c, s_start, c0 - 1) for c in delims) + 1, s_start)
        phrase = text[c0:cmp_pos]
    subject = _clean_subject(phrase, unit)
    if re.fullmatch(cfg["generic_subject"], subject):
        subject = _item_name(nt, s_start) or subject
    return subject, (amount_at.value if amount_at is not None else None)


def _clean_subject(phrase: str, unit: str | None) -> str:
    s = re.sub(_cfg()["heading"], "", phrase, count=1) if re.match(_cfg()["heading"], phrase) else phrase
    if unit:
        s = s.replace(unit, "").replace(re.sub(r"（[^）]*）$", "", unit), "")
    s = re.sub(r"^(?:[（(]?\d{1,2}[）)]|\d{1,2}[、.．])", "", s)
    cfg = _cfg()["yoy"]
    s = rx(cfg["subject_lead"]).sub("", s)
    s = rx(cfg["subject_years"]).sub("", s)
    s = rx(cfg["subject_tail"]).sub("", s)
    return balance(s)


def _item_name(nt: NarrativeText, s_start: int) -> str:
    """The name of the numbered item ("1、公共安全支出（204类）…") that a sentence belongs to."""
    text = nt.text
    lo = max(0, s_start - ITEM_LOOKBACK_CHARS)
    marker = None
    for m in rx(r"(?:\d{1,2}[、.．]|（\d{1,2}）|（[一二三四五六七八九十]+）)(?!\d)").finditer(text, lo, s_start + 1):
        if nt.at_line_start(m.start()) or text[m.start() - 1] in "。；;":
            marker = m.end()
    if marker is None:
        return ""
    a = amounts_in(text, marker, marker + ITEM_AMOUNT_LOOKAHEAD)
    end = min([x for x in (text.find("。", marker), a[0].start if a else -1) if x >= 0], default=marker + ITEM_NAME_MAX_CHARS)
    return _clean_subject(text[marker:end], None)

