"""A label in the prose and the figure printed right after it ("公务接待费 2.00 万元").

Shared by every family of money facts (三公, 政府采购, 机关运行经费) and by parsers.sections:
which figure belongs to a label, and whether it is this year's, last year's or (in a 决算)
the budgeted one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from parsers.text import NarrativeText, amounts_in, rx, topic_windows
from parsers.vocab import load_template

# Figures are looked for this many gaps past a label: the gap check then decides, so a
# figure further away is never taken even when the lookahead reaches it.
LOOKAHEAD_GAPS = 3
# Characters before a label read for a year or 上年 ("2024年‘三公’经费预算为…").
LEAD_CHARS = 12
# In a 决算 the actual follows the budget within this many figures ("预算 X 万元，决算 Y 万元").
ACTUAL_LOOKAHEAD = 2
# ... and within this many characters of text between the two figures.
ACTUAL_GAP_CHARS = 14


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


@dataclass
class Hit:
    value: float
    pos: int
    role: str  # current | prior | budget


def roles_after(nt: NarrativeText, label: tuple[int, int], limit: int, stop: re.Pattern[str], max_gap: int,
                 final: bool, year: int | None) -> list[Hit]:
    """The amounts that belong to a label (first one, plus a 决算 one in a final account)."""
    label_start, label_end = label
    found = amounts_in(nt.text, label_end, min(limit, label_end + max_gap * LOOKAHEAD_GAPS))
    if not found:
        return []
    gap = nt.text[label_end:found[0].start]
    if len(gap) > max_gap or stop.search(gap) or _crosses_heading(nt, label_end, found[0].start):
        return []
    lead = re.split(r"[。；;，,：:]", nt.text[max(0, label_start - LEAD_CHARS):label_start])[-1]
    role = _role(gap, final, year)
    if role == "current" and _role(lead, False, year) == "prior":
        role = "prior"  # "2024年‘三公’经费预算为…" in a 2025 report
    hits = [Hit(found[0].value, found[0].start, role)]
    if final and hits[0].role != "current":
        prev_end = found[0].end
        for a in found[1:1 + ACTUAL_LOOKAHEAD]:
            local = nt.text[prev_end:a.start]
            if len(local) <= ACTUAL_GAP_CHARS and "决算" in local and not stop.search(local.replace("决算", "")):
                hits.append(Hit(a.value, a.start, "current"))
                break
            prev_end = a.end
    return hits


def _role(prefix: str, final: bool, year: int | None) -> str:
    """Is the figure after this prefix this year's, last year's, or (in a 决算) the budget?"""
    if re.search(r"上年|去年|上一年", prefix):
        return "prior"
    for y in re.findall(r"((?:19|20)\d{2})年", prefix):
        if year and int(y) < year:
            return "prior"
    if final and "预算" in prefix and "决算" not in prefix:
        return "budget"
    return "current"


def _crosses_heading(nt: NarrativeText, start: int, end: int) -> bool:
    heading = rx(_cfg()["heading"])
    i = bisect_right(nt.line_starts, start)
    while i < len(nt.line_starts) and nt.line_starts[i] < end:
        if heading.match(nt.text, nt.line_starts[i]):
            return True
        i += 1
    return False


def labelled_amounts(nt: NarrativeText, window: tuple[int, int], labels: dict[str, str], stop: str,
                     max_gap: int, final: bool, year: int | None) -> dict[str, float]:
    """For each label key, the first figure printed right after the label inside the window.

    Keys get a prefix when the figure is last year's ("prior_") or, in a final-account
    report, the budgeted one ("budget_"); the plain key is this year's / the 决算 figure.
    """
    stop_re = rx(stop)
    out: dict[str, float] = {}
    start, end = window
    for key, pattern in labels.items():
        for m in rx(pattern).finditer(nt.text, start, end):
            for hit in roles_after(nt, m.span(), end, stop_re, max_gap, final, year):
                name = key if hit.role == "current" else f"{hit.role}_{key}"
                out.setdefault(name, hit.value)
    return out


def best_window(nt: NarrativeText, topic: dict[str, Any], final: bool, year: int | None,
                 labels: dict[str, str] | None = None) -> dict[str, float]:
    """Run the topic's labels over every section that mentions it; keep the richest result."""
    labels = labels or topic["labels"]
    best: dict[str, float] = {}
    for window in topic_windows(nt, topic["anchor"]):
        found = labelled_amounts(nt, window, labels, topic["stop"], topic["max_gap"], final, year)
        current = sum(1 for k in found if not k.startswith(("prior_", "budget_")))
        if current > sum(1 for k in best if not k.startswith(("prior_", "budget_"))):
            best = found
    return best

