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
    return 3 <= len(core) <= 40 and bool(re.search(_cfg()["org_suffix"], core)) and not re.search(r"\d", core)


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
    for page in pages[:3]:
        lines = _lines(page)[:6]
        buf = ""
        for ln in lines:
            if skip.match(ln) or re.match(r"^(?:目录|(?:预算|决算|公开)?\d+表|表\d+|公开表)", ln):
                break
            buf += ln
            m = title_re.search(buf)
            if m and "表" not in m.group("pre") + m.group("mid") and m.end() <= 60:
                return {"text": buf[: m.end()], "match": m}
            if len(buf) > 80:
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
    best = max((n for n, c in counts.items() if c >= 0.8 * top and is_org_name(n)), key=len, default=None)
    return normalise_unit(best) if best else None


# --------------------------------------------------------------------------- year, kind, scope


def _year_from_text(text: str) -> int | None:
    for pattern in _cfg()["year_patterns"]:
        years = Counter(int(y) for y in re.findall(pattern, text))
        if years:
            return years.most_common(1)[0][0]
    return None


def _vote(text: str, evidence: dict[str, str], ratio: float = 2.0) -> str | None:
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
    if len(d) < 2 or re.search(r"[局厅委院办部所会处室队站馆校团社司党府级]", d[:-1]):
        return None  # "财政局市级…" is not a place
    if any(d.endswith(w) or rest.startswith(w) for w in not_districts):
        return None
    return d


def _leading_places(name: str) -> list[str]:
    """Place names a unit name starts with when the city list does not know them (昆山市…)."""
    out: list[str] = []
    rest = re.sub(r"^(?:中共|中国共产党)", "", name)
    while len(out) < 3:
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
        kind = _vote(text, cfg["kind_evidence"], ratio=1.0) or ("budget" if "预算" in text else None)
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
    if chars < 30:
        return False, "no text layer: the pages carry no extractable text (a scan or images only)"
    head = "".join(ln for p in pages[:2] for ln in _lines(p)[:4])
    text = build_text(pages, drop_running_lines=False).text
    evidence = re.findall(cfg["budget_evidence"], text)
    title = find_title(pages)
    if not re.search(cfg["disclosure_head"], head):
        for name, pattern in cfg["negative_titles"].items():
            if re.search(pattern, head):
                return False, f"not a budget disclosure: the title reads like a {name} ({head[:40]})"
    if title:
        return True, f"title: {title['text']}"
    if len(evidence) >= 3:
        common = ", ".join(w for w, _ in Counter(evidence).most_common(3))
        return True, f"budget-disclosure vocabulary: {common}"
    return False, f"not a budget disclosure: no 预算/决算 title and no budget-table vocabulary ({head[:40]})"


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
    if len(s) < 2 or re.search(cfg["not_unit_names"], s) and not is_org_name(s):
        return None, marker
    return s, marker


def consolidation(printed: str | None, title: str | None, scope: str | None,
                  subordinates: list[str] | None) -> tuple[str | None, int | None]:
    """(department_total | department_own | unit | None, units consolidated) from what the report
    prints: a marker after its name, then its title's words, then its scope; the count is the
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
    if kind == "department_total" and subordinates is not None:
        return kind, 1 + len(subordinates)
    return kind, None
