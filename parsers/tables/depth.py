"""Group lines of 采购 and 项目 tables: a category, a project or a unit over its items.

Such a table prints a category, a project or a unit with its sum above the lines it sums
(一、货物 | 办公设备购置费 | 台式计算机 …), so summing every row counts the money two or three
times. A row's depth and whether it is a group line come from where its label starts (a
column further right, an indent: assign_depths, for tables printed without codes) or from
the sums alone (depths_from_sums: 西安 prints every name at one place, and its 采购表 prints
全额, the unit and the items under one function code). Either is kept only when the
arithmetic agrees: every group line equals the sum of the lines directly under it, the top
lines add up to the printed total or subtotal, and exactly one reading does so. A table where
none does keeps no depths: position alone says too little to mark a line as a sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from parsers.document import Table

# Label starts closer than this (points) are one place: text flavors jitter by 1-3 pt.
DEPTH_TOLERANCE_PT = 4.0
# More distinct label starts than this is not a printed hierarchy (centred names, say).
MAX_STARTS = 10
MAX_DEPTH = 3  # category, subcategory, project: the deepest the corpus prints
SEARCH_BUDGET = 20_000  # steps of the search for one unit's lines before it counts as no answer


def assign_depths(t: Table, label_xs: list[float | None], step: float) -> bool:
    """Set depth (1 = outermost) and group on t.rows, one label x per row; True when set.

    Places further right are deeper, but not every place is a depth of its own (a 经济科目
    printed where a project's name is blank sits between the project and its items, and is
    the project's peer), so each way of merging neighbouring places is tried, and the one with
    the fewest depths that the sums confirm is taken; two such ways that disagree are no answer.
    `step` is one unit of the printed figures' last digit in 元 (100 for 万元 with two
    decimals): each printed figure is rounded by up to half of it."""
    if len(label_xs) != len(t.rows) or len(t.rows) < 3 or any(x is None for x in label_xs):
        return False
    xs = [float(x) for x in label_xs if x is not None]
    starts = clusters(xs)
    if not 2 <= len(starts) <= MAX_STARTS:
        return False
    key = "total" if all("total" in r.values for r in t.rows) else next(iter(t.columns), None)
    if key is None or not all(key in r.values for r in t.rows):
        return False
    values = [r.values[key] for r in t.rows]
    printed = t.total.get(key) if t.total else None
    place = [max(i for i, s in enumerate(starts) if x >= s - DEPTH_TOLERANCE_PT) for x in xs]
    found: list[list[int]] = []
    for cuts in range(1, 2 ** (len(starts) - 1)):  # bit i: a new depth begins at place i + 1
        depth_of = [1]
        for i in range(1, len(starts)):
            depth_of.append(depth_of[-1] + (cuts >> (i - 1) & 1))
        depths = [depth_of[p] for p in place]
        if _confirmed(depths, values, printed, step):
            found.append(depths)
    fewest = [d for d in found if max(d) == min((max(f) for f in found), default=0)]
    if not fewest or any(d != fewest[0] for d in fewest):
        return False
    _set(t, fewest[0])
    return True


def depths_from_sums(t: Table, step: float) -> bool:
    """Depth and group from the sums alone, for a table that prints no sign of its hierarchy
    (西安 专项业务经费: 通用项目 over 大型活动 over 法治建设会议, every name at one place): each
    unit's lines are read as the one way of nesting them, at most MAX_DEPTH deep, in which
    every group line is the sum of the lines under it and the top lines add up to the unit's
    printed subtotal (the table's total when it lists one unit). Two ways, none, or a search
    too long to finish are no answer."""
    key = "total" if t.rows and all("total" in r.values for r in t.rows) else None
    if key is None or any(r.values[key] < 0 for r in t.rows):
        return False
    subtotals: dict[str | None, list[float]] = {}
    for item in t.items:
        if item.key == "unit_total" and key in item.values:
            subtotals.setdefault(item.label, []).append(item.values[key])
    runs: list[list[int]] = []
    for i, r in enumerate(t.rows):
        if runs and t.rows[runs[-1][0]].unit == r.unit:
            runs[-1].append(i)
        else:
            runs.append([i])
    if len(runs) == 1 and t.total.get(key) is not None:
        subtotals.setdefault(t.rows[0].unit, []).append(t.total[key])
    depths: list[int] = []
    for run in runs:
        values = [t.rows[i].values[key] for i in run]
        found: set[tuple[int, ...]] = set()
        for target in subtotals.get(t.rows[run[0]].unit, []):
            nestings = _nestings(values, target, step)
            if nestings is None:
                return False
            found |= {tuple(d) for d in nestings}
        if len(found) != 1:
            return False
        depths += found.pop()
    values = [r.values[key] for r in t.rows]
    if not any(_evidence(depths, values, i) for i in range(len(depths))):
        return False
    _set(t, depths)
    return True


def _set(t: Table, depths: list[int]) -> None:
    for i, (row, depth) in enumerate(zip(t.rows, depths, strict=True)):
        row.depth, row.group = depth, bool(_children(depths, i))


def _within(difference: float, terms: int, step: float) -> bool:
    """A sum of `terms` printed figures, each rounded by up to half a `step`, against one more."""
    return abs(difference) <= step / 2 * (terms + 1)


def _nestings(values: list[float], target: float, step: float) -> list[list[int]] | None:
    """Up to two nestings (depth per line) of `values` whose top lines sum to `target`; None
    when the search runs out of its budget."""
    n, budget = len(values), [SEARCH_BUDGET]

    def sequence(i: int, depth: int, rest: float, terms: int) -> Iterator[tuple[int, list[int]]]:
        """Lines i… as subtrees at `depth` whose top lines use up `rest`: (end, depths)."""
        for j, sub in subtree(i, depth):
            left = rest - values[i]
            if _within(left, terms + 1, step):
                yield j, sub
            if j < n and left > step / 2 * (terms + 2):
                for k, more in sequence(j, depth, left, terms + 1):
                    yield k, sub + more

    def subtree(i: int, depth: int) -> Iterator[tuple[int, list[int]]]:
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooLong
        yield i + 1, [depth]
        if depth < MAX_DEPTH and i + 1 < n and values[i] > 0:
            for j, kids in sequence(i + 1, depth + 1, values[i], 0):
                yield j, [depth] + kids

    out: list[list[int]] = []
    try:
        for end, found in sequence(0, 1, target, 0):
            if end == n and found not in out:
                out.append(found)
                if len(out) == 2:
                    break
    except _TooLong:
        return None
    return out


class _TooLong(Exception):
    """The search for a nesting ran out of its budget."""


def _evidence(depths: list[int], values: list[float], i: int) -> bool:
    """Row i is a group line over two or more non-zero lines."""
    return sum(1 for k in _children(depths, i) if values[k]) >= 2


def _confirmed(depths: list[int], values: list[float], printed: float | None, step: float) -> bool:
    """Every group line is the sum of the rows directly under it, one of them has two or more
    non-zero rows under it (0 = 0 + 0, or one row equal to another, proves nothing), and the
    top rows add up to the printed total."""
    for i in range(len(depths)):
        kids = _children(depths, i)
        if kids and not _within(values[i] - sum(values[k] for k in kids), len(kids), step):
            return False
    top = [i for i, d in enumerate(depths) if d == min(depths)]
    if printed is not None and not _within(printed - sum(values[i] for i in top), len(top), step):
        return False
    return any(_evidence(depths, values, i) for i in range(len(depths)))


def _children(depths: list[int], i: int) -> list[int]:
    """The rows directly under row i: those of the shallowest depth among the rows that follow
    it up to the next row at its depth or above."""
    below = []
    for j in range(i + 1, len(depths)):
        if depths[j] <= depths[i]:
            break
        below.append(j)
    if not below:
        return []
    nearest = min(depths[j] for j in below)
    return [j for j in below if depths[j] == nearest]


def clusters(xs: Iterable[float], tolerance: float = DEPTH_TOLERANCE_PT) -> list[float]:
    """Distinct places more than `tolerance` apart, left to right (the first of each cluster)."""
    out: list[float] = []
    for x in sorted(set(xs)):
        if not out or x - out[-1] > tolerance:
            out.append(x)
    return out
