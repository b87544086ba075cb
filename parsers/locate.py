"""Find the tables of a report: title → kind, 表N label, 单位 line, continuation pages.

Tables are identified by the title printed above them (matched against the ordered rules
of templates/tables.yaml), never by position or 表N number. A grid with no title above it
continues the table before it when its columns line up (continuation pages with or without
a repeated header). A title with no grid under it is an empty table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.amounts import AMOUNT_TOKEN, find_money_unit, find_table_unit
from parsers.extract import Grid, PageLayout, TextLine
from parsers.headers import TABLE_META, clean, is_body_row, is_column_number_row
from parsers.kinds import LAYOUT, classify_title, label_pattern, normalise_title
from parsers.vocab import pattern

# Points a line may touch a grid's edge and still be outside it (text and ruling lines share edges).
EDGE_PT = 1
# A table continues on the next page only: a grid two pages on starts a table of its own.
CONTINUATION_PAGE_GAP = 1
# A 表N label prints on a short line; a longer line that mentions 表3 is prose.
LABEL_LINE_MAX_CHARS = 40
# A unit name has at least two characters (单位：局 is a cut-off label).
UNIT_NAME_MIN_CHARS = 2
# Columns line up when their left edges are this close (points): text flavors jitter by 1-3 pt.
ALIGN_TOLERANCE_PT = 4
# ... for this share of the new grid's columns (one merged or split column is tolerated).
ALIGNED_SHARE = 0.8
# A repeated header has at least this much text; shorter ones (类 款) say nothing.
SAME_HEADER_MIN_CHARS = 4
# A header that only partly repeats the first page's must have this much text to count.
PARTIAL_HEADER_MIN_CHARS = 8
# A continuation page's header may hold a few more (or fewer) cells than the first page's, in
# another order (a line above the grid read into it), and a text flavor may join two header
# cells on one page only ('类款项' against '款项'): the same when at least this many distinct
# words, and this share of the smaller set of cells, are in both.
SAME_HEADER_MIN_CELLS = 6
SAME_HEADER_SHARE = 0.8
# Under a title with no grid: figures printed this far below it (points) were a table camelot missed.
BELOW_TITLE_PT = 160
# ... and a money unit or 表N label within this distance around it makes the line a title, not prose.
AROUND_TITLE_PT = 60
# A grid that starts this close below a title (points) belongs to it: the title is not gridless.
GRID_BELOW_TITLE_PT = 200
# Figure lines under a gridless title that show a table camelot could not read.
MISSED_FIGURE_LINES = 2
# More gridless titles than this on one page: a contents page, not empty tables.
MAX_GRIDLESS_TITLES = 2
# Rows of a grid that name a table each: a list of tables (a contents page), never a table.
MIN_LISTED_TITLES = 3
# Rows at the top of a grid that may hold its own title, 表N and 单位 lines (Beijing 预算01表).
TITLE_ROWS_MAX = 6
# Rows at the top of a grid that may print the money unit (besides its header rows: 合计（万元）).
UNIT_ROWS_MAX = 2
# An empty-table note is one short line; a longer one is prose that mentions 空表.
NOTE_MAX_CHARS = 120


@dataclass
class Located:
    """One logical table: its kind rule, what is printed around it, and its grid parts."""

    kind: str
    rule: dict
    title: str
    label: str | None = None
    money_unit: str | None = None
    unit: str | None = None
    parts: list[Grid] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    note: str | None = None
    title_line: TextLine | None = None
    zones: dict[int, list[TextLine]] = field(default_factory=dict)  # id(grid) → text lines above it

    def add(self, grid: Grid, zone: list[TextLine] | None = None) -> None:
        self.parts.append(grid)
        self.zones[id(grid)] = zone or []
        if grid.page not in self.pages:
            self.pages.append(grid.page)


def _label_of(lines: list[TextLine]) -> str | None:
    for ln in lines:
        t = clean(ln.text)
        m = label_pattern().search(t)
        if m and len(t) <= LABEL_LINE_MAX_CHARS:
            return re.sub(r"\s", "", m.group(0))
    return None


def _unit_of(lines: list[TextLine]) -> str | None:
    for ln in lines:
        m = pattern(LAYOUT, "unit_line").search(ln.text.replace(" ", ""))
        if m:
            name = pattern(LAYOUT, "unit_line_end").split(m.group(1))[0]
            if len(name) >= UNIT_NAME_MIN_CHARS and not pattern(LAYOUT, "unit_line_money").match(name):
                return name
    return None


def _title_in(lines: list[TextLine]) -> tuple[dict, str, TextLine] | None:
    """The title closest above a grid: the last title-like line of the zone (or two joined)."""
    found = None
    for i, ln in enumerate(lines):
        rule = classify_title(ln.text)
        if rule:
            found = (rule, ln.text.strip(), ln)
        elif i + 1 < len(lines):
            joined = ln.text.strip() + lines[i + 1].text.strip()
            rule = classify_title(joined)
            if rule and not classify_title(lines[i + 1].text):
                found = (rule, joined, ln)
    return found


def _aligned(a: Grid, b: Grid) -> bool:
    """b's columns line up with a's (same count, or the same x positions)."""
    if a.n_cols == b.n_cols:
        return True
    if not a.cells or not b.cells:
        return False
    xa = [c.x0 for c in a.cells[-1]]
    xb = [c.x0 for c in b.cells[0]]
    hits = sum(1 for x in xb if any(abs(x - y) < ALIGN_TOLERANCE_PT for y in xa))
    return hits >= ALIGNED_SHARE * len(xb)


def header_rows(grid: Grid) -> int:
    """Rows before the first body row (a code, an amount, a 合计 line with figures)."""
    for r in range(grid.n_rows):
        if is_body_row(grid.row_texts(r)):
            return r
        if is_column_number_row(grid.row_texts(r)):
            return r + 1
    return grid.n_rows


def _same_header(a: Grid, b: Grid) -> bool:
    """b repeats a's header. Compared as text, because a text flavor may split the repeated
    header differently, or drop a column that is empty on the continuation page."""
    ha, hb = header_rows(a), header_rows(b)
    if not ha or not hb or hb >= b.n_rows:
        return False
    # the 单位/单位名称 line may or may not be inside the grid; a wrapped name may end b's header
    ta = "".join(clean(t) for r in range(ha) for t in a.row_texts(r) if not TABLE_META.match(clean(t)))
    tb = "".join(clean(t) for r in range(hb) for t in b.row_texts(r) if not TABLE_META.match(clean(t)))
    partial = PARTIAL_HEADER_MIN_CHARS
    if len(tb) >= SAME_HEADER_MIN_CHARS and (
            ta == tb or (len(tb) >= partial and (tb in ta or (len(ta) >= partial and tb.startswith(ta))))):
        return True
    ca, cb = _header_cells(a, ha), _header_cells(b, hb)
    both = len(ca & cb)
    return both >= SAME_HEADER_MIN_CELLS and both >= SAME_HEADER_SHARE * min(len(ca), len(cb))


def _header_cells(g: Grid, h: int) -> set[str]:
    """The distinct words of a grid's header rows, 2+ characters each (类/款 say nothing)."""
    return {c for r in range(h) for t in g.row_texts(r) if len(c := clean(t)) >= 2 and not TABLE_META.match(c)}


def locate(pages: list[PageLayout]) -> tuple[list[Located], list[str]]:
    """All tables of the document in print order, and notes on grids that fit nowhere."""
    out: list[Located] = []
    notes: list[str] = []
    last_unit_money: str | None = None
    carried: list[TextLine] = []  # lines under the last table of the page before
    for pl in pages:
        grids = sorted(pl.grids, key=lambda g: -g.bbox[3])
        upper = pl.height + EDGE_PT
        used_titles: set[int] = set()
        for i, g in enumerate(grids):
            zone = pl.lines_between(upper, g.bbox[3] - EDGE_PT)
            upper = g.bbox[1]
            listed = _listed_titles(g)
            if listed >= MIN_LISTED_TITLES:
                notes.append(f"page {pl.number}: a list of {listed} table titles (a contents page), not a table")
                used_titles.update(id(ln) for ln in _inside(pl, g))
                continue
            hit = _title_in(zone)
            if not hit:  # the title printed inside the table's frame (or swallowed by a text flavor)
                zone = zone + _trim_title_rows(g)
                hit = _title_in(zone)
            if not hit and i == 0 and carried and header_rows(g):
                hit = _title_in(carried)  # a title left at the foot of the page before its table
                zone = carried + zone
                if hit:  # it was taken for an empty table there: it is this one
                    out[:] = [t for t in out if t.parts or t.title_line is not hit[2]]
            money = None
            for ln in zone:
                money = find_table_unit(ln.text) or money
            prev = next((x for x in reversed(out) if x.parts), None)
            if hit:
                rule, title, tline = hit
                title = title.lstrip("、，,.． ")  # a numbering character the layout split off
                used_titles.add(id(tline))
                after = [ln for ln in zone if ln.y1 <= tline.y1]
                unit = _unit_of(after) or _unit_of(zone)
                if (prev and prev.title == title and prev.pages[-1] >= pl.number - CONTINUATION_PAGE_GAP
                        and (prev.unit == unit or not unit) and _aligned(prev.parts[0], g)):
                    prev.add(g, zone)  # the title repeated on a continuation page
                    continue
                loc = Located(kind=rule["kind"], rule=rule, title=title, label=_label_of(zone),
                              money_unit=money or _first_row_unit(g), unit=unit, title_line=tline)
                loc.note = _note(zone) or _note(_inside(pl, g))
                loc.add(g, [ln for ln in zone if ln.y1 < tline.y0 + EDGE_PT])
                out.append(loc)
                last_unit_money = loc.money_unit or last_unit_money
                if loc.money_unit is None:
                    loc.money_unit = last_unit_money
                continue
            if prev and prev.pages[-1] >= pl.number - CONTINUATION_PAGE_GAP and _continues(prev, g):
                prev.add(g, zone)
                continue
            notes.append(f"page {pl.number}: a {g.n_rows}x{g.n_cols} {g.flavor} table with no recognisable title")
        # titles with no grid under them: empty tables (or tables camelot could not see)
        carried = pl.lines_between(upper, -EDGE_PT) if pl.lines else []
        titled_here = {normalise_title(t.title) for t in out if pl.number in t.pages}
        gridless = []
        for ln in pl.lines:
            if id(ln) in used_titles or normalise_title(ln.text) in titled_here:
                continue
            rule = classify_title(ln.text)
            if not rule:
                continue
            below = pl.lines_between(ln.y0, ln.y0 - BELOW_TITLE_PT)
            around = pl.lines_between(ln.y1 + AROUND_TITLE_PT, ln.y0 - AROUND_TITLE_PT)
            if not any(find_money_unit(x.text) for x in around) and not _label_of(around):
                continue  # a mention in prose, not a table
            if any(g.bbox[3] < ln.y0 and g.bbox[3] > ln.y0 - GRID_BELOW_TITLE_PT for g in pl.grids):
                continue
            if sum(1 for x in below if AMOUNT_TOKEN.search(x.text)) >= MISSED_FIGURE_LINES:
                notes.append(f"page {pl.number}: table '{ln.text.strip()}' has figures but no readable grid")
            loc = Located(kind=rule["kind"], rule=rule, title=ln.text.strip(), label=_label_of(around),
                          money_unit=next((find_money_unit(x.text) for x in around if find_money_unit(x.text)), None),
                          unit=_unit_of(around), title_line=ln)
            loc.note = _note(below)
            loc.pages.append(pl.number)
            gridless.append(loc)
        if len(gridless) <= MAX_GRIDLESS_TITLES:
            out.extend(gridless)
    out.sort(key=lambda t: (t.pages[0], -(t.title_line.y1 if t.title_line else 0)))
    return out, notes


def _listed_titles(g: Grid) -> int:
    """Rows that each name a table: Xi'an's 目录 is a ruled grid of 表N titles (with 是否空表
    columns), and a text flavor reads a list of titles in prose as a one-column grid."""
    return sum(1 for r in range(g.n_rows) if classify_title(" ".join(t for t in g.row_texts(r) if t.strip())))


def _trim_title_rows(g: Grid) -> list[TextLine]:
    """Title, 表N and 单位 lines printed inside the table's frame (Beijing 预算01表), or swallowed
    by a text flavor: take them back out of the grid and hand them to the title search."""
    cut = 0
    for r in range(min(TITLE_ROWS_MAX, g.n_rows)):
        text = " ".join(t for t in g.row_texts(r) if t.strip())
        if classify_title(text) or find_money_unit(text) or pattern(LAYOUT, "unit_line").search(text.replace(" ", "")) \
                or (label_pattern().fullmatch(clean(text)) if clean(text) else False):
            cut = r + 1
    lines = []
    for r in range(cut):
        cells = [c for c in g.cells[r] if c.text.strip()]
        if cells:
            lines.append(TextLine(cells[0].x0, cells[0].y0, cells[-1].x1, cells[0].y1,
                                  " ".join(c.text for c in cells)))
    g.cells = g.cells[cut:]
    return lines


def _continues(prev: Located, g: Grid) -> bool:
    """A grid with no title above it carries on the table before it: same header repeated,
    or no header at all and columns that line up (summary pages may hold labels only)."""
    if _same_header(prev.parts[0], g):
        return True
    if all(header_rows(p) >= p.n_rows for p in prev.parts) and prev.pages[-1] == g.page - CONTINUATION_PAGE_GAP:
        return True  # the page broke after the table's header: its body is this grid
    if not _aligned(prev.parts[-1], g):
        return False
    if header_rows(g) == 0:
        return True
    first = [clean(t) for t in g.row_texts(0)] if g.n_rows else []
    header_words = pattern(LAYOUT, "header_words")
    return not any(header_words.match(t) for t in first if t) and not is_column_number_row(first)


def _first_row_unit(g: Grid) -> str | None:
    for r in range(min(max(UNIT_ROWS_MAX, header_rows(g)), g.n_rows)):
        for t in g.row_texts(r):
            u = find_table_unit(t)
            if u:
                return u
    return None


def _inside(pl: PageLayout, g: Grid) -> list[TextLine]:
    return pl.lines_between(g.bbox[3] + EDGE_PT, g.bbox[1] - EDGE_PT, g.bbox[0], g.bbox[2])


def _note(lines: list[TextLine]) -> str | None:
    for ln in lines:
        t = clean(ln.text)
        if pattern(LAYOUT, "empty_note").search(t) and len(t) < NOTE_MAX_CHARS:
            return ln.text.strip()
    return None
