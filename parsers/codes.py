"""Rows printed without a code get one by name or from their children's codes (code parsing, scheme and level themselves live in
parsers/normalise/codes.py)."""

from __future__ import annotations

from collections.abc import Iterator

from parsers.kinds import classified_kinds
from parsers.normalise.codes import DIGIT_BY_SCHEME, LENGTH_BY_LEVEL, level_of
from parsers.normalise.names import loose_name
from parsers.normalise.reference import class_names, learned_names, reference_names


def match_codes_by_name(tables: list) -> int:
    """Rows printed without a code get one where their name is unambiguous, or where the codes of
    their children leave only one (`_code_from_children`); each found code narrows the next.

    Returns how many rows got a code."""
    index = _name_index(tables)
    matched = 0
    while True:
        found = sum(_match_by_name(t, index) + _code_from_children(t) for t in tables)
        if not found:
            return matched
        matched += found


def _name_index(tables: list) -> dict[str, set[str]]:
    """Loose name → the codes it is printed with (this report's coded rows of classification
    tables, then the lists)."""
    index: dict[str, set[str]] = {}
    classified = classified_kinds()
    for t in tables:
        for r in t.rows if t.kind in classified else ():
            if r.code and r.code_source == "printed":
                index.setdefault(loose_name(r.name), set()).add(r.code)
    for names in reference_names().values():
        for code, name in names.items():
            index.setdefault(loose_name(name), set()).add(code)
    for name, code in class_names().items():
        index.setdefault(name, set()).add(code)
    for code, name in learned_names():
        index.setdefault(loose_name(name), set()).add(code)
    return index


def _match_by_name(t, index: dict[str, set[str]]) -> int:
    """Candidates by name, narrowed by the table's scheme, the row's level (from indentation) and
    the code matched for the row's parent, so 行政运行 under 20101 is 2010101 and not one of the
    forty other 行政运行. When no code of that level has the name, the level is dropped (深圳
    indents its units, so 工资福利支出 sits one step in, where the two-level 经济分类 has no 类),
    except under a parent row that has no code yet: it waits for that parent."""
    matched = 0
    parents: dict[int, str | None] = {}
    taken: dict[str | None, set[str]] = {}  # unit → codes its rows have (a name never gives one twice)
    for x in t.rows:
        if x.code:
            taken.setdefault(x.unit, set()).add(x.code)
    for r in t.rows:
        if r.code:
            parents[level_of(r.code) or 0] = r.code
            continue
        key = loose_name(r.name)  # a blank name names nothing (the index may hold coded rows with none)
        named = {c for c in index.get(key, set()) if not r.scheme or c[0] == DIGIT_BY_SCHEME.get(r.scheme, c[0])} \
            if key else set()
        cands = named
        if r.level:
            cands = {c for c in named if len(c) == LENGTH_BY_LEVEL[r.level]}
            parent = parents.get(r.level - 1)
            if parent:
                cands = {c for c in cands if c.startswith(parent)}
            if not cands and parents.get(r.level - 1, "") is not None:
                cands = {c for c in named - taken.get(r.unit, set())
                         if len(c) == 3 or any(c.startswith(p) for p in parents.values() if p)}
        if len(cands) == 1:
            (code,) = cands
            r.code, r.level, r.code_source = code, level_of(code), "name"
            taken.setdefault(r.unit, set()).add(code)
            matched += 1
        if r.level:
            parents[r.level] = r.code
            for deeper in range(r.level + 1, 4):
                parents.pop(deeper, None)
    return matched


def rows_below(rows: list, i: int) -> Iterator[tuple[object, int]]:
    """(row, level) of the rows printed under rows[i]: those after it, until the next row at its
    level or above; rows of no known level are passed over."""
    level = rows[i].level or level_of(rows[i].code)
    for r in rows[i + 1:]:
        lv = r.level or level_of(r.code)
        if lv is None:
            continue
        if level is None or lv <= level:
            return
        yield r, lv


def _code_from_children(t) -> int:
    """An uncoded 类/款 row whose coded children all share one parent code gets that code.

    杭州 prints no codes; 2080199 其他人力资源和社会保障管理事务支出 is matched by name, its
    parent 人力资源和社会保障管理事务 is in no list, yet it can only be 20801. Kept only when the
    prefix is under the row's own coded parent and no other row of the table has it."""
    used = {r.code for r in t.rows if r.code}
    matched = 0
    for i, r in enumerate(t.rows):
        if r.code or r.level not in (1, 2):
            continue
        prefixes = {c.code[:LENGTH_BY_LEVEL[r.level]] for c, lv in rows_below(t.rows, i) if lv == r.level + 1 and c.code}
        if len(prefixes) != 1:
            continue
        (code,) = prefixes
        parent = next((p.code for p in reversed(t.rows[:i]) if (p.level or level_of(p.code) or 9) < r.level), None)
        if code in used or (r.level > 1 and not (parent and code.startswith(parent))) \
                or (r.scheme and code[0] != DIGIT_BY_SCHEME.get(r.scheme, code[0])):
            continue
        r.code, r.code_source = code, "inferred"
        used.add(code)
        matched += 1
    return matched
