"""Which value key each ruled column of a table holds, from the page's rules and the header
label printed in the column.

The text check matches a printed line's figures to its row as a set, and learns where each key
prints from lines whose figures match one key only. Where two columns hold equal figures on
every line (合计 = 财政拨款收入 when a unit has one source of funds), no line tells them apart
and a shift between them matched either way round (上海普陀 收入总表: 合计 read 0, its figure
under 事业收入). The rules the page prints say which column a figure stands in.
"""

from __future__ import annotations

from collections import Counter

from parsers.document import Table
from parsers.locate import Located, header_rows
from parsers.normalise.names import normalise_name


def ruled_keys(t: Table, loc: Located, page: int) -> list[tuple[float, float, str]]:
    """(x0, x1, key) of each ruled column on the page whose lowest header label names exactly
    one of the table's keys; a key two columns would name is left out."""
    by_label: dict[str, list[str]] = {}
    for key, label in t.columns.items():
        by_label.setdefault(normalise_name(label.split("/")[-1]) or "", []).append(key)
    spans = []
    for g in loc.parts:
        if g.page != page or g.flavor != "lattice" or not g.cells:
            continue
        h = header_rows(g)
        if not 0 < h < g.n_rows:
            continue
        for c in range(g.n_cols):
            texts = [g.text(r, c) for r in range(h) if g.text(r, c).strip()]
            keys = by_label.get(normalise_name(texts[-1]) or "", []) if texts else []
            if len(keys) == 1:
                spans.append((g.cells[h][c].x0, g.cells[h][c].x1, keys[0]))
    named = Counter(k for _, _, k in spans)
    return [s for s in spans if named[s[2]] == 1]
