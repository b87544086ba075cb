"""Rows printed without a code get one by name (code parsing, scheme and level themselves live in
parsers/normalise/codes.py)."""

from __future__ import annotations

from parsers.normalise.codes import DIGIT_BY_SCHEME, LENGTH_BY_LEVEL, level_of
from parsers.normalise.names import loose_name
from parsers.normalise.reference import class_names, learned_names, reference_names


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
                index.setdefault(loose_name(r.name), set()).add(r.code)
    for names in reference_names().values():
        for code, name in names.items():
            index.setdefault(loose_name(name), set()).add(code)
    for name, code in class_names().items():
        index.setdefault(name, set()).add(code)
    for code, name in learned_names():
        index.setdefault(loose_name(name), set()).add(code)
    matched = 0
    for t in tables:
        parents: dict[int, str | None] = {}
        for r in t.rows:
            if r.code:
                parents[level_of(r.code) or 0] = r.code
                continue
            cands = {c for c in index.get(loose_name(r.name), set())
                     if not r.scheme or c[0] == DIGIT_BY_SCHEME.get(r.scheme, c[0])}
            if r.level:
                cands = {c for c in cands if len(c) == LENGTH_BY_LEVEL[r.level]}
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
