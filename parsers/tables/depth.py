"""Group lines of tables printed without codes: a 政府采购 category, a project over its items.

Such a table prints its hierarchy by where a row's label starts (a column further right, or an
indent): 一、货物 | 办公设备购置费 | 台式计算机 … Each group line is the sum of the rows under it,
so summing every row counts the money two or three times. A row's depth is the rank of where
its label starts; it is kept only when the arithmetic agrees: every group line equals the sum of
the rows one depth below it, and the top rows add up to the printed total. A table where it does
not agree keeps no depths: position alone says too little to mark a line as a sum.
"""

from __future__ import annotations

from parsers.document import Table

# Label starts closer than this (points) are one place: text flavors jitter by 1-3 pt.
DEPTH_TOLERANCE_PT = 4.0
# More distinct label starts than this is not a printed hierarchy (centred names, say).
MAX_STARTS = 10


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
    starts = _clusters(xs)
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
    for row, depth, i in zip(t.rows, fewest[0], range(len(t.rows)), strict=True):
        row.depth, row.group = depth, bool(_children(fewest[0], i))
    return True


def _confirmed(depths: list[int], values: list[float], printed: float | None, step: float) -> bool:
    """Every group line is the sum of the rows directly under it, one of them has two or more
    non-zero rows under it (0 = 0 + 0, or one row equal to another, proves nothing), and the
    top rows add up to the printed total."""
    evidence = False
    for i in range(len(depths)):
        kids = _children(depths, i)
        if not kids:
            continue
        if abs(values[i] - sum(values[k] for k in kids)) > step / 2 * (len(kids) + 1):
            return False
        evidence = evidence or sum(1 for k in kids if values[k]) >= 2
    top = [i for i, d in enumerate(depths) if d == min(depths)]
    if printed is not None and abs(printed - sum(values[i] for i in top)) > step / 2 * (len(top) + 1):
        return False
    return evidence


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


def _clusters(xs: list[float]) -> list[float]:
    """Distinct label starts more than DEPTH_TOLERANCE_PT apart, left to right."""
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > DEPTH_TOLERANCE_PT:
            out.append(x)
    return out
