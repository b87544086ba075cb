"""Facts stated in the prose of a budget / final-account report (部门预算 / 单位预算 / 部门决算).

The tables are parsed elsewhere; this module reads the sentences: staffing (人员构成), the
budget units the report consolidates (预算单位构成), the "三公" figures, government procurement,
state-owned assets, 机关运行经费 and the year-over-year comparisons ("比上年预算增加 X 万元").

Input is the page texts of parsers.pdf.read_pdf_text (one string per page).  pypdfium2 breaks
lines mid-sentence and mid-figure ("114.46\\n万元", "增加 2\\n人") and puts spaces between
figures and units, so everything is matched on a normalised text (``NarrativeText``): page
numbers and running headers dropped, lines and pages joined, spaces next to CJK removed.
Phrase patterns live in templates/narrative.yaml.

Amounts are converted to 元 from the unit printed next to the figure (万元 x 10000), with
Decimal arithmetic, rounded to 2 decimals and returned as float.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATES = Path(__file__).with_name("templates")

# CJK ideographs, CJK punctuation, full-width forms and curly quotes: spaces next to these are noise.
CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026"
_SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{CJK}])|(?<=[{CJK}])\s+")
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d)\s+(?=%)")
_FULLWIDTH = str.maketrans("０１２３４５６７８９％", "0123456789%")
_DASH_PAGE_NO = re.compile(r"^[-－—─–]+\s*\d{0,4}\s*[-－—─–]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
_BARE_PAGE_NO = re.compile(r"^\d{1,3}$")


@cache
def load_template(name: str) -> dict[str, Any]:
    """A YAML file of templates/, parsed once."""
    with open(TEMPLATES / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def normalise_line(line: str) -> str:
    """One line as the patterns expect it: ASCII digits, no spaces next to CJK, single spaces."""
    s = line.translate(_FULLWIDTH).replace("\u00a0", " ")
    s = _SPACE_NEAR_CJK.sub("", s.strip())
    s = _SPACE_BEFORE_PERCENT.sub("", s)
    return re.sub(r"\s+", " ", s)


# --------------------------------------------------------------------------- text model


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
        counts.update(set(lines[:2] + lines[-2:]))
    threshold = max(3, int(0.3 * len(pages)))
    return {ln for ln, n in counts.items() if n >= threshold and len(ln) >= 4}


def _page_lines(page: str) -> list[str]:
    lines = [normalise_line(ln) for ln in page.split("\n")]
    return [ln for ln in lines if ln]


def build_text(pages: list[str], drop_running_lines: bool = True) -> NarrativeText:
    """Join the pages into one searchable string; drop page numbers and running headers."""
    per_page = [_page_lines(p) for p in pages]
    drop = _edge_lines(per_page) if drop_running_lines and len(per_page) >= 3 else set()
    nt = NarrativeText(text="")
    parts: list[str] = []
    pos, prev = 0, ""
    for lines in per_page:
        nt.page_starts.append(pos)
        n = len(lines)
        for i, ln in enumerate(lines):
            edge = i < 2 or i >= n - 2
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


# --------------------------------------------------------------------------- amounts


@dataclass
class Amount:
    value: float  # 元
    start: int
    end: int
    raw: str


def _amount_re() -> re.Pattern[str]:
    units = "|".join(sorted(_cfg()["amount_units"], key=len, reverse=True))
    return _rx(rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)({units})(?!以上|以下|（含）|\(含\))")


def to_yuan(number: str, unit: str) -> float:
    """A printed figure and its unit as 元, via Decimal (no float arithmetic), 2 decimals."""
    factor = Decimal(str(_cfg()["amount_units"][unit]))
    value = Decimal(number.replace(",", "")) * factor
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def amounts_in(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Every money figure in text[start:end], in order."""
    end = len(text) if end is None else end
    return [
        Amount(to_yuan(m.group(1), m.group(2)), m.start(), m.end(), m.group(0))
        for m in _amount_re().finditer(text, start, end)
    ]


# --------------------------------------------------------------------------- sections


def section_end(nt: NarrativeText, start: int, limit: int = 2500, any_level: bool = False) -> int:
    """Where the topic that starts at `start` ends: the next (top-level) heading at a line start."""
    heading = _rx(_cfg()["heading" if any_level else "top_heading"])
    pos = nt.next_line_start(start + 1)
    hard = min(len(nt.text), start + limit)
    while pos < hard:
        if heading.match(nt.text, pos):
            return pos
        pos = nt.next_line_start(pos + 1)
    return hard


def topic_windows(nt: NarrativeText, anchor: str, any_level: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each section that mentions `anchor`, definitions (名词解释) excluded."""
    definition = _rx(_cfg()["definition"])
    out: list[tuple[int, int]] = []
    for m in _rx(anchor).finditer(nt.text):
        if definition.match(nt.text, m.end()):
            continue
        if out and m.start() < out[-1][1]:
            continue
        out.append((m.start(), section_end(nt, m.start(), any_level=any_level)))
    return out


# --------------------------------------------------------------------------- labelled amounts


@dataclass
class Hit:
    value: float
    pos: int
    role: str  # current | prior | budget


def _roles_after(nt: NarrativeText, label: tuple[int, int], limit: int, stop: re.Pattern[str], max_gap: int,
                 final: bool, year: int | None) -> list[Hit]:
    """The amounts that belong to a label (first one, plus a 决算 one in a final account)."""
    label_start, label_end = label
    found = amounts_in(nt.text, label_end, min(limit, label_end + max_gap * 3))
    if not found:
        return []
    gap = nt.text[label_end:found[0].start]
    if len(gap) > max_gap or stop.search(gap) or _crosses_heading(nt, label_end, found[0].start):
        return []
    lead = re.split(r"[。；;，,：:]", nt.text[max(0, label_start - 12):label_start])[-1]
    role = _role(gap, final, year)
    if role == "current" and _role(lead, False, year) == "prior":
        role = "prior"  # "2024年‘三公’经费预算为…" in a 2025 report
    hits = [Hit(found[0].value, found[0].start, role)]
    if final and hits[0].role != "current":
        prev_end = found[0].end
        for a in found[1:3]:
            local = nt.text[prev_end:a.start]
            if len(local) <= 14 and "决算" in local and not stop.search(local.replace("决算", "")):
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
    heading = _rx(_cfg()["heading"])
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
    stop_re = _rx(stop)
    out: dict[str, float] = {}
    start, end = window
    for key, pattern in labels.items():
        for m in _rx(pattern).finditer(nt.text, start, end):
            for hit in _roles_after(nt, m.span(), end, stop_re, max_gap, final, year):
                name = key if hit.role == "current" else f"{hit.role}_{key}"
                out.setdefault(name, hit.value)
    return out


# --------------------------------------------------------------------------- staffing


def extract_staffing(nt: NarrativeText) -> dict[str, int]:
    """Head counts (编制数, 实有人数, 在职/退休/离休 with their +/- changes, 行政/事业编制)."""
    cfg = _cfg()["staffing"]
    text = nt.text
    out: dict[str, int] = {}
    change = _rx(cfg["change"])
    for key, pattern in cfg["counts"].items():
        m = _rx(pattern).search(text)
        if not m:
            continue
        number = next(g for g in m.groups() if g is not None)
        name = "in_service" if key == "in_service_alt" else key
        if name in out:
            continue
        out[name] = int(number)
        c = change.match(text, m.end())
        if c and name in ("in_service", "retired", "separated", "actual"):
            out[f"{name}_change"] = int(c.group(2)) * (1 if c.group(1) == "增加" else -1)
        if name in ("authorized", "actual"):
            out.update(_breakdown(text, m.end(), name, cfg))
    return out


def _breakdown(text: str, pos: int, head: str, cfg: dict[str, Any]) -> dict[str, int]:
    """The "其中：行政编制 191 人，事业编制 119 人" split after a head count."""
    h = _rx(cfg["breakdown_head"]).match(text, pos)
    if not h:
        return {}
    clause_end = min((i for i in (text.find(c, h.end()) for c in "；。;") if i >= 0), default=len(text))
    out: dict[str, int] = {}
    for m in _rx(cfg["breakdown_item"]).finditer(text, h.end(), clause_end):
        key = f"{head}_{cfg['breakdown_keys'][m.group(1)]}"
        out[key] = out.get(key, 0) + int(m.group(2))
    return out


# --------------------------------------------------------------------------- subordinate units


def extract_subordinate_units(nt: NarrativeText, unit: str | None = None) -> list[str] | None:
    """Budget units consolidated in the report, without the department's own (本级/本部) entry.

    None when the report does not say; [] when it says there are none (只有本级 / 下属 0 家).
    """
    cfg = _cfg()["subordinate_units"]
    for anchor in cfg["anchors"]:
        for m in _rx(anchor).finditer(nt.text):
            items = _list_after(nt, m.end())
            if items is None:
                continue
            names = [n for n in (_clean_unit_item(i, cfg) for i in items) if n]
            valid = [n for n in names if _is_self(n, unit, cfg) or _looks_like_org(n)]
            if not names or len(valid) * 2 < len(names):
                continue  # not a list of units ("收入预算包括：一般公共预算 …")
            return [n for n in valid if not _is_self(n, unit, cfg)]
    if any(_rx(p).search(nt.text) for p in cfg["none"]):
        return []
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
    end = min((i for i in (text.find(c, start) for c in "。") if i >= 0), default=start + 300)
    end = min(end, start + 400)
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
        for c in re.finditer(rf"(?<!\d){k}\s*[.、．]?\s*(?=[^\d\s.、．])", text[prev_end:prev_end + 300]):
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
    heading = _rx(_cfg()["heading"])
    end = nt.next_line_start(body)
    while end < len(nt.text) and not nt.text[body:end].rstrip().endswith(("）", ")", "。", "；")):
        nxt = nt.next_line_start(end)
        same_page = nt.page_of(end) == nt.page_of(body)
        if not same_page or nxt - end > 20 or heading.match(nt.text, end) or nt.text[end].isdigit():
            break
        end = nxt
    return nt.text[body:end]


def _clean_unit_item(item: str, cfg: dict[str, Any]) -> str:
    s = item.strip(" 。；;，,：:")
    s = re.split(r"[。：:]", s)[0]
    s = re.sub(r"下设.*$", "", s)
    s = re.sub(cfg["strip_prefix"], "", s)
    for _ in range(2):
        s = re.sub(cfg["strip_suffix"], "", s).strip(" 。；;，,")
    if not re.search(r"[\u4e00-\u9fff]", s) or re.search(cfg["reject"], s) or len(s) > 40:
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


# --------------------------------------------------------------------------- topic figures


def _best_window(nt: NarrativeText, topic: dict[str, Any], final: bool, year: int | None,
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


def extract_three_public(nt: NarrativeText, final: bool = False, year: int | None = None) -> dict[str, float]:
    """因公出国（境）费, 公务接待费, 公务用车购置及运行费 (购置 / 运行) and their total, in 元."""
    topic = _cfg()["three_public"]
    out = _best_window(nt, topic, final, year)
    if out:
        for key, label in topic["labels"].items():
            if key not in out and _rx(topic["none"] + f"(?:{label})").search(nt.text):
                out[key] = 0.0
    return out


def derive_three_public(tp: dict[str, float]) -> list[str]:
    """Fill vehicle_total / total from printed parts when the report gives only the parts."""
    derived = []
    for prefix in ("", "prior_", "budget_"):
        parts = [tp.get(prefix + k) for k in ("vehicle_purchase", "vehicle_operation")]
        if prefix + "vehicle_total" not in tp and all(p is not None for p in parts):
            tp[prefix + "vehicle_total"] = _add(parts)
            derived.append(prefix + "vehicle_total")
        parts = [tp.get(prefix + k) for k in ("abroad", "reception", "vehicle_total")]
        if prefix + "total" not in tp and all(p is not None for p in parts):
            tp[prefix + "total"] = _add(parts)
            derived.append(prefix + "total")
    return derived


def _add(values: list[float | None]) -> float:
    total = sum((Decimal(str(v)) for v in values if v is not None), Decimal("0"))
    return float(total.quantize(Decimal("0.01")))


def extract_procurement(nt: NarrativeText, final: bool = False, year: int | None = None) -> dict[str, float]:
    """政府采购 total, 货物/工程/服务, 授予中小企业合同金额 (元) and its share (%)."""
    topic = _cfg()["procurement"]
    out = _best_window(nt, topic, final, year)
    if "sme" in out:
        for m in _rx(topic["labels"]["sme"]).finditer(nt.text):
            a = amounts_in(nt.text, m.end(), m.end() + topic["max_gap"] + 12)
            if a:
                share = _rx(topic["sme_share"]).match(nt.text, a[0].end)
                if share:
                    out["sme_share"] = float(share.group(1))
                    break
    return out


def extract_operating_costs(nt: NarrativeText, final: bool = False, year: int | None = None) -> dict[str, float]:
    """机关运行经费 (元): this year's budget, or in a 决算 the actual with the budget beside it."""
    cfg = _cfg()["operating_costs"]
    found = labelled_amounts(nt, (0, len(nt.text)), {"amount": cfg["label"]}, cfg["stop"] + "|政府采购",
                             cfg["max_gap"], final, year)
    if "amount" not in found and _rx(cfg["none"]).search(nt.text):
        found["amount"] = 0.0
    return found


def extract_assets(nt: NarrativeText, unit: str | None = None) -> dict[str, Any]:
    """Figures of the 国有资产 section: vehicles, buildings, equipment above a unit value, values."""
    cfg = _cfg()["assets"]
    items: list[dict[str, Any]] = []
    for start, end in topic_windows(nt, cfg["anchor"], any_level=True):
        section = nt.text[start:end]
        if not re.search(rf"\d(?:{cfg['count_units']}|万元|元)", section):
            continue
        items = _asset_items(section, cfg, unit)
        if items:
            break
    if not items:
        return {}
    out: dict[str, Any] = {"items": items}
    for key, pattern in cfg["keys"].items():
        for it in items:
            if re.search(pattern, it["label"]) and "购置" not in it["label"]:
                out[key] = it["value"]
                break
    seen: set[float] = set()
    for it in items:
        t = re.search(cfg["threshold"], it["label"])
        if t and "设备" in it["label"] and "购置" not in it["label"] and it["unit"] != "元":
            threshold = to_yuan(t.group(2), "万元")
            if threshold not in seen:  # holdings come first; later ones are planned purchases
                seen.add(threshold)
                out.setdefault("equipment", []).append(
                    {"threshold": threshold, "count": it["value"], "label": it["label"]})
    return out


def _asset_items(section: str, cfg: dict[str, Any], unit: str | None) -> list[dict[str, Any]]:
    units = cfg["count_units"] + "|" + "|".join(sorted(_cfg()["amount_units"], key=len, reverse=True))
    pair = re.compile(rf"(\d+(?:,\d{{3}})*(?:\.\d+)?)({units})(?!以上|以下|（含）|\(含\))")
    items: list[dict[str, Any]] = []
    prev_label = ""
    for clause in re.split(r"[，；;。：:、]|,(?!\d{3})|其中", section):
        last = 0
        for m in pair.finditer(clause):
            label = _asset_label(clause[last:m.start()], unit)
            last = m.end()
            if re.fullmatch(r"(?:19|20)\d{2}", m.group(1)) or m.group(2) in ("月", "日"):
                continue
            if not label:
                label = prev_label
            if not label:
                continue
            prev_label = label
            money = m.group(2) in _cfg()["amount_units"]
            value = to_yuan(m.group(1), m.group(2)) if money else _count(m.group(1))
            items.append({"label": label, "value": value, "unit": "元" if money else m.group(2)})
    return items


def _asset_label(raw: str, unit: str | None) -> str:
    s = re.sub(r"^.*?(?:截至|截止)\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?", "", raw)
    s = re.sub(r"^(?:截至|截止)?上年(?:底|末)", "", s)
    if unit:
        s = s.replace(re.sub(r"（[^）]*）$", "", unit), "")
    s = re.sub(r"^.*?(?=共有|实有|现有|拥有|占有)", "", s) if re.search(r"共有|实有|现有|拥有|占有", s) else s
    s = re.sub(r"^(?:本部门|本单位|所属(?:各)?预算单位|及下属各预算单位|下属各预算单位)+", "", s)
    return _balance(s)


def _balance(s: str) -> str:
    """Strip spaces, and brackets left unmatched by cutting a phrase out of a sentence."""
    s = s.strip(" ，,：:")
    while s[:1] in "（(" and s.count("（") + s.count("(") > s.count("）") + s.count(")"):
        s = s[1:].strip()
    while s[-1:] in "）)" and s.count("（") + s.count("(") < s.count("）") + s.count(")"):
        s = s[:-1].strip()
    if s.count("（") > s.count("）"):
        s += "）"
    return s


def _count(number: str) -> float | int:
    d = Decimal(number.replace(",", ""))
    return int(d) if d == d.to_integral_value() else float(d)


# --------------------------------------------------------------------------- year over year


def extract_yoy(nt: NarrativeText, unit: str | None = None) -> list[dict[str, Any]]:
    """Every "比上年(预算)增加/减少 X 万元，增长/下降 Y%" statement, with its subject and figure."""
    cfg = _cfg()["yoy"]
    text = nt.text
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for m in _rx(cfg["compare"]).finditer(text):
        base = m.group("base") or ""
        if m.group("cmp") != "同比" and not re.search(r"上年|去年|上一年|同期|(?:19|20)\d{2}年", base):
            continue
        if not (m.group("amt") or m.group("pct") or _rx(cfg["flat"]).fullmatch(m.group("verb"))):
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
    direction = ("flat" if _rx(cfg["flat"]).fullmatch(verb)
                 else "decrease" if _rx(cfg["decrease"]).fullmatch(verb) else "increase")
    pct_word = re.search(r"(增长|下降|增幅|减幅|降幅|上升|降低|增加|减少)(?:了)?(?:为)?\d", m.group(0)[m.end("verb") - m.start():])
    sign = -1 if direction == "decrease" else 1
    if pct_word and re.search(r"下降|减幅|降幅|降低|减少", pct_word.group(1)):
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
    heading = _rx(_cfg()["heading"])
    i = bisect_right(nt.line_starts, pos) - 1
    while i >= 0 and nt.line_starts[i] >= start:
        ls = nt.line_starts[i]
        h = heading.match(text, ls)
        if h:
            line_end = nt.line_starts[i + 1] if i + 1 < len(nt.line_starts) else len(text)
            line = text[h.end():line_end]
            title_only = (line_end <= pos and len(line) <= 30 and not amounts_in(line)
                          and re.search(r"(?:说明|情况|概况|构成|职能|职责|设置|任务|目标|事项)$", line))
            start = line_end if title_only else h.end()
            break
        i -= 1
    ends = [e for e in (text.find(c, pos) for c in "。；;！？") if e >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start, min(end, pos + 300)


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
        if lead and first_end < cmp_pos and not _rx(cfg["compare"]).search(text, s_start, first_end):
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
    s = re.sub(r"^(?:其中|另外|此外|同时|关于)", "", s)
    s = re.sub(r"(?:19|20)\d{2}年度?|本年度?|当年|全年|今年|年初", "", s)
    s = re.sub(r"(?:为|是|共|达|约|合计|共计|总计)$", "", s)
    return _balance(s)


def _item_name(nt: NarrativeText, s_start: int) -> str:
    """The name of the numbered item ("1、公共安全支出（204类）…") that a sentence belongs to."""
    text = nt.text
    lo = max(0, s_start - 400)
    marker = None
    for m in _rx(r"(?:\d{1,2}[、.．]|（\d{1,2}）|（[一二三四五六七八九十]+）)(?!\d)").finditer(text, lo, s_start + 1):
        if nt.at_line_start(m.start()) or text[m.start() - 1] in "。；;":
            marker = m.end()
    if marker is None:
        return ""
    a = amounts_in(text, marker, marker + 120)
    end = min([x for x in (text.find("。", marker), a[0].start if a else -1) if x >= 0], default=marker + 60)
    return _clean_subject(text[marker:end], None)


# --------------------------------------------------------------------------- entry point


def extract_facts(pages: list[str], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """All narrative facts of one report; a key is left out when the report does not say it.

    Keys: staffing (counts, int), subordinate_units (names, the department's own 本级/本部
    entry excluded; [] when the report says there are none), three_public / procurement /
    operating_costs (元; sme_share in %; "prior_" keys for last year's figure, and in a 决算
    "budget_" keys for the 年初预算 beside the actual), assets (items with label/value/unit, plus
    vehicles, buildings_area_m2, total_value, equipment), yoy (list of comparisons), derived
    (which three_public keys were summed from printed parts rather than printed).
    """
    if meta is None:
        from parsers.meta import detect_meta  # late import: meta uses this module's text model

        meta = detect_meta(pages)
    nt = build_text(pages)
    final = meta.get("kind") == "final_accounts"
    year, unit = meta.get("year"), meta.get("unit")
    facts: dict[str, Any] = {}
    staffing = extract_staffing(nt)
    if staffing:
        facts["staffing"] = staffing
    units = extract_subordinate_units(nt, unit)
    if units is not None:
        facts["subordinate_units"] = units
    three_public = extract_three_public(nt, final, year)
    if three_public:
        derived = derive_three_public(three_public)
        facts["three_public"] = three_public
        if derived:
            facts["derived"] = {"three_public": derived}
    for key, value in (("procurement", extract_procurement(nt, final, year)),
                       ("assets", extract_assets(nt, unit)),
                       ("operating_costs", extract_operating_costs(nt, final, year)),
                       ("yoy", extract_yoy(nt, unit))):
        if value:
            facts[key] = value
    return facts
