"""Money: printed amounts → Decimal, and the one `to_yuan` that scales a printed unit
(元/千元/万元/亿元) to 元. Built from strings, never through float arithmetic, so a printed
52.40 万元 is exactly 524000.00 元 in tables, narrative facts and the warehouse alike.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# An amount as tables print it: thousands separators or decimals (plain integers are too
# ambiguous with codes to *detect* an amount; inside a known amount column they parse fine).
AMOUNT_TOKEN = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d.]|,\d{3})")

SCALE = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
# Longest first, for regex alternations ('万元' before '元').
MONEY_UNITS = tuple(sorted(SCALE, key=len, reverse=True))
MONEY_UNIT = re.compile(r"(?:金额)?单\s*位\s*[:：]?\s*[（(]?\s*(亿元|万元|千元|元)")
# A table's unit printed without 单位: a bare 万元 alone on its line or after a gap at its end
# (编制单位：某局        万元; never a prose figure's "100.00 万元"; a bare 元 is what a wrapped
# 单位：万|元 leaves on the next line), in brackets after a header label (合计（万元）, 金额(元)),
# or wrapped (单位：万 at the line's end). Only for a table's title area and header rows.
UNIT_ALONE = re.compile(r"(?:^|(?<![\d.,%\s])\s+)[（(]?(亿元|万元|千元)[)）]?\s*$")
UNIT_BRACKETED = re.compile(r"[（(]\s*(亿元|万元|千元|元)\s*[)）]")
UNIT_WRAPPED = re.compile(r"单\s*位\s*[:：]\s*(亿|万|千)\s*$")
BLANKS = {"", "-", "--", "—", "——", "－", "/", "…", "0-", "*", "x", "X", "—-"}
_CLEAN = re.compile(r"[\s,，\u3000]")
CENT = Decimal("0.01")


def find_money_unit(text: str) -> str | None:
    """The unit a '单位：万元' line declares, or None."""
    m = MONEY_UNIT.search(text)
    return m.group(1) if m else None


def find_table_unit(text: str) -> str | None:
    """The unit a table's title area or header cell prints: a 单位 line (wrapped too), else a
    bare unit alone at the line's end, else one in brackets; None when it prints none."""
    if u := find_money_unit(text):
        return u
    if m := UNIT_WRAPPED.search(text):
        return m.group(1) + "元"
    m = UNIT_ALONE.search(text) or UNIT_BRACKETED.search(text)
    return m.group(1) if m else None


def parse_amount(cell: str | None) -> Decimal | None:
    """Cell text → Decimal in the printed unit; None for text; 0 for the blank markers.

    Handles thousands separators, six-decimal 万元, '-' / '—' blanks, '(12.00)' and
    '-12.00' negatives, and a stray trailing '万元'/'元'. Percentages are not amounts.
    """
    if cell is None:
        return None
    s = _CLEAN.sub("", str(cell))
    if s in BLANKS:
        return Decimal(0)
    if s.endswith("%"):
        return None
    for suffix in ("万元", "元"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
    neg = False
    if s.startswith(("(", "（")) and s.endswith((")", "）")):
        s, neg = s[1:-1], True
    if s.startswith(("−", "－")):
        s = "-" + s[1:]
    if not re.fullmatch(r"-?(?:\d+(?:\.\d*)?|\.\d+)", s):
        return None
    try:
        v = Decimal(s)
    except InvalidOperation:
        return None
    return -v if neg else v


def scale_of(money_unit: str | None) -> Decimal:
    """元 per printed unit; an unknown or missing unit is 元."""
    return SCALE.get(money_unit or "元", Decimal(1))


def to_yuan(value: Decimal | str, money_unit: str | None) -> Decimal:
    """Printed value (Decimal, or a figure such as '1,234.5') → 元, rounded half-up to the cent."""
    if isinstance(value, str):
        value = Decimal(value.replace(",", ""))
    return (value * scale_of(money_unit)).quantize(CENT, rounding=ROUND_HALF_UP)


def step_yuan(money_unit: str | None, decimals: int) -> Decimal:
    """One unit of the last printed digit, in 元 (万元 with 2 decimals → 100): a rounding tolerance."""
    return scale_of(money_unit) / (Decimal(10) ** decimals)


def decimals_of(cell: str) -> int:
    """Digits after the decimal point as printed: sets the rounding tolerance of a sum."""
    s = _CLEAN.sub("", cell)
    return len(s.split(".", 1)[1]) if "." in s else 0
