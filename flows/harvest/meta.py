"""Guess year / kind / scope from a link text or article title.

Titles are the only metadata a portal gives before the PDF is parsed; the guess lets a caller
label or filter downloads early. The parser's reading of the PDF itself stays authoritative.
"""

from __future__ import annotations

import re
from typing import TypedDict

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


class Meta(TypedDict):
    year: int | None
    kind: str | None  # 'budget' | 'final_accounts' | None
    scope: str | None  # 'department' | 'unit' | None


def guess_meta(text: str | None) -> Meta:
    """year (first 20xx), kind (预算 → budget, 决算 → final_accounts), scope (部门 / 单位).

    Ambiguous text (预决算, or both 部门预算 and 单位预算) gives None rather than a wrong guess.
    """
    t = re.sub(r"\s+", "", text or "")
    m = _YEAR.search(t)
    year = int(m.group(1)) if m else None

    budget = "预算" in t or "预决算" in t
    final = "决算" in t
    kind = None if budget == final else ("budget" if budget else "final_accounts")

    unit_adj = re.search(r"单位(?:预算|决算|预决算)", t) is not None
    dept_adj = re.search(r"部门(?:预算|决算|预决算)", t) is not None
    if unit_adj != dept_adj:
        scope: str | None = "unit" if unit_adj else "department"
    elif unit_adj:  # both adjacent: ambiguous
        scope = None
    elif ("单位" in t) != ("部门" in t):
        scope = "unit" if "单位" in t else "department"
    else:
        scope = None
    return {"year": year, "kind": kind, "scope": scope}
