"""Coded tables (支出总表, 一般公共预算支出表 …) → rows: code, level, name, values.

Repairs made here: codes split over columns or glued to names, names wrapped over lines
(stream reads them as separate rows), unit subtotal rows, levels from indentation when no
code is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from parsers.amounts import parse_amount, to_yuan
from parsers.document import Item, Row, Table
from parsers.extract import Grid
from parsers.headers import (
    Columns,
    clean,
    is_body_row,
    is_column_number_row,
    measure_key,
    templates,
)
from parsers.kinds import classified_kinds
from parsers.locate import Located, header_rows
from parsers.normalise.codes import SparseCodes, is_code, level_of, scheme_of, split_code_prefix
from parsers.normalise.names import names_overlap
from parsers.printed import CJK, PROSE_MARK
from parsers.tables.cells import Context, cell_text, merge_total, row_values
from parsers.tables.columns import columns_for, side_by_side
from parsers.tables.depth import assign_depths, clusters, depths_from_sums
from parsers.vocab import pattern

# Name starts closer than this (points) are one indent: text flavors jitter by 1-3 pt.
INDENT_TOLERANCE_PT = 3


@dataclass
class _Raw:
    """A body row before it becomes a Row: cells by role, for the wrap/glue repairs."""

    code: str | None
    name: str
    values: dict[str, Decimal]
    page: int
    unit: str | None = None
    project: str | None = None
    alt_code: str | None = None
    attributes: dict[str, str] | None = None
    indent: float | None = None  # where the name starts in its cell: the level when no code is printed
    y: float = 0.0  # vertical middle of the row, to give wrapped-name fragments their row
    part: int = 0
    label: str = ""  # the row's text outside the name column: its name when the name cell is blank
    label_x: float | None = None  # where the row's first label text starts on the page (its depth)


def build_coded(t: Table, loc: Located, ctx: Context) -> None:
    cols: Columns | None = None
    codes = SparseCodes()
    raws: list[_Raw] = []
    fragments: list[tuple[int, float, str, str]] = []  # (part, y, field, text): names wrapped onto rows of their own
    cur_unit: str | None = None
    total_rx = templates()["_total_rows"]
    block_cols: dict[int, tuple[Columns, Grid]] = {}
    segments = []
    split: list[int] | None = None
    groups: list[str | None] = []
    for part in loc.parts:
        blocks, split, found = side_by_side(part, split, ctx)
        groups = found if any(found) else groups
        for bi, block in enumerate(blocks):
            group = groups[bi] if bi < len(groups) else None
            if len(blocks) > 1 and group is None and loc.rule.get("scheme") == "econ_dept":
                group = "by_class"  # unlabelled 人员 | 公用 blocks: the 类 of each code says which
            segments.append((bi, block, group if len(blocks) > 1 else None))
    for pi, (bi, part, group_key) in enumerate(segments):
        prev_cols, prev_part = block_cols.get(bi, (None, None))
        cols, h = columns_for(part, prev_cols, loc, ctx, prev_part)
        if h == -1:
            part = part.regrid([(c.x0, c.x1) for c in prev_part.cells[-1]])
            h = header_rows(part)
        block_cols[bi] = (cols, part)
        if group_key:  # 人员经费 | 公用经费 blocks: the block's amount is that measure
            cols.measures = {c: ("total" if k in ("total", group_key) else k) for c, k in cols.measures.items()}
        for label_col, key in cols.measures.items():
            t.columns.setdefault(key, cols.label(label_col))
        if group_key:
            for k in (("personnel", "public") if group_key == "by_class" else (group_key,)):
                t.columns.setdefault(k, k)
        part_levels = _part_levels(part, cols.code, h)
        taken: set[int] = set()  # rows that were a piece of the name of the row between them
        if pi > 0 and cols.name is not None and part.flavor != "lattice":
            piece = _name_above_first_row(part, h, cols)
            if piece:
                fragments.append((pi, _row_y(part, h - 1), "name", piece))
        for r in range(h, part.n_rows):
            texts = part.row_texts(r)
            if r in taken or is_column_number_row(texts) or not any(clean(x) for x in texts):
                continue
            code, name, rest_text = _code_and_name(texts, cols, codes, part_levels.get(r))
            if code is None and name and part.flavor == "lattice":
                name = _own_name(part, r, cols, texts, name)
            values = row_values(texts, cols)
            unit_cell = clean(texts[cols.unit]) if cols.unit is not None else ""
            project = cell_text(texts, cols.project)
            label = clean(name) or unit_cell or clean(rest_text)
            if code is None and not label and values:
                label, pieces = _wrapped_label(part, r, h, next(
                    (c for c in (cols.unit, cols.name) if c is not None),
                    min((c for c in range(part.n_cols) if c not in cols.measures), default=0)))
                taken |= pieces
                fragments = [f for f in fragments if not (f[0] == pi and f[1] in {_row_y(part, k) for k in pieces})]
                name = name or label
            if code is None and group_key and re.fullmatch(r".{0,8}(合计|总计)", label or ""):
                key = _split_key(group_key, label)
                if "total" in values and key:  # 人员经费合计 / 公用经费合计 of a block
                    merge_total(t, {key: values["total"]}, loc.money_unit)
                continue
            if code is None and (total_rx.match(label or "") or (not label and values and not raws)):
                merge_total(t, values, loc.money_unit)  # a 合计 line, or a totals-only table's one row
                continue
            if code is None and unit_cell and (project or _other_name(name, unit_cell)):
                cur_unit = unit_cell  # a line of that unit (西安 专项业务经费: 单位 | 项目 | 金额), not its total
            elif code is None and values and (unit_cell or (_is_unit_row(label, cols) and not _other_label(
                    texts, cols, label))):
                cur_unit = unit_cell or label
                t.items.append(Item(label=cur_unit, key="unit_total", page=part.page,
                                    values={k: float(to_yuan(v, loc.money_unit)) for k, v in values.items()}))
                if not t.total and _same_unit(cur_unit, t.unit or ctx.unit):
                    merge_total(t, values, loc.money_unit)
                continue
            y = _row_y(part, r)
            if code is None and not values:
                if part.flavor == "lattice":
                    continue  # a ruled row of its own with blank figures: a wrapped name stays in its cell
                if (label or project) and not is_body_row(texts):
                    piece = clean(name) or unit_cell or (clean(rest_text) if _near_name(texts, cols, rest_text) else "")
                    if piece and not _NOT_A_NAME.match(piece):
                        fragments.append((pi, y, "name", piece))
                    if project:
                        fragments.append((pi, y, "project", project))
                continue
            key = _split_key(group_key, code or "")
            if key and "total" in values:
                values[key] = values["total"]
            indent = part.indent(r, cols.name) if code is None and cols.name is not None else None
            attributes, overflow = _attributes(texts, cols)
            name = name if clean(name) else overflow or name
            raws.append(_Raw(code=code, name=name, values=values, page=part.page, unit=cur_unit,
                             project=project, y=y, part=pi, alt_code=_alt_code(texts, cols) or _split_alt(code, attributes),
                             indent=indent,
                             attributes=attributes,
                             label=label, label_x=_label_x(part, r, texts, cols) if code is None else None))
    _attach_fragments(raws, fragments)
    for raw in raws:  # 公共财政拨款(补助)资金 under a blank 一般公共预算资金 cell, 采购项目 beside a blank 品目
        raw.name = raw.name or raw.label
    has_codes = any(r.code for r in raws)
    for raw in raws:
        if raw.code is None and has_codes:
            if raw.values:
                t.items.append(Item(label=raw.name, page=raw.page, values={
                    k: float(to_yuan(v, loc.money_unit)) for k, v in raw.values.items()}))
            continue
        row = Row(code=raw.code, level=level_of(raw.code), name=raw.name, page=raw.page,
                  values={k: float(to_yuan(v, loc.money_unit)) for k, v in raw.values.items()},
                  scheme=_scheme(raw.code, loc), unit=raw.unit, project=raw.project,
                  code_source="printed" if raw.code else None, alt_code=raw.alt_code, attributes=raw.attributes)
        t.rows.append(row)
    if not has_codes:
        _levels_from_indent(t, raws)
    _fill_zero_measures(t)
    step = float(to_yuan(Decimal(1).scaleb(-(t.decimals or 0)), loc.money_unit))
    placed = not has_codes and assign_depths(t, [r.label_x for r in raws], step)
    if not placed and t.kind not in classified_kinds():
        depths_from_sums(t, step)  # 西安 采购表: 全额 over the unit over its items, all under one code
    _units_from_group_lines(t)


def _units_from_group_lines(t: Table) -> None:
    """西安 采购表 (全额 over the unit over its items): when the group lines of one depth all
    name units, each is the unit of itself and the lines under it; the deepest such depth, as
    the department's line is over its units' (医保局 2022). Only in a table whose rows name no
    unit otherwise."""
    if any(r.unit for r in t.rows):
        return
    for depth in sorted({r.depth for r in t.rows if r.group and r.depth}, reverse=True):
        lines = [i for i, r in enumerate(t.rows) if r.group and r.depth == depth]
        if not all(_names_a_unit(t.rows[i].name) for i in lines):
            continue
        for i in lines:
            for row in t.rows[i:]:
                if row is not t.rows[i] and (row.depth or 0) <= depth:
                    break
                row.unit = t.rows[i].name
        return


def _split_alt(code: str | None, attributes: dict[str, str] | None) -> str | None:
    """The other economic classification of a row printed as split columns (烟台 部门 301 | 01
    beside 政府 501 | 01): the row's alternative code, as a joined second code column gives it."""
    other = {"econ_dept": "econ_gov", "econ_gov": "econ_dept"}.get(scheme_of(code) if code else "")
    return (attributes or {}).get(other) if other else None


def _attributes(texts: list[str], cols: Columns) -> tuple[dict[str, str] | None, str]:
    """The row's text attribute cells (采购目录, 数量 …) as printed, and the text a cell holds
    before its own, after a wide gap: a name too long for its column, run into the next cell
    (江苏 采购表 '其他计算机设备及软件  政府集中采购' under 采购组织形式). A blank marker or a 0
    says nothing (西安 备注 columns print 0 under every row)."""
    got, overflow = {}, ""
    for c, key in cols.attributes.items():
        *before, value = re.split(r"\s{2,}", cell_text(texts, c) or "") or [""]
        overflow = overflow or "".join(before)
        if value and parse_amount(value) != 0:
            got[key] = value
    for c, (c2, key) in cols.econ_pairs.items():  # 302 | 31 → 30231
        lei, kuan = clean(cell_text(texts, c) or ""), clean(cell_text(texts, c2) or "")
        if re.fullmatch(r"\d{3}", lei) and re.fullmatch(r"\d{1,2}|", kuan):
            got[key] = lei + (kuan.zfill(2) if kuan else "")
    return got or None, overflow


def _other_label(texts: list[str], cols: Columns, label: str) -> bool:
    """The line prints a name beside its label (江苏政协 采购表: 省政协全委会 | 会议费 | 140.20 is a
    project named after a committee, over its items, with its 经济科目): not a unit's line."""
    return any(c not in cols.measures and c != cols.name and CJK.search(clean(x)) and clean(x) != label
               for c, x in enumerate(texts))


def _other_name(name: str | None, unit: str) -> bool:
    """The row's name cell names something besides its unit: a name, not prose (广州's 绩效目标
    column beside its 单位 | 项目类别 column holds sentences)."""
    text = clean(name or "")
    return bool(text) and not names_overlap(text, unit) and not PROSE_MARK.search(text)


def _own_name(part: Grid, r: int, cols: Columns, texts: list[str], name: str) -> str:
    """The name of ruled row r when its name cell holds a merged cell's label that is printed
    in the middle of the span, on another row (江苏 采购表 p13: the 专项名称 continuing from p12
    lands on the page's first row, an item's): the row's own first text printed on it, unless
    that is a 小计/合计 line, which is the category's."""
    if _printed_in_row(part, r, name):
        return name
    for c, x in enumerate(texts):
        text = clean(x)
        if c != cols.name and c not in cols.measures and CJK.search(text) \
                and _printed_in_row(part, r, text):
            return name if pattern("tables.yaml", "subtotal_label").search(text) else text
    return name


def _printed_in_row(part: Grid, r: int, text: str) -> bool:
    """The first characters of the cell text are printed inside row r's rules (as characters:
    a name wrapped inside its cell prints them over several lines, '城' over '市宣传经费')."""
    if not part.lines:
        return True  # no page text to tell: keep what the grid says
    y0, y1 = min(c.y0 for c in part.cells[r]), max(c.y1 for c in part.cells[r])
    inside = set("".join(clean(ln.text) for ln in part.lines if y0 - 1 <= (ln.y0 + ln.y1) / 2 <= y1 + 1))
    return set(text[:4]) <= inside


def _near_name(texts: list[str], cols: Columns, text: str) -> bool:
    """Whether a line's text stands in the name column or beside it (a text flavor may cut a
    wrapped name a column off): a wrapped cell further right (西安 采购表's 购买服务内容) is
    no piece of the row's name."""
    if cols.name is None:
        return True
    c = next((c for c, x in enumerate(texts) if clean(x) == text), None)
    return c is None or abs(c - cols.name) <= 1


def _name_above_first_row(part: Grid, h: int, cols: Columns) -> str | None:
    """On a continuation page the first row's name may wrap upwards into what reads as the
    header's last line (广州: '机关事业单位职业年金缴费支' over '2080506 … 241.98', '出' below):
    a line with text in the name column alone that names no column is that piece."""
    if h < 2:
        return None
    texts = [clean(x) for x in part.row_texts(h - 1)]
    filled = [c for c, x in enumerate(texts) if x]
    if filled != [cols.name] or not re.search(r"[\u4e00-\u9fff]{4,}", texts[cols.name]):
        return None
    piece = texts[cols.name]
    roles = templates()["_roles"]
    if any(rx.search(piece) for rx in roles.values()) or measure_key([piece], None):
        return None
    return piece


def _split_key(group_key: str | None, code_or_label: str) -> str | None:
    """personnel or public for a row of a 人员 | 公用 block: the block's header, else the
    economic class (301 工资福利, 303 对个人和家庭的补助 are 人员经费; the rest 公用经费)."""
    if group_key != "by_class":
        return group_key
    return next((key for key, rx in templates()["econ_split"].items() if re.search(rx, code_or_label)), None)


def _alt_code(texts: list[str], cols: Columns) -> str | None:
    raw = cell_text(texts, cols.alt_code)
    if not raw:
        return None
    return raw if is_code(raw) else split_code_prefix(raw)[0]


def _part_levels(part: Grid, col: int | None, h: int) -> dict[int, int]:
    """Rows whose code cell holds a lone 2-digit part: 款 (2) or 项 (3), told by indentation.

    Text-based flavors merge sparse 类|款|项 columns into one; the parts still start at
    their own column's x position, so the left cluster of part positions is 款.
    """
    if col is None or part.flavor == "lattice":
        return {}
    parts = {}
    for r in range(h, part.n_rows):
        cell = part.cells[r][col]
        if re.fullmatch(r"\d{1,2}", clean(cell.text)) and cell.x_text is not None:
            parts[r] = cell.x_text
    if not parts:
        return {}
    xs = sorted(set(round(x) for x in parts.values()))
    split = None
    for a, b in zip(xs, xs[1:], strict=False):
        if b - a > 4:
            split = (a + b) / 2
            break
    if split is None:
        return {r: 2 for r in parts}
    return {r: 2 if x < split else 3 for r, x in parts.items()}


# A text-only line under the last row that is the table's note or the page number, not the
# rest of a wrapped name ('购房补贴' + '注：无。').
_NOT_A_NAME = re.compile(r"^(?:注|说明|备注|资料来源)\s*\d*\s*[:：]|^[-—－\s]*\d+[-—－\s]*$|^第\s*\d+\s*页")
_PART_WITH_NAME = re.compile(r"^(\d{1,3})\s*([\u4e00-\u9fff].*)$")
# A 项 part printed into the cell after the code columns, before a unit's number or a name
# (西安 采购表: '02 　　116001', '05 　　医保系统运行维护费'), or 款 and 项 in the 款 cell ('06\n08').
_RUN_OVER_PART = re.compile(r"^(\d{2})(?:[\s\u3000]+(\S.*))?$", re.S)
_TWO_PARTS = re.compile(r"^(\d{2})[\s\u3000]+(\d{2})(?:[\s\u3000]+(.*))?$", re.S)


def _code_and_name(texts: list[str], cols: Columns, codes: SparseCodes,
                   part_level: int | None = None) -> tuple[str | None, str, str]:
    """(code, name, leftover text) of a body row, whatever the code layout."""
    name = cell_text(texts, cols.name) or ""
    code = None
    if cols.split_codes:
        parts = [(cell_text(texts, c) or "") if c is not None else "" for c in (cols.lei, cols.kuan, cols.xiang)]
        for i, part in enumerate(parts):  # '01 行政运行' in the 项 cell: the name ran into it
            m = _PART_WITH_NAME.match(clean(part))
            if m:
                parts[i] = m.group(1)
                name = name or m.group(2)
        parts, name = _run_over_parts(parts, name, texts, cols)
        code = codes.feed(*parts)
    elif cols.code is not None:
        raw = cell_text(texts, cols.code) or ""
        c, rest = split_code_prefix(raw)
        if cols.name == cols.code:
            name = rest if c else raw
        if part_level and re.fullmatch(r"\d{1,2}", clean(raw)):
            code = codes.part(raw, part_level)
        elif c:
            code = codes.joined(c)
            if rest and not name:
                name = rest
        elif raw and not name and not is_code(raw):
            name = raw
    if code is None and name:
        c, rest = split_code_prefix(name)
        if c:
            code = codes.joined(c)
            name = rest
    name = re.sub(r"^[\s　]+|[\s　]+$", "", name)
    leftover = ""
    if not name:
        for c, x in enumerate(texts):
            if c not in cols.measures and c != cols.project and clean(x) and parse_amount(x) is None:
                leftover = clean(x)
                break
    return code, clean(name), leftover


def _run_over_parts(parts: list[str], name: str, texts: list[str], cols: Columns) -> tuple[list[str], str]:
    """The 项 of a row whose 项 cell is blank, where the reader put it into a neighbouring
    cell: the 款 cell ('06\n08') or the cell after the code columns ('02 　　116001', a unit's
    number; '05 　　医保系统运行维护费', the name). What follows the part there is the name when
    it has one, else a number that no column keeps."""
    lei, kuan, xiang = (p.strip() for p in parts)
    if not (lei and kuan) or xiang:
        return parts, name
    m = _TWO_PARTS.match(kuan)
    if m:
        rest = (m.group(3) or "").strip()
        return [lei, m.group(1), m.group(2)], name or (rest if CJK.search(rest) else "")
    nxt = cols.xiang + 1 if cols.xiang is not None else None
    if nxt is None or nxt in cols.measures or nxt >= len(texts):
        return parts, name
    m = _RUN_OVER_PART.match(texts[nxt].strip())
    if not m:
        return parts, name
    rest = re.sub(r"^[\d\s\u3000]+(?=[\u4e00-\u9fff])", "", (m.group(2) or "").strip())  # '245001 西安市医疗保障局'
    named = rest if CJK.search(rest) else ""
    return [lei, kuan, m.group(1)], named if nxt == cols.name else (name or named)


def _is_unit_row(label: str, cols: Columns) -> bool:
    """An uncoded row with figures that names a unit (深圳 预算单位 blocks): a unit subtotal."""
    if not label:
        return False
    return cols.unit is not None or _names_a_unit(label)


def _names_a_unit(label: str) -> bool:
    """The label ends like a unit's name (tables.yaml unit_row_name), and not like a 支出 line."""
    return bool(pattern("tables.yaml", "unit_row_name").search(label)) and not label.endswith("支出")


def _wrapped_label(part: Grid, r: int, h: int, col: int) -> tuple[str, set[int]]:
    """Row r prints figures and no name: a text flavor put the name's lines above and below
    it on rows of their own ('广州市家庭经济核对和养老服务指导中' | figures | '心'). A
    neighbouring row with text in the name column `col` and no figure is a piece of r's name
    when it sits nearer to r than to the row on its other side."""
    def piece(k: int) -> str | None:
        if not h <= k < part.n_rows or col >= part.n_cols:
            return None
        texts = part.row_texts(k)
        return (clean(texts[col]) or None) if not is_body_row(texts) else None

    def nearer(k: int, other: int) -> bool:
        return not h <= other < part.n_rows or abs(_row_y(part, k) - _row_y(part, r)) < abs(
            _row_y(part, k) - _row_y(part, other))

    above, below = piece(r - 1), piece(r + 1)
    taken = set()
    label = ""
    if above and nearer(r - 1, r - 2):
        label, taken = above, {r - 1}
    if below and nearer(r + 1, r + 2):
        label, taken = label + below, taken | {r + 1}
    return label, taken


def _same_unit(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = re.sub(r"（.*?）", "", a), re.sub(r"（.*?）", "", b)
    return a == b


def _row_y(part: Grid, r: int) -> float:
    cell = part.cells[r][0]
    return (cell.y0 + cell.y1) / 2


def _attach_fragments(raws: list[_Raw], fragments: list[tuple[int, float, str, str]]) -> None:
    """A name wrapped over lines comes back as rows holding only a piece of the name (or of
    the project name): each piece joins the nearest data row on the page, before its text
    when printed above it."""
    pieces: dict[tuple[int, str], list[tuple[float, str]]] = {}
    for pi, y, fld, text in fragments:
        near = [r for r in raws if r.part == pi]
        if near:
            row = min(near, key=lambda r: (abs(r.y - y), r.y < y))
            pieces.setdefault((id(row), fld), []).append((y, text))
    for r in raws:
        for fld in ("name", "project"):
            got = pieces.get((id(r), fld))
            if got:
                before = "".join(t for y, t in sorted(got, key=lambda x: -x[0]) if y > r.y)
                after = "".join(t for y, t in sorted(got, key=lambda x: -x[0]) if y <= r.y)
                setattr(r, fld, before + (getattr(r, fld) or "") + after)


def _label_x(part: Grid, r: int, texts: list[str], cols: Columns) -> float | None:
    """Where the row's leftmost text outside the figure columns starts on the page, outside
    the unit column where there is more: a unit printed beside a name says nothing of its depth."""
    cells = [c for c, text in enumerate(texts) if c not in cols.measures and clean(text)]
    cells = [c for c in cells if c != cols.unit] or cells
    return min((part.cells[r][c].x0 + (part.indent(r, c) or 0.0) for c in cells), default=None)


def _scheme(code: str | None, loc: Located) -> str | None:
    return scheme_of(code) if code else loc.rule.get("scheme")


def _fill_zero_measures(t: Table) -> None:
    """A blank cell is 0.00 (contract): every row carries every measure of its table."""
    keys = list(t.columns)  # column order, not a set's: the values' order must not vary per process
    for row in t.rows:
        for k in keys:
            row.values.setdefault(k, 0.0)


def _levels_from_indent(t: Table, raws: list[_Raw]) -> None:
    """A table printed without codes shows its hierarchy by indentation (杭州): the distinct
    indents, left to right, are 类, 款, 项. Codes are matched to names later, per document.

    Only a page that prints two indents shows a hierarchy: 广州 prints every row of one page
    10 pt further in than on the others, and that is not a level. A page whose indents are not
    among those learned from such pages gives its rows no level (matched by name alone)."""
    by_page: dict[int | None, list[int]] = {}
    for r in raws:
        if r.indent is not None:
            by_page.setdefault(r.page, []).append(round(r.indent))
    pages = {p: clusters(xs, INDENT_TOLERANCE_PT) for p, xs in by_page.items()}
    levels = clusters([x for cl in pages.values() if len(cl) > 1 for x in cl], INDENT_TOLERANCE_PT)
    if len(levels) < 2:
        return
    on_levels = {p: all(any(abs(x - lv) <= INDENT_TOLERANCE_PT for lv in levels) for x in cl)
                 for p, cl in pages.items()}
    for row, raw in zip(t.rows, raws, strict=False):
        if raw.indent is not None and on_levels[raw.page]:
            row.level = min(3, 1 + max((i for i, x in enumerate(levels)
                                        if round(raw.indent) >= x - INDENT_TOLERANCE_PT), default=0))
