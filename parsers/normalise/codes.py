"""Classification codes: every printed form → digits only, and the one place that decides a
code's scheme and level (parser rows, warehouse lines and views all take it from here).

Forms seen: joined (2040501), split 类|款|项 columns (201|05|07), sparse columns (only the
new level printed), "206 01 01" in one cell, economic 款 with the leading zero dropped
("301 2" → 30102), codes glued to the name ("2010101行政运行", "[301]工资福利支出").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# First digit → scheme: 1 revenue (收入分类), 2 function (支出功能分类), 3 department economic
# (部门预算支出经济分类), 5 government economic (政府预算支出经济分类).
SCHEME_BY_DIGIT = {"1": "revenue", "2": "function", "3": "econ_dept", "5": "econ_gov"}
DIGIT_BY_SCHEME = {s: d for d, s in SCHEME_BY_DIGIT.items()}
# The 类 each scheme has (收入 101-111, 支出功能 201-239, 部门经济 301-319 and 399, 政府经济
# 501-519 and 599): a number of a code's shape outside them is a quantity or a unit's number.
CLASSES = {"revenue": [(101, 111)], "function": [(201, 239)], "econ_dept": [(301, 319), (399, 399)],
           "econ_gov": [(501, 519), (599, 599)]}
# 类 has 3 digits, 款 5, 项 7 (in every scheme).
LEVEL_BY_LENGTH = {3: 1, 5: 2, 7: 3}
LENGTH_BY_LEVEL = {lv: n for n, lv in LEVEL_BY_LENGTH.items()}
LEVEL_BY_NAME = {"类": 1, "款": 2, "项": 3}

_DIGITS = "".join(sorted(SCHEME_BY_DIGIT))
CODE_PREFIX = re.compile(
    rf"^\s*[\[【(（]?\s*(?P<code>[{_DIGITS}]\d{{2}}(?:\s{{0,3}}\d{{2}}){{0,2}})(?!\d)\s*[\]】)）]?\s*(?:[-－—.．、:：]\s*)?(?=\D|$)"
)
_JOINED = re.compile(rf"[{_DIGITS}]\d{{2}}(?:\d{{2}}){{0,2}}")


def level_of(code: str | None) -> int | None:
    """1 (类), 2 (款) or 3 (项) from the code's length; None for no code or an odd length."""
    return LEVEL_BY_LENGTH.get(len(code)) if code else None


def scheme_of(code: str | None) -> str | None:
    """function / econ_dept / econ_gov / revenue from the first digit; None otherwise."""
    return SCHEME_BY_DIGIT.get(code[0]) if code else None


def is_class(code: str) -> bool:
    """The code's first three digits are a 类 of its scheme."""
    ranges = CLASSES.get(scheme_of(code) or "", []) if len(code) >= 3 and code[:3].isdigit() else []
    return any(lo <= int(code[:3]) <= hi for lo, hi in ranges)


def parent_of(code: str | None) -> str | None:
    """The code one level up (2010101 → 20101); None for a 类 or no code."""
    return code[:-2] if code and len(code) > 3 else None


def is_code(s: str) -> bool:
    """A whole cell that is a joined code: 3, 5 or 7 digits starting with a scheme digit."""
    return bool(_JOINED.fullmatch(s.strip()))


def split_code_prefix(text: str) -> tuple[str | None, str]:
    """'206 01 01 行政运行' → ('2060101', '行政运行'); text without a code → (None, text)."""
    m = CODE_PREFIX.match(text)
    if not m:
        return None, text
    code = re.sub(r"\s", "", m.group("code"))
    if len(code) not in LEVEL_BY_LENGTH or not is_class(code):  # 12345 热线, 242 (a unit's number)
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
