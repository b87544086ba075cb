"""Guess year / kind / scope from a link text or article title.

Titles are the only metadata a portal gives before the PDF is parsed; the guess lets a caller
label or filter downloads early. The parser's reading of the PDF itself stays authoritative.
"""

from __future__ import annotations

import re
from typing import TypedDict

from parsers.vocab import load_template


class Meta(TypedDict):
    year: int | None
    kind: str | None  # 'budget' | 'final_accounts' | None
    scope: str | None  # 'department' | 'unit' | None


def guess_meta(text: str | None) -> Meta:
    """year (first 20xx), kind (预算 → budget, 决算 → final_accounts), scope (部门 / 单位).

    Ambiguous text (预决算, or both 部门预算 and 单位预算) gives None rather than a wrong guess.
    """
    words = load_template("meta.yaml")["link_text"]  # the vocabulary: parsers/templates/meta.yaml

    def says(key: str) -> bool:
        return re.search(words[key], t) is not None

    t = re.sub(r"\s+", "", text or "")
    m = re.search(words["year"], t)
    year = int(m.group(1)) if m else None

    budget, final = says("budget"), says("final_accounts")
    kind = None if budget == final else ("budget" if budget else "final_accounts")

    unit_adj, dept_adj = says("unit_adjacent"), says("department_adjacent")
    if unit_adj != dept_adj:
        scope: str | None = "unit" if unit_adj else "department"
    elif unit_adj:  # both adjacent: ambiguous
        scope = None
    elif says("unit") != says("department"):
        scope = "unit" if says("unit") else "department"
    else:
        scope = None
    return {"year": year, "kind": kind, "scope": scope}
