"""Which narrative sections a report has, and the narrative figures the disclosure checks need.

Fiscal-transparency grading asks two things of the prose: is each standard section there
(主要职能 … 名词解释), and do the figures it states (收支总预算, 三公 …) agree with the tables.
parsers/narrative/ already reads facts, but keeps no pages and lets the 三公 table overwrite the
prose figures, so this module reads them again with their page and sentence. It reuses
the text model of parsers/text.py (one normalised string with page offsets) and its money scaling;
the vocabulary is data in templates/sections.yaml.

Output (added to document.facts): ``sections`` [{name, label, page, heading}],
``narrative_totals`` [{key, amount_yuan, step_yuan, page, sentence}] (step_yuan: one unit of
the last printed digit, e.g. 100.0 for "12.34万元") and ``empty_notes`` [{scope, page,
sentence}] (the report's own explanation of an empty table).
"""

from __future__ import annotations

import re
from typing import Any

from parsers.narrative.labels import roles_after
from parsers.normalise.money import step_yuan
from parsers.text import NarrativeText, amounts_in, build_text, rx, topic_windows
from parsers.vocab import load_template

# A table of contents says 目录 in the top of its page: this many characters ...
TOC_HEAD_CHARS = 200
# ... or right at the top when the marker pattern misses it (目录 glued to a running header).
TOC_MARK_CHARS = 60
# A page of which this share of lines are headings, with no figure, continues the contents.
TOC_HEADINGS_SHARE = 0.7
# The first characters of a heading that are checked for a table title (…情况表).
HEADING_TITLE_CHARS = 60
# An unnumbered heading is one short line; a longer one is prose.
PLAIN_HEADING_MAX_CHARS = 40
# Characters of a statement or sentence quoted as a section's heading.
QUOTE_CHARS = 40
# The figure of a narrative label is printed within this many characters after it.
FIGURE_CHARS = 40
# Characters of context kept around a figure, and around an empty-table note.
SENTENCE_CHARS = 160
NOTE_CHARS = 120
# Characters before a label read for not_after words (增加, 费 …).
NOT_AFTER_CHARS = 6
# "2 6 6 , 7 0 5万元": a digit and a space (or separator) right before a figure's start.
SPACED_LOOKBACK = 2

_SPACED = re.compile(r"\d[ ,.]$")  # "2 6 6 , 7 0 5 . 5 5万元": the figure is not just its last digit


def _cfg() -> dict[str, Any]:
    return load_template("sections.yaml")


def toc_pages(nt: NarrativeText) -> set[int]:
    """Pages that are a table of contents (目录, dot leaders): their titles are not sections."""
    cfg = _cfg()["toc"]
    out: set[int] = set()
    bounds = nt.page_starts + [len(nt.text)]
    for i in range(len(nt.page_starts)):
        page = nt.text[bounds[i]:bounds[i + 1]]
        head = page[:TOC_HEAD_CHARS]
        if re.search(cfg["marker"], head, re.M) or "目录" in head[:TOC_MARK_CHARS] or \
                len(re.findall(cfg["leaders"], page)) >= cfg["min_leaders"]:
            out.add(i + 1)
        elif i in out and _only_headings(nt, bounds[i], bounds[i + 1]):
            out.add(i + 1)  # the contents continue: headings only, no figures
    return out


def _only_headings(nt: NarrativeText, start: int, end: int) -> bool:
    lines = [(s, t) for s, t in _lines(nt) if start <= s < end]
    heads = sum(1 for _, t in lines if _heading_text(t) is not None)
    return bool(lines) and heads >= TOC_HEADINGS_SHARE * len(lines) and not amounts_in(nt.text, start, end)


def _lines(nt: NarrativeText) -> list[tuple[int, str]]:
    """(offset, text) of every line."""
    starts = nt.line_starts
    return [(s, nt.text[s:starts[i + 1] if i + 1 < len(starts) else len(nt.text)]) for i, s in enumerate(starts)]


def _heading_text(line: str) -> str | None:
    """The text after a heading marker (一、 / （一） / 1. / 第一部分), or None if not a heading."""
    m = rx(load_template("narrative.yaml")["heading"]).match(line)
    return line[m.end():] if m else None


def find_sections(nt: NarrativeText, figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """First place each section of sections.yaml appears: a heading, a statement or a figure."""
    cfg = _cfg()
    toc = toc_pages(nt)
    headings = []
    for pos, line in _lines(nt):
        body = _heading_text(line)
        if body is not None and nt.page_of(pos) not in toc and not re.search(cfg["table_title"], body[:HEADING_TITLE_CHARS]):
            headings.append((pos, body))
    found_keys = {f["key"]: f for f in figures}
    out = []
    for name, sec in cfg["sections"].items():
        hit = (_section_heading(nt, sec, headings, cfg) or _plain_heading(nt, sec, toc, cfg)
               or _section_statement(nt, sec, toc))
        if hit is None:
            fig = next((found_keys[k] for k in sec.get("figures", []) if k in found_keys), None)
            hit = (fig["page"], fig["sentence"][:QUOTE_CHARS]) if fig else None
        if hit is not None:
            out.append({"name": name, "label": sec["label"], "page": hit[0], "heading": hit[1]})
    return out


def _section_heading(nt: NarrativeText, sec: dict[str, Any], headings: list[tuple[int, str]],
                     cfg: dict[str, Any]) -> tuple[int, str] | None:
    span = cfg["heading_span"]
    for pos, body in headings:
        for pattern in sec.get("headings", []):
            m = rx(pattern).search(body[:span])
            if not m:
                continue
            if not sec.get("glossary") and re.search(cfg["definition_after"], body[m.end():]):
                continue  # "1．机关运行经费：是指…" is a 名词解释 entry
            return nt.page_of(pos), body[:span]
    return None


def _plain_heading(nt: NarrativeText, sec: dict[str, Any], toc: set[int], cfg: dict[str, Any]) -> tuple[int, str] | None:
    """An unnumbered title line: "名词解释", "上海市…办事处（部门）主要职能" (the whole line)."""
    for pos, line in _lines(nt):
        if len(line) > PLAIN_HEADING_MAX_CHARS or nt.page_of(pos) in toc:
            continue
        for pattern in sec.get("headings", []):
            if rx(cfg["plain_heading"].replace("KEY", pattern)).match(line):
                return nt.page_of(pos), line
    return None


def _section_statement(nt: NarrativeText, sec: dict[str, Any], toc: set[int]) -> tuple[int, str] | None:
    for pattern in sec.get("statements", []):
        for m in rx(pattern).finditer(nt.text):
            page = nt.page_of(m.start())
            if page not in toc:
                return page, m.group(0)[:QUOTE_CHARS]
    return None


# --------------------------------------------------------------------------- figures


def _step(raw: str) -> float:
    """One unit of the last printed digit of an amount, in 元 ("12.34万元" -> 100.0)."""
    m = re.match(r"([\d,]+(?:\.(\d+))?)(.*)$", raw)
    if not m:
        return 0.0
    return float(step_yuan(m.group(3), len(m.group(2) or "")))


def sentence_at(nt: NarrativeText, pos: int, limit: int = SENTENCE_CHARS) -> str:
    """The sentence around pos (between 。；), at most `limit` characters."""
    text = nt.text
    start = max(text.rfind(c, max(0, pos - limit), pos) for c in "。；;") + 1
    start = max(start, pos - limit // 2)
    ends = [e for e in (text.find(c, pos) for c in "。；;") if e >= 0]
    end = min(min(ends) + 1 if ends else len(text), start + limit)
    return text[start:end]


def narrative_figures(nt: NarrativeText, final: bool, year: int | None) -> list[dict[str, Any]]:
    """The first stated figure of each key of sections.yaml `figures`, with page and sentence."""
    cfg = _cfg()
    definition = rx(load_template("narrative.yaml")["definition"])
    toc = toc_pages(nt)
    out = []
    for key, spec in cfg["figures"].items():
        stop = cfg["stop"] + ("|" + cfg["extra_stop"][key] if key in cfg.get("extra_stop", {}) else "")
        windows = topic_windows(nt, spec["window"]) if spec.get("window") else [(0, len(nt.text))]
        hit = _first_hit(nt, spec["labels"], windows, rx(stop), cfg["max_gap"], final, year, definition, toc)
        if hit is None:
            continue
        amount = amounts_in(nt.text, hit, hit + FIGURE_CHARS)[0]
        out.append({"key": key, "amount_yuan": amount.value, "step_yuan": _step(amount.raw),
                    "page": nt.page_of(hit), "sentence": sentence_at(nt, hit)})
    return out


def _first_hit(nt: NarrativeText, labels: list[str], windows: list[tuple[int, int]], stop: re.Pattern[str],
               max_gap: int, final: bool, year: int | None, definition: re.Pattern[str], toc: set[int]) -> int | None:
    best: int | None = None
    for start, end in windows:
        for label in labels:
            for m in rx(label).finditer(nt.text, start, end):
                if nt.page_of(m.start()) in toc or definition.match(nt.text, m.end()) or \
                        rx(_cfg()["not_after"]).search(nt.text, max(0, m.start() - NOT_AFTER_CHARS), m.start()):
                    continue
                hits = [h for h in roles_after(nt, m.span(), end, stop, max_gap, final, year)
                        if h.role == "current" and not _SPACED.search(nt.text, max(0, h.pos - SPACED_LOOKBACK), h.pos)]
                if hits and (best is None or hits[0].pos < best):
                    best = hits[0].pos
                    break
    return best


# --------------------------------------------------------------------------- empty tables


def empty_notes(nt: NarrativeText) -> list[dict[str, Any]]:
    """The report's own explanations of empty tables ("…故本表为空表"), table-level or general."""
    cfg = _cfg()["empty_notes"]
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    toc = toc_pages(nt)
    groups = [("table", None, cfg["table"]), ("document", None, cfg["document"])]
    groups += [("topic", topic, patterns) for topic, patterns in cfg.get("topics", {}).items()]
    for scope, topic, patterns in groups:
        for pattern in patterns:
            for m in rx(pattern).finditer(nt.text):
                page = nt.page_of(m.start())
                if (scope, topic, m.start()) in seen or page in toc and scope != "document":
                    continue
                seen.add((scope, topic, m.start()))
                note = {"scope": scope, "page": page, "sentence": _note_sentence(nt, m.start())}
                out.append(note | ({"topic": topic} if topic else {}))
    return out


def _note_sentence(nt: NarrativeText, pos: int) -> str:
    """The note from its 注/说明 marker (table text runs into it), else the sentence."""
    s = sentence_at(nt, pos, NOTE_CHARS)
    cut = max(s.rfind("注：", 0, pos), s.rfind("注:", 0, pos), s.rfind("说明：", 0, pos), s.rfind("（注"))
    return s[cut:] if cut > 0 else s


# --------------------------------------------------------------------------- entry point


def extract_sections(pages: list[str], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """facts.sections, facts.narrative_totals and facts.empty_notes of one report."""
    meta = meta or {}
    nt = build_text(pages)
    figures = narrative_figures(nt, meta.get("kind") == "final_accounts", meta.get("year"))
    return {"sections": find_sections(nt, figures), "narrative_totals": figures, "empty_notes": empty_notes(nt)}
