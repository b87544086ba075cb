"""Which report is this: unit, year, kind (预算/决算), scope (部门/单位), title and region.

Sources, strongest first: the title on the cover ("XX局2025年部门预算", possibly split over
lines), the labels above the tables ("编制单位：", "部门名称：", "预算主管部门："), and as a last
resort the organisation name the prose repeats most.  The cover wins over the labels so that a
parenthetical the cover prints (（本级）, （汇总）) is kept.  Patterns are in templates/meta.yaml,
the province/city list in templates/meta_regions.yaml; nothing here knows a particular unit.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from parsers.text import build_text, normalise_line
from parsers.vocab import load_template

# A unit name is 3-40 characters once its parenthetical tails are cut (局 alone is no name).
ORG_NAME_MIN_CHARS = 3
ORG_NAME_MAX_CHARS = 40
# The cover title is on one of the first pages, in its first lines ...
TITLE_PAGES = 3
TITLE_LINES = 6
# ... ends within this many characters of joined lines, and is never read past the second bound.
TITLE_MAX_CHARS = 60
TITLE_BUFFER_MAX_CHARS = 80
# Prose names within this share of the most repeated one compete; the longest wins (its full name).
PROSE_UNIT_SHARE = 0.8
# Evidence must outnumber the other side this many times for a scope (部门/单位) without a title ...
SCOPE_VOTE_RATIO = 2.0
# ... while a kind (预算/决算) needs only a majority.
KIND_VOTE_RATIO = 1.0
# A district name has at least two characters (区 alone is not one).
DISTRICT_MIN_CHARS = 2
# Province, city, district: the deepest region path a unit name gives.
MAX_PLACE_LEVELS = 3
# Fewer characters than this on all pages: no text layer (a scan).
MIN_TEXT_CHARS = 30
# The head that a document's title is read from: first lines of the first pages.
HEAD_PAGES = 2
HEAD_LINES = 4
# Characters of the head quoted in a "not a budget disclosure" reason.
REASON_HEAD_CHARS = 40
# Budget-table words needed to accept a document that prints no 预算/决算 title.
MIN_EVIDENCE_WORDS = 3
# A canonical unit name has at least two characters.
UNIT_MIN_CHARS = 2

_PAGE_NO = re.compile(r"^[-－—─–]*\s*\d{1,4}\s*[-－—─–]*$")
_PAREN_TAIL = re.compile(r"[（(][^（）()]*[）)]$")


def _cfg() -> dict[str, Any]:
    return load_template("meta.yaml")


def _regions() -> dict[str, Any]:
    return load_template("meta_regions.yaml")


def _lines(page: str) -> list[str]:
    out = [normalise_line(ln) for ln in page.split("\n")]
    return [ln for ln in out if ln and not _PAGE_NO.match(ln)]


# --------------------------------------------------------------------------- unit names


def is_org_name(name: str) -> bool:
    """Does this look like the name of a government unit (ends like 局/厅/委员会/中心…)?"""
    core = name
    while _PAREN_TAIL.search(core):
        core = _PAREN_TAIL.sub("", core)
    return ORG_NAME_MIN_CHARS <= len(core) <= ORG_NAME_MAX_CHARS and bool(re.search(_cfg()["org_suffix"], core)) and not re.search(r"\d", core)


def normalise_unit(name: str) -> str:
    """Official short form of party organs: 中国共产党X委员会Y -> 中共X委Y, X省委Y -> 中共X省委Y."""
    s = name.replace(" ", "").strip("：:，,。")
    s = re.sub(r"^中国共产党(.+?)委员会", r"中共\1委", s)
    if not s.startswith("中共") and re.match(
            r"^[\u4e00-\u9fff]{2,12}?(?:省|自治区|市|州|县|区|旗|盟)委(?!员)", s):
        s = "中共" + s
    return s


def find_title(pages: list[str]) -> dict[str, Any] | None:
    """The report title on the first pages: the lines up to the one that says 预算/决算."""
    title_re = re.compile(_cfg()["title"])
    skip = re.compile(_cfg()["title_skip_line"])
    for page in pages[:TITLE_PAGES]:
        lines = _lines(page)[:TITLE_LINES]
        buf = ""
        for ln in lines:
            if skip.match(ln) or re.match(r"^(?:目录|(?:预算|决算|公开)?\d+表|表\d+|公开表)", ln):
                break
            buf += ln
            m = title_re.search(buf)
            if m and "表" not in m.group("pre") + m.group("mid") and m.end() <= TITLE_MAX_CHARS:
                return {"text": buf[: m.end()], "match": m}
            if len(buf) > TITLE_BUFFER_MAX_CHARS:
                break
    return None


def _title_unit(match: re.Match[str]) -> str | None:
    for part in (match.group("pre"), match.group("mid")):
        part = (part or "").strip()
        if part and is_org_name(part):
            return normalise_unit(part)
    return None


def label_units(pages: list[str]) -> Counter[str]:
    """Unit names printed in "编制单位：X" style labels, counted over all pages."""
    patterns = [re.compile(p) for p in _cfg()["unit_labels"]]
    counts: Counter[str] = Counter()
    for page in pages:
        for ln in _lines(page):
            for p in patterns:
                for m in p.finditer(ln):
                    name = m.group("name").strip()
                    if is_org_name(name):
                        counts[normalise_unit(name)] += 1
    return counts


def prose_unit(pages: list[str]) -> str | None:
    """Last resort: the organisation name (starting with a region or 中共/国家) the prose repeats most."""
    text = build_text(pages).text
    heads = _region_names() + ["中共", "国家", "中国"]
    head = "|".join(sorted(map(re.escape, heads), key=len, reverse=True))
    suffix = _cfg()["org_suffix"].rstrip("$")
    counts: Counter[str] = Counter()
    for m in re.finditer(rf"(?:{head})[\u4e00-\u9fff]{{0,16}}?{suffix}", text):
        counts[m.group(0)] += 1
    for m in re.finditer(rf"(?:{head})[\u4e00-\u9fff]{{0,16}}{suffix}", text):
        counts[m.group(0)] += 1
    if not counts:
        return None
    top = counts.most_common(1)[0][1]
    best = max((n for n, c in counts.items() if c >= PROSE_UNIT_SHARE * top and is_org_name(n)), key=len, default=None)
    return normalise_unit(best) if best else None


# --------------------------------------------------------------------------- year, kind, scope


def _year_from_text(text: str) -> int | None:
    for pattern in _cfg()["year_patterns"]:
        years = Counter(int(y) for y in re.findall(pattern, text))
        if years:
            return years.most_common(1)[0][0]
    return None


def _vote(text: str, evidence: dict[str, str], ratio: float = SCOPE_VOTE_RATIO) -> str | None:
    counts = {k: len(re.findall(p, text)) for k, p in evidence.items()}
    (k1, n1), (_, n2) = sorted(counts.items(), key=lambda kv: -kv[1])[:2]
    return k1 if n1 > 0 and n1 >= ratio * n2 else None


# --------------------------------------------------------------------------- region


def _region_names() -> list[str]:
    provinces = _regions()["provinces"]
    return list(provinces) + [c for cities in provinces.values() for c in cities]


def detect_region(name: str) -> list[str]:
    """Province / city / district names a unit name starts with, province filled in from the city."""
    provinces: dict[str, list[str]] = _regions()["provinces"]
    city_of = {c: p for p, cities in provinces.items() for c in cities}
    s = re.sub(r"^(?:中共|中国共产党)", "", name)
    out: list[str] = []
    for p in sorted(provinces, key=len, reverse=True):
        if s.startswith(p):
            out.append(p)
            s = s[len(p):]
            break
    for c in sorted(city_of, key=len, reverse=True):
        if s.startswith(c) and (not out or city_of[c] == out[0]):
            if not out:
                out.append(city_of[c])
            out.append(c)
            s = s[len(c):]
            break
    if not out:
        return _leading_places(name)
    district = _district(s)
    if district:
        out.append(district)
    return out


def _district(rest: str) -> str | None:
    not_districts = _regions()["not_districts"]
    m = re.match(r"^([\u4e00-\u9fff]{1,6}?(?:新区|区|县|旗|市))", rest)
    if not m:
        return None
    d = m.group(1)
    if len(d) < DISTRICT_MIN_CHARS or re.search(r"[局厅委院办部所会处室队站馆校团社司党府级]", d[:-1]):
        return None  # "财政局市级…" is not a place
    if any(d.endswith(w) or rest.startswith(w) for w in not_districts):
        return None
    return d


def _leading_places(name: str) -> list[str]:
    """Place names a unit name starts with when the city list does not know them (昆山市…)."""
    out: list[str] = []
    rest = re.sub(r"^(?:中共|中国共产党)", "", name)
    while len(out) < MAX_PLACE_LEVELS:
        d = _district(rest) or (m.group(1) if (m := re.match(r"^([\u4e00-\u9fff]{2,8}?(?:省|自治区|自治州|盟|地区))", rest)) else None)
        if not d:
            break
        out.append(d)
        rest = rest[len(d):]
    return out


# --------------------------------------------------------------------------- public API


def detect_meta(pages: list[str]) -> dict[str, Any]:
    """unit, year, kind ('budget'|'final_accounts'), scope ('department'|'unit'|None), title, region."""
    cfg = _cfg()
    text = build_text(pages, drop_running_lines=False).text
    title = find_title(pages)
    m = title["match"] if title else None
    unit = _title_unit(m) if m else None
    if not unit:
        labels = label_units(pages)
        unit = labels.most_common(1)[0][0] if labels else prose_unit(pages)
    year = int(m.group("year")) if m else _year_from_text(text)
    if m:
        kind = "final_accounts" if m.group("kind") == "决算" else "budget"
    else:
        kind = _vote(text, cfg["kind_evidence"], ratio=KIND_VOTE_RATIO) or ("budget" if "预算" in text else None)
    scope = {"部门": "department", "单位": "unit"}.get(m.group("scope") or "") if m else None
    if scope is None:
        scope = _vote(text, cfg["scope_evidence"])
    region = detect_region(unit) if unit else []
    if not region and title:
        region = detect_region(title["text"])
    return {"unit": unit, "year": year, "kind": kind, "scope": scope,
            "title": title["text"] if title else None, "region": region}


def is_budget_document(pages: list[str]) -> tuple[bool, str]:
    """Is this a budget / final-account disclosure?  The reason says why (or why not)."""
    cfg = _cfg()
    chars = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if chars < MIN_TEXT_CHARS:
        return False, "no text layer: the pages carry no extractable text (a scan or images only)"
    head = "".join(ln for p in pages[:HEAD_PAGES] for ln in _lines(p)[:HEAD_LINES])
    text = build_text(pages, drop_running_lines=False).text
    evidence = re.findall(cfg["budget_evidence"], text)
    title = find_title(pages)
    if not re.search(cfg["disclosure_head"], head):
        for name, pattern in cfg["negative_titles"].items():
            if re.search(pattern, head):
                return False, f"not a budget disclosure: the title reads like a {name} ({head[:REASON_HEAD_CHARS]})"
    if title:
        return True, f"title: {title['text']}"
    if len(evidence) >= MIN_EVIDENCE_WORDS:
        common = ", ".join(w for w, _ in Counter(evidence).most_common(MIN_EVIDENCE_WORDS))
        return True, f"budget-disclosure vocabulary: {common}"
    return False, f"not a budget disclosure: no 预算/决算 title and no budget-table vocabulary ({head[:REASON_HEAD_CHARS]})"


# --------------------------------------------------------------------------- canonical unit, coverage


def canonical_unit(printed: str | None) -> tuple[str | None, str | None]:
    """(canonical name, marker) of a printed unit name: leading noise and a glued unit code
    dropped, a trailing coverage marker (（本级）, （汇总）) split off; None when the text is a
    table row label rather than a unit (对个人和家庭的补助)."""
    if not printed:
        return None, None
    cfg = _cfg()
    s = re.sub(r"[\s\u3000]+", "", printed).replace("(", "（").replace(")", "）")
    s = re.sub(cfg["unit_noise"], "", s)
    marker = None
    m = re.search(r"（([^（）]{1,8})）$", s)
    if m and any(re.search(p, m.group(1)) for p in cfg["unit_markers"].values()):
        marker, s = m.group(1), s[: m.start()]
    if len(s) < UNIT_MIN_CHARS or re.search(cfg["not_unit_names"], s) and not is_org_name(s):
        return None, marker
    return s, marker


def consolidation(printed: str | None, title: str | None, scope: str | None,
                  subordinates: list[str] | None, stated: int | None = None) -> tuple[str | None, int | None]:
    """(department_total | department_own | unit | None, units consolidated) from what the report
    prints: a marker after its name, then its title's words, then its scope; the count is the
    number of units the report says it consolidates (`stated`, facts.budget_units), else the
    department plus the subordinate units it lists (1 for its own office or a single unit)."""
    cfg = _cfg()
    _, marker = canonical_unit(printed)
    kind = None
    if marker:
        kind = next((k for k, p in cfg["unit_markers"].items() if re.search(p, marker)), None)
    text = re.sub(r"\s+", "", title or "")
    if kind is None and text:
        kind = next((k for k, p in cfg["consolidation_title"].items() if re.search(p, text)), None)
    if kind is None:
        kind = {"department": "department_total", "unit": "unit"}.get(scope or "")
    if kind in ("department_own", "unit"):
        return kind, 1
    if kind == "department_total" and stated:
        return kind, stated
    if kind == "department_total" and subordinates is not None:
        return kind, 1 + len(subordinates)
    return kind, None
