"""Tesseract's words of one page, regrouped and repaired, for the OCR text layer (parsers/ocr.py).

Why not Tesseract's own words: it cuts Chinese text into one- and two-character words and
amounts at their separators ("1, 394. 97"), so titles no longer match (一 般 公 共 预 算) and
a table reader puts the pieces of one amount into different columns; and it reads a table's
vertical rules as '|' and runs the words of two cells together across them. So the words
of one visual line that touch (gap under JOIN_GAP of the line height) are joined, never
across a rule; words a rule crosses are cut there, bars on rules dropped; amount tokens are
repaired where the repair is unambiguous; known misreadings fixed (templates/ocr_fixes.tsv).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

JOIN_GAP = 0.6  # words closer than this × their height are one word (column gaps are wider)
SEP_GAP = 1.5  # "225." and "08": the gap after a separator, × the height

# amount tokens: digits with the separators and the letters Tesseract mistakes for digits
LOOKALIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1",
                           "!": "1", "S": "5", "s": "5", "б": "6", "B": "8", "Z": "2", "z": "2",
                           "g": "9", "，": ",", "。": ".", "．": ".", "、": ",", "_": ""})
AMOUNT_SHAPE = re.compile(r"^-?[\dOoDQlI|!SsбBZzg]{1,3}([,，、]?[\dOoDQlI|!SsбBZzg]{3})*([.。．][\dOoDQlI|!SsбBZzg]{1,6})?$")
CJK = re.compile(r"[\u3400-\u9fff]")
# "737,29": a decimal point read as a comma (a thousands group has three digits, never two)
DECIMAL_COMMA = re.compile(r"(?<=\d)[,，、](\d{1,2})$")
BAR = re.compile(r"[|｜丨¦]")  # what Tesseract reads a vertical rule as
RULE_NOISE = re.compile(r"[|｜丨¦\[\]“”\"'‘’。.,:;、_—\-]*")  # a word that is only these, on a rule, is the rule
# "、科学技术支出" or "、" alone: an item's enumeration comma whose numeral (十六) was not read;
# no word starts with one, and with it the name matched no function class (a zero line lost
# silently)
LOST_NUMERAL = re.compile(r"^、+(?=[\u4e00-\u9fff])")
NUMERAL_END = re.compile(r"[一二三四五六七八九十\d]$")
RULE_MARGIN = 0.3  # × the word's height: a rule this far inside a word's box crosses it


def repair_amount(token: str) -> str:
    """'1, 394. 97' → '1,394.97'; 'l,2O4.5б' → '1,204.56' — only when the whole token has an
    amount's shape and at least two real digits, so words (and codes) are left alone."""
    t = re.sub(r"\s+", "", token)
    if re.fullmatch(r"-?[\d,.]+", t):
        return DECIMAL_COMMA.sub(r".\1", t)
    if AMOUNT_SHAPE.match(t) and sum(c.isdigit() for c in t) >= 2 and re.search(r"[,.，。．、]", t):
        return DECIMAL_COMMA.sub(r".\1", t.translate(LOOKALIKE))
    return token


FIXES_FILE = Path(__file__).with_name("templates") / "ocr_fixes.tsv"


def _fixes() -> list[tuple[str, str]]:
    if not FIXES_FILE.exists():
        return []
    rows = [ln.split("\t") for ln in FIXES_FILE.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    return sorted(((r[0], r[1]) for r in rows if len(r) == 2), key=lambda r: -len(r[0]))


FIXES = _fixes()


def fix_words(text: str) -> str:
    """Known misreadings of report vocabulary (templates/ocr_fixes.tsv), longest first."""
    for wrong, right in FIXES:
        text = text.replace(wrong, right)
    return text


def read_tsv(tsv: Path) -> list[list[dict]]:
    """Tesseract's words grouped by visual line, left to right.

    Tesseract's own lines stop at its block boundaries, and it may make a block of one
    column of figures (even of the digits after a spaced-out decimal point: "47," | "179." |
    "30"); so its lines of one page are merged where their middles lie level (within half
    the lower line's height). Where one cell ends is the rules' business (cut_at_rules)."""
    lines: dict[tuple, list[dict]] = {}
    with open(tsv, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["level"] != "5" or not (row.get("text") or "").strip():
                continue
            key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
            x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
            lines.setdefault(key, []).append({"text": row["text"].strip(), "conf": float(row["conf"]),
                                              "x0": x, "y0": y, "x1": x + w, "y1": y + h})
    merged: list[list[dict]] = []
    for ws in sorted(lines.values(), key=_middle):
        prev = merged[-1] if merged else None
        if prev and abs(_middle(ws) - _middle(prev)) < 0.5 * min(_height(ws), _height(prev)):
            prev.extend(ws)
        else:
            merged.append(list(ws))
    return [sorted(ws, key=lambda w: w["x0"]) for ws in merged]


def _middle(ws: list[dict]) -> float:
    return sorted((w["y0"] + w["y1"]) / 2 for w in ws)[len(ws) // 2]


def _height(ws: list[dict]) -> float:
    return max(1.0, sorted(w["y1"] - w["y0"] for w in ws)[len(ws) // 2])


def vertical_rules(rules: list[list[float]], size_px: tuple[int, int]) -> list[tuple[float, float, float]]:
    """The vertical ruling lines as (x, y0, y1) in image pixels (rules are page fractions)."""
    w, h = size_px
    return [(x0 * w, min(y0, y1) * h, max(y0, y1) * h) for x0, y0, x1, y1, _t in rules if abs(x1 - x0) < 1e-6]


def _rules_inside(w: dict, vrules: list[tuple[float, float, float]], margin: float) -> list[float]:
    """x of the vertical rules that cross the word's box (inside it by more than margin)."""
    mid = (w["y0"] + w["y1"]) / 2
    return sorted(x for x, y0, y1 in vrules if y0 <= mid <= y1 and w["x0"] + margin < x < w["x1"] - margin)


def cut_at_rules(line: list[dict], vrules: list[tuple[float, float, float]]) -> list[dict]:
    """Tesseract reads a table's vertical rules as '|' (or '“|', '[') and runs the words of two
    cells together across them ("201| 05", "07|专项普查活动", "基本支出“| 。项目支出|上缴…"):
    a bar is no text, and a word a rule crosses is two words, cut where the rule is (at its
    bars when it has as many as rules cross it, else by character count)."""
    out: list[dict] = []
    for w in line:
        h = max(w["y1"] - w["y0"], 1)
        crossing = _rules_inside(w, vrules, RULE_MARGIN * h)
        pieces = [p for p in BAR.split(w["text"]) if p.strip()]
        on_rule = bool(_rules_inside(w, vrules, -RULE_MARGIN * h))
        if not pieces or (on_rule and all(RULE_NOISE.fullmatch(p.strip()) for p in pieces)):
            continue  # the rule itself
        if len(pieces) == 1 and not crossing:
            out.append(_clear_of_rules({**w, "text": pieces[0].strip()}, vrules))
            continue
        if len(pieces) == 1:  # no bar, yet a rule runs through it: cut by character count
            pieces = _cut_text(pieces[0], w, crossing)
        out.extend(_place(pieces, w, crossing))
    return out


def _clear_of_rules(w: dict, vrules: list[tuple[float, float, float]]) -> dict:
    """A word whose box took in the rule its last (or first) character touches ('上缴上级支'
    over the rule to 对附属单位) ends (or starts) before it: drawn across the rule, the lattice
    reader ran the two header cells together."""
    mid = (w["y0"] + w["y1"]) / 2
    for x, y0, y1 in vrules:
        if y0 <= mid <= y1 and w["x0"] < x < w["x1"]:
            if x > (w["x0"] + w["x1"]) / 2:
                w["x1"] = x - 2
            else:
                w["x0"] = x + 2
    return w


def _cut_text(text: str, w: dict, xs: list[float]) -> list[str]:
    """Cut text at the rules' x, characters weighted by width (a CJK character is two digits wide)."""
    weights = [2 if CJK.match(c) else 1 for c in text]
    total, span = sum(weights), w["x1"] - w["x0"]
    out, start, acc, k = [], 0, 0.0, 0
    for i, wt in enumerate(weights):
        if k < len(xs) and acc + wt / 2 > (xs[k] - w["x0"]) / span * total:
            out.append(text[start:i])
            start, k = i, k + 1
        acc += wt
    out.append(text[start:])
    return [p for p in out if p.strip()]


def _place(pieces: list[str], w: dict, xs: list[float]) -> list[dict]:
    """Boxes for the pieces of a cut word: between the rules when there is one rule per cut,
    else proportional to their characters."""
    pieces = [p.strip() for p in pieces]
    if len(xs) == len(pieces) - 1:
        edges = [w["x0"], *xs, w["x1"]]
    else:
        lengths = [sum(2 if CJK.match(c) else 1 for c in p) for p in pieces]
        span, total, acc, edges = w["x1"] - w["x0"], sum(lengths), 0, [w["x0"]]
        for n in lengths:
            acc += n
            edges.append(w["x0"] + span * acc / total)
    out = []
    for p, x0, x1 in zip(pieces, edges, edges[1:], strict=False):
        if RULE_NOISE.fullmatch(p):
            continue
        gap = 0.15 * (x1 - x0)  # the piece sits inside its cell, clear of the rule
        out.append({**w, "text": p, "x0": x0 + (gap if x0 != w["x0"] else 0), "x1": x1 - (gap if x1 != w["x1"] else 0)})
    return out


def _ruled_between(a: dict, b: dict, vrules: list[tuple[float, float, float]]) -> bool:
    """A rule between the two words: between their middles, not only their boxes (a character
    whose box took in the rule it touches, '经' of 事业单位经营 over a rule, still ends at it)."""
    mid = (max(a["y0"], b["y0"]) + min(a["y1"], b["y1"])) / 2
    lo, hi = min(a["x1"] - 1, (a["x0"] + a["x1"]) / 2), max(b["x0"] + 1, (b["x0"] + b["x1"]) / 2)
    return any(y0 <= mid <= y1 and lo <= x <= hi for x, y0, y1 in vrules)


def _lost_comma(a: dict, b: dict) -> bool:
    """'1' | '284.071415' for '1,284.071415': a thousands comma that Tesseract swallowed into
    the word before it (its box reaches below the next one's: the comma's tail), leaving a
    gap a little over JOIN_GAP."""
    h = max(b["y1"] - b["y0"], 1)
    return bool(re.fullmatch(r"\d{1,3}", a["text"]) and re.match(r"\d{3}(?:[.,]|$)", b["text"])
                and a["y1"] - b["y1"] >= 0.1 * h)


def join_words(line: list[dict], vrules: list[tuple[float, float, float]] = ()) -> list[dict]:
    """Merge touching words of a line; a merged word keeps its lowest confidence.

    Two words touch when the gap is under JOIN_GAP of the taller one's height; a fragment
    ending in a separator ("1," "225.") joins a following digit across SEP_GAP, as wide
    as the gap a proportional font leaves after a point (never as wide as a column gap);
    so do a colon and what it separates ("单位" ";万元") and two Chinese words ("基本" "支出":
    Tesseract splits a title at gaps narrower than one character); never across a vertical rule.
    """
    out: list[dict] = []
    for w in line:
        prev = out[-1] if out else None
        gap = w["x0"] - prev["x1"] if prev else 0.0
        h = max(w["y1"] - w["y0"], prev["y1"] - prev["y0"], 1) if prev else 1
        split_amount = bool(prev and ((re.search(r"\d[,.，。．]$", prev["text"]) and w["text"][0].isdigit())
                                      or re.match(r"[:;：；]", w["text"]) or re.search(r"[:;：；]$", prev["text"])))
        lost_comma = bool(prev and _lost_comma(prev, w))
        split_amount = split_amount or lost_comma
        both_cjk = bool(prev and CJK.search(prev["text"][-1]) and CJK.search(w["text"][0]))
        if prev and (gap < JOIN_GAP * h or ((split_amount or both_cjk) and gap < SEP_GAP * h)) \
                and not _ruled_between(prev, w, vrules):
            sep = "," if lost_comma else "" if (CJK.search(prev["text"][-1]) or CJK.search(w["text"][0])
                         or re.search(r"[\d,.，。．]$", prev["text"])) else " "
            prev.update(text=prev["text"] + sep + w["text"], conf=min(prev["conf"], w["conf"]),
                        x1=max(prev["x1"], w["x1"]), y0=min(prev["y0"], w["y0"]), y1=max(prev["y1"], w["y1"]))
        else:
            out.append(dict(w))
    kept: list[dict] = []
    for w in out:
        w["text"] = fix_words(repair_amount(w["text"]))
        if not (kept and NUMERAL_END.search(kept[-1]["text"])):  # "一" | "、一般…": the numeral was read
            w["text"] = LOST_NUMERAL.sub("", w["text"])
            if not w["text"].strip("、"):
                continue
        kept.append(w)
    return kept
