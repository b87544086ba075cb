"""Classification codes: every printed form → digits only, with level and scheme.

Forms seen: joined (2040501), split 类|款|项 columns (201|05|07), sparse columns (only the
new level printed), "206 01 01" in one cell, economic 款 with the leading zero dropped
("301 2" → 30102), codes glued to the name ("2010101行政运行", "[301]工资福利支出").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"

# codes start with 2 (function), 3 (department economic), 5 (government economic) or 1 (revenue)
CODE_PREFIX = re.compile(
    r"^\s*[\[【(（]?\s*(?P<code>[1235]\d{2}(?:\s{0,3}\d{2}){0,2})(?!\d)\s*[\]】)）]?\s*(?:[-－—.．、:：]\s*)?(?=\D|$)"
)


def level_of(code: str | None) -> int | None:
    if not code:
        return None
    return {3: 1, 5: 2, 7: 3}.get(len(code))


def scheme_of(code: str | None) -> str | None:
    if not code:
        return None
    return {"2": "function", "3": "econ_dept", "5": "econ_gov", "1": "revenue"}.get(code[0])


def is_code(s: str) -> bool:
    """A whole cell that is a joined code: 3, 5 or 7 digits starting with a scheme digit."""
    s = s.strip()
    return bool(re.fullmatch(r"[1235]\d{2}(?:\d{2}){0,2}", s))


def split_code_prefix(text: str) -> tuple[str | None, str]:
    """'206 01 01 行政运行' → ('2060101', '行政运行'); text without a code → (None, text)."""
    m = CODE_PREFIX.match(text)
    if not m:
        return None, text
    code = re.sub(r"\s", "", m.group("code"))
    if len(code) not in (3, 5, 7):
        return None, text
    rest = text[m.end():].strip()
    if rest and (rest[0].isdigit() or rest[0] in ".,"):  # an amount ('274.683056'), not a code and a name
        return None, text
    return code, rest


def pad_part(part: str, width: int = 2) -> str:
    """款/项 printed without the leading zero ('2' → '02')."""
    return part.zfill(width) if part.isdigit() and len(part) < width else part


@dataclass
class SparseCodes:
    """Rebuilds full codes from split 类/款/项 cells where only the new level may be printed."""

    lei: str = ""
    kuan: str = ""

    def reset(self) -> None:
        self.lei = self.kuan = ""

    def feed(self, lei: str, kuan: str, xiang: str) -> str | None:
        lei, kuan, xiang = (re.sub(r"\s", "", x) for x in (lei, kuan, xiang))
        if not (lei or kuan or xiang):
            return None
        if not all(x.isdigit() for x in (lei, kuan, xiang) if x):
            return None
        kuan, xiang = pad_part(kuan), pad_part(xiang)
        if len(lei) > 3:  # a joined code sitting in the 类 column
            return self.joined(lei)
        if lei:
            if len(lei) != 3:
                return None
            if lei != self.lei:
                self.kuan = ""
            self.lei = lei
        if kuan:
            if len(kuan) != 2 or not self.lei:
                return None
            self.kuan = kuan
        elif lei and not xiang:
            self.kuan = ""
        if xiang:
            if len(xiang) != 2 or not (self.lei and self.kuan):
                return None
            return self.lei + self.kuan + xiang
        if kuan:
            return self.lei + self.kuan
        return self.lei

    def part(self, token: str, level: int) -> str | None:
        """A lone 款 (level 2) or 项 (level 3) part printed in a merged code column."""
        token = pad_part(re.sub(r"\s", "", token))
        if len(token) != 2 or not token.isdigit() or not self.lei:
            return None
        if level == 2:
            self.kuan = token
            return self.lei + token
        if level == 3 and self.kuan:
            return self.lei + self.kuan + token
        return None

    def joined(self, code: str) -> str | None:
        """A joined code (or '206 01 01'); short forms extend the current parent."""
        code = re.sub(r"\s", "", code)
        if not code.isdigit():
            return None
        if len(code) == 3:
            self.lei, self.kuan = code, ""
        elif len(code) == 5:
            self.lei, self.kuan = code[:3], code[3:]
        elif len(code) == 7:
            self.lei, self.kuan = code[:3], code[3:5]
        else:
            return None
        return code


@cache
def reference_names() -> dict[str, dict[str, str]]:
    """scheme → {code: name} from the bundled (partial) reference lists."""
    out: dict[str, dict[str, str]] = {"function": {}, "econ_dept": {}, "econ_gov": {}}
    for scheme, fname in (("function", "func_classification_partial.csv"),
                          ("econ_dept", "econ_classification_dept_compiled.csv"),
                          ("econ_gov", "econ_classification_gov_compiled.csv")):
        p = TEMPLATES / fname
        if p.exists():
            with open(p, encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    out[scheme][row["code"]] = row["name"]
    return out


def norm_name(name: str) -> str:
    """Names compared loosely: no spaces, brackets unified, trailing （类）/（款） dropped."""
    s = re.sub(r"\s", "", name)
    s = s.replace("(", "（").replace(")", "）")
    s = re.sub(r"^[一二三四五六七八九十]+、|^\d+[.．、]|^（[一二三四五六七八九十\d]+）", "", s)
    s = re.sub(r"（[类款项]）$", "", s)
    return s


@cache
def class_names() -> dict[str, str]:
    """Normalised 类 name → function code, including the pre-2019 names reports still print."""
    names = {norm_name(v): k for k, v in reference_names()["function"].items() if len(k) == 3}
    for old, code in (("医疗卫生与计划生育支出", "210"), ("文化体育与传媒支出", "207"),
                      ("国土海洋气象等支出", "220"), ("资源勘探信息等支出", "215"),
                      ("资源勘探电力信息等支出", "215"), ("债务利息支出", "232"),
                      ("医疗卫生支出", "210"), ("城乡社区事务支出", "212")):
        names.setdefault(old, code)
    return names


LENGTH = {1: 3, 2: 5, 3: 7}
SCHEME_FIRST = {"function": "2", "econ_dept": "3", "econ_gov": "5"}


def match_codes_by_name(tables: list) -> int:
    """Rows printed without a code get one where their name is unambiguous.

    Candidates come from the rows of the same report that do print codes, then from the
    reference lists; they are narrowed by the table's scheme, the row's level (from
    indentation) and the code matched for the row's parent, so 行政运行 under 20101 is
    2010101 and not one of the forty other 行政运行. Returns how many rows got a code.
    """
    index: dict[str, set[str]] = {}
    for t in tables:
        for r in t.rows:
            if r.code and r.code_source == "printed":
                index.setdefault(norm_name(r.name), set()).add(r.code)
    for names in reference_names().values():
        for code, name in names.items():
            index.setdefault(norm_name(name), set()).add(code)
    for name, code in class_names().items():
        index.setdefault(name, set()).add(code)
    matched = 0
    for t in tables:
        parents: dict[int, str | None] = {}
        for r in t.rows:
            if r.code:
                parents[level_of(r.code) or 0] = r.code
                continue
            cands = {c for c in index.get(norm_name(r.name), set())
                     if not r.scheme or c[0] == SCHEME_FIRST.get(r.scheme, c[0])}
            if r.level:
                cands = {c for c in cands if len(c) == LENGTH[r.level]}
                parent = parents.get(r.level - 1)
                if parent:
                    cands = {c for c in cands if c.startswith(parent)}
            if len(cands) == 1:
                (code,) = cands
                r.code, r.level, r.code_source = code, level_of(code), "name"
                matched += 1
            if r.level:
                parents[r.level] = r.code
                for deeper in range(r.level + 1, 4):
                    parents.pop(deeper, None)
    return matched
