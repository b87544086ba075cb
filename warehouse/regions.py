"""Region of a unit from its name, against China's administrative divisions (GB/T 2260).

Reports name the unit with its place (江苏省人民检察院, 长沙市信访局, 上海市普陀区司法局) and often
drop the province (长沙市…) or the 市 (福州经济技术开发区…); national bodies name none (国家信访局,
公安部). The divisions live in reference/admin_divisions.csv; a place is only taken when the
name starts with a division the reference knows, so no segment is ever invented.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIVISIONS_CSV = Path(__file__).parent / "reference" / "admin_divisions.csv"
CENTRAL = "中央"
# Suffixes a division's short form drops: 江苏省 → 江苏, 西安市 → 西安, 延边朝鲜族自治州 → 延边.
_SHORT = re.compile(r"(?:维吾尔|壮族|回族|[\u4e00-\u9fff]{1,8}族)*(?:自治区|自治州|自治县|特别行政区|省|市|地区|盟)$")
_DIVISION_WORDS = ("区", "县", "镇", "乡", "市", "州", "盟")
_PARTY = re.compile(r"^(?:中共|中国共产党)")
# Prefixes and names of bodies of the central government (no place in the name).
_CENTRAL_NAME = re.compile(r"^(?:国家|中华人民共和国|中央|国务院|全国|最高人民|中国(?!共产党))|^[\u4e00-\u9fff]{1,6}部$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: int
    parent_code: str


@dataclass(frozen=True)
class Region:
    path: list[str]
    code: str | None  # the most specific division's GB/T 2260 code; None for 中央 / unknown


@cache
def divisions() -> dict[str, Division]:
    with open(DIVISIONS_CSV, encoding="utf-8", newline="") as f:
        return {r["code"]: Division(r["code"], r["name"], int(r["level"]), r["parent_code"])
                for r in csv.DictReader(f)}


def short_form(name: str) -> str:
    s = _SHORT.sub("", name)
    return s if len(s) >= 2 else name


@cache
def _children() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {"": []}
    for d in divisions().values():
        out.setdefault(d.parent_code, []).append(d)
    for kids in out.values():
        kids.sort(key=lambda d: -len(d.name))
    return out


def _match(rest: str, candidates: list[Division], allow_short: bool) -> tuple[Division, str] | None:
    """The division `rest` starts with: full name first, then (if allowed) the short form not
    followed by a division word (朝阳区 is not 朝阳市, 吉林市 is not 吉林省)."""
    for d in candidates:
        if rest.startswith(d.name):
            return d, rest[len(d.name):]
    if allow_short:
        for d in sorted(candidates, key=lambda d: -len(short_form(d.name))):
            s = short_form(d.name)
            if s != d.name and rest.startswith(s) and rest[len(s):len(s) + 1] not in _DIVISION_WORDS:
                return d, rest[len(s):]
    return None


@cache
def _unique_counties() -> dict[str, Division]:
    """County-level names that occur once in the country (昆山市, 海淀区; not 朝阳区)."""
    seen: dict[str, list[Division]] = {}
    for d in divisions().values():
        if d.level == 3:
            seen.setdefault(d.name, []).append(d)
    return {n: ds[0] for n, ds in seen.items() if len(ds) == 1 and len(n) >= 3}


def _ancestors(d: Division) -> list[Division]:
    chain = [d]
    while chain[0].parent_code:
        chain.insert(0, divisions()[chain[0].parent_code])
    return chain


def region_of(name: str | None) -> Region:
    """Province / prefecture / county path the unit name starts with; [中央] for national bodies."""
    if not name:
        return Region([], None)
    rest = _PARTY.sub("", name)
    kids = _children()
    path: list[Division] = []
    hit = _match(rest, kids[""], allow_short=True)
    if hit:
        path.append(hit[0])
        rest = hit[1]
    else:  # no province printed: a prefecture (or county) the province is filled in from
        prefectures = [d for d in divisions().values() if d.level == 2]
        hit = _match(rest, sorted(prefectures, key=lambda d: -len(d.name)), allow_short=True)
        if hit:
            path += [divisions()[hit[0].parent_code], hit[0]]
            rest = hit[1]
        else:
            county = next((d for n, d in _unique_counties().items() if rest.startswith(n)), None)
            if county:
                path = _ancestors(county)
                rest = rest[len(county.name):]
    if not path:
        return Region([CENTRAL], None) if _CENTRAL_NAME.search(rest) else Region([], None)
    while path[-1].level < 3:
        hit = _match(rest, kids.get(path[-1].code, []), allow_short=path[-1].level == 1)
        if not hit:
            break
        path.append(hit[0])
        rest = hit[1]
    return Region([d.name for d in path], path[-1].code)


def complete_region(region: list[str]) -> Region:
    """A region path given by a source config or the parser, checked against the reference:
    the province is filled in when it starts at a prefecture; unknown segments are dropped."""
    if not region:
        return Region([], None)
    if region == [CENTRAL]:
        return Region([CENTRAL], None)
    found = region_of("".join(region))
    if found.path and found.path[-len(region):] == list(region):
        return found
    return Region(list(region), None)
