"""The budget units a report consolidates (预算单位构成), read from the list the prose prints."""

from __future__ import annotations

import re
from typing import Any

from parsers.text import NarrativeText, rx
from parsers.vocab import load_template

# A 、-separated list with no 。 ends within this many characters of its anchor.
LIST_SENTENCE_CHARS = 300
# ... and is never read further than this: past it the prose has moved on.
LIST_MAX_CHARS = 400
# The next number of a "1 X / 2 Y" list follows within this many characters of the last.
ITEM_MAX_CHARS = 300
# A wrapped unit name continues on lines shorter than this; a longer line is new prose.
WRAP_LINE_MAX_CHARS = 20
# Unit names are short; a longer item is a sentence, not a name.
UNIT_NAME_MAX_CHARS = 40
# A list is one of units when at least this share of its items read as unit names.
ORG_ITEMS_SHARE = 0.5
# Trailing remarks are stripped twice: "X（下属…）预算" carries two of them.
SUFFIX_PASSES = 2


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


def extract_subordinate_units(nt: NarrativeText, unit: str | None = None) -> list[str] | None:
    """Budget units consolidated in the report, without the department's own (本级/本部) entry.

    None when the report does not say; [] when it says there are none (只有本级 / 下属 0 家).
    """
    cfg = _cfg()["subordinate_units"]
    for anchor in cfg["anchors"]:
        for m in rx(anchor).finditer(nt.text):
            items = _list_after(nt, m.end())
            if items is None:
                continue
            names = [n for n in (_clean_unit_item(i, cfg) for i in items) if n]
            valid = [n for n in names if _is_self(n, unit, cfg) or _looks_like_org(n)]
            if not names or len(valid) < ORG_ITEMS_SHARE * len(names):
                continue  # not a list of units ("收入预算包括：一般公共预算 …")
            return [n for n in valid if not _is_self(n, unit, cfg)]
    if any(rx(p).search(nt.text) for p in cfg["none"]):
        return []
    return None


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def _count(token: str) -> int | None:
    """'7', '七', '十二', '二十七' → int (the counts reports print are small)."""
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        t = _DIGITS.get(tens, 0) if tens else 1
        o = _DIGITS.get(ones, 0) if ones else 0
        return t * 10 + o if (not tens or tens in _DIGITS) and (not ones or ones in _DIGITS) else None
    return _DIGITS.get(token) if len(token) == 1 else None


def extract_budget_unit_count(nt: NarrativeText) -> dict[str, Any] | None:
    """The number of budget units the report says it consolidates, the department's own included
    ("编制范围的二级预算单位共有7个", "包括本级及所属27个二级预算单位" → 28), with its words and page."""
    cfg = _cfg()["subordinate_units"]
    for key, extra in (("counts", 0), ("counts_subordinate", 1)):
        for pattern in cfg[key]:
            m = rx(pattern).search(nt.text)
            n = _count(m.group("n")) if m else None
            if n is not None:
                return {"count": n + extra, "page": nt.page_of(m.start()), "text": m.group(0)}
    return None


def _list_after(nt: NarrativeText, pos: int) -> list[str] | None:
    """The items of the list that starts at pos: numbered lines or a 、-separated sentence."""
    text = nt.text
    header = re.compile(r"\s*(?:序号|单位名称|备注|拟变动情况|\s)+")
    h = header.match(text, pos)
    start = h.end() if h and h.end() > pos else pos
    numbered = _numbered_items(nt, start)
    if numbered:
        return numbered
    end = min((i for i in (text.find(c, start) for c in "。") if i >= 0), default=start + LIST_SENTENCE_CHARS)
    end = min(end, start + LIST_MAX_CHARS)
    chunk = re.split(r"[：:]|，其", text[start:end])[0]
    if not chunk.strip():
        return None
    items = [i for i in re.split(r"[、；;]|(?<=预算)和|(?<=决算)和", chunk) if i.strip()]
    if len(items) == 1 and re.search(r"\d+(?:个|家)", items[0]):
        after = header.match(text, end + 1)
        numbered = _numbered_items(nt, after.end() if after else end + 1)
        if numbered:
            return numbered
    return items


def _numbered_items(nt: NarrativeText, pos: int) -> list[str]:
    """Items of a "1 X / 2 Y" or "1. X。2. Y。" list starting at pos."""
    text = nt.text
    first = re.compile(r"\s*1\s*[.、．]?\s*(?=\D)").match(text, pos)
    if not first:
        return []
    starts = [(first.start(), first.end())]
    k = 2
    while True:
        prev_end = starts[-1][1]
        m = None
        for c in re.finditer(rf"(?<!\d){k}\s*[.、．]?\s*(?=[^\d\s.、．])", text[prev_end:prev_end + ITEM_MAX_CHARS]):
            p = prev_end + c.start()
            if nt.at_line_start(p) or text[p - 1] in "。；;：: ":
                m = (p, prev_end + c.end())
                break
        if not m:
            break
        starts.append(m)
        k += 1
    items = [text[body:starts[i + 1][0]] for i, (_, body) in enumerate(starts[:-1])]
    items.append(_last_item(nt, starts[-1][1]))
    return items


def _last_item(nt: NarrativeText, body: int) -> str:
    """The last list item: its line, plus short continuation lines of a wrapped name."""
    heading = rx(_cfg()["heading"])
    end = nt.next_line_start(body)
    while end < len(nt.text) and not nt.text[body:end].rstrip().endswith(("）", ")", "。", "；")):
        nxt = nt.next_line_start(end)
        same_page = nt.page_of(end) == nt.page_of(body)
        if not same_page or nxt - end > WRAP_LINE_MAX_CHARS or heading.match(nt.text, end) or nt.text[end].isdigit():
            break
        end = nxt
    return nt.text[body:end]


def _clean_unit_item(item: str, cfg: dict[str, Any]) -> str:
    s = item.strip(" 。；;，,：:")
    s = re.split(r"[。：:]", s)[0]
    s = re.sub(r"下设.*$", "", s)
    s = re.sub(cfg["strip_prefix"], "", s)
    for _ in range(SUFFIX_PASSES):
        s = re.sub(cfg["strip_suffix"], "", s).strip(" 。；;，,")
    if not re.search(r"[\u4e00-\u9fff]", s) or re.search(cfg["reject"], s) or len(s) > UNIT_NAME_MAX_CHARS:
        return ""
    if re.search(r"\d+(?:个|家)", s) and not re.search(cfg["self_markers"], s):
        return ""
    return s


def _looks_like_org(name: str) -> bool:
    """Ends like a unit name (局/中心/学校…), a trailing parenthetical aside; no figures."""
    core = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    return not re.search(r"\d", core) and bool(re.search(load_template("meta.yaml")["org_suffix"], core))


def _is_self(name: str, unit: str | None, cfg: dict[str, Any]) -> bool:
    if re.search(cfg["self_markers"], name):
        return True
    return bool(unit) and (name == unit or re.sub(r"（[^）]*）$", "", unit) == name)

