"""A located table's grids → contract rows, items and totals.

Coded tables (支出总表, 一般公共预算支出表 …) become rows: code, level, name, values. Two-sided
summaries (收支总表, 财政拨款收支总表) become items per side, plus 类 rows for the function
classes their expenditure side lists. 三公 tables are read in either orientation (items as
columns or as rows). Repairs made here: codes split over columns or glued to names, names
wrapped over lines (stream reads them as separate rows), amounts glued to the next cell's
text ("24,458.43 一、一般公共服务支出").
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal

from parsers.amounts import AMOUNT_TOKEN, decimals_of, parse_amount, to_yuan
from parsers.document import Item, Row, Table
from parsers.extract import Grid, TextLine
from parsers.headers import (
    Columns,
    assign_roles,
    clean,
    header_paths,
    is_body_row,
    is_column_number_row,
    measure_key,
    templates,
)
from parsers.locate import Located, header_rows
from parsers.normalise.codes import SparseCodes, is_code, level_of, scheme_of, split_code_prefix
from parsers.normalise.names import loose_name
from parsers.normalise.reference import class_names

SUMMARY_KINDS = {"income_expenditure_summary", "fiscal_appropriation_summary"}
EVIDENCE_KINDS = {"expenditure_by_function", "gpb_expenditure_by_function", "fiscal_expenditure_by_function"}
UNIT_NAME = re.compile(r"(局|委|办|厅|院|中心|站|所|队|馆|室|部|处|会|社|校|园|本级|本部|机关)(（[^）]*）)?$")


@dataclass
class Context:
    year: int | None = None
    kind: str | None = None  # budget / final_accounts
    unit: str | None = None


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
    indent: float | None = None  # where the name starts in its cell: the level when no code is printed
    y: float = 0.0  # vertical middle of the row, to give wrapped-name fragments their row
    part: int = 0


def build_table(loc: Located, ctx: Context) -> Table:
    """Turn a located table into a contract Table (amounts in 元)."""
    t = Table(kind=loc.kind, label=loc.label, title=loc.title, pages=list(loc.pages),
              money_unit=loc.money_unit, unit=loc.unit, note=loc.note)
    if not loc.parts:
        t.empty = True
        return t
    t.flavor = loc.parts[0].flavor
    t.decimals = _printed_decimals(loc)
    if loc.kind in SUMMARY_KINDS:
        _build_summary(t, loc, ctx)
    elif loc.kind == "three_public":
        _build_three_public(t, loc, ctx)
    elif loc.kind == "performance_targets":
        pass  # read by parsers.performance from the same grids
    else:
        _build_coded(t, loc, ctx)
    if not t.rows and not t.items and not any(t.total.values()):
        t.empty = True
    _demote_without_evidence(t, loc)
    return t


def _demote_without_evidence(t: Table, loc: Located) -> None:
    """A title says the kind, the header must agree: a 支出表 whose header names none of the
    kind's value keys (total / basic / project or their synonyms) is not that kind."""
    wanted = set(loc.rule.get("measures") or ())
    if t.kind not in EVIDENCE_KINDS or not t.rows or not wanted or wanted & set(t.columns):
        return
    t.note = (t.note + "; " if t.note else "") + (
        f"titled like {t.kind} but its header names none of {sorted(wanted)}: kept as {t.kind}_unconfirmed")
    t.kind = f"{t.kind}_unconfirmed"


def _printed_decimals(loc: Located) -> int | None:
    """The most common number of decimals among the amounts printed in the table."""
    counts: dict[int, int] = {}
    for part in loc.parts:
        for row in part.cells:
            for cell in row:
                m = AMOUNT_TOKEN.fullmatch(clean(cell.text))
                if m:
                    d = decimals_of(m.group(0))
                    counts[d] = counts.get(d, 0) + 1
    return max(counts, key=lambda d: counts[d]) if counts else None


# ---------------------------------------------------------------- coded tables

def _columns_for(part: Grid, prev: Columns | None, loc: Located, ctx: Context,
                 prev_part: Grid | None = None) -> tuple[Columns, int]:
    if prev is not None and part.n_cols != prev.n and part.flavor != "lattice" and part.lines \
            and prev_part is not None and prev_part.cells:
        return prev, -1  # a text flavor cut this page otherwise: the caller re-cuts it like the page before
    h = header_rows(part)
    body = [part.row_texts(r) for r in range(h, part.n_rows)]
    measures = loc.rule.get("measures")
    if h and (prev is None or part.n_cols != prev.n or _informative(part, h)):
        cols = Columns(n=part.n_cols, labels=header_paths(part, h))
        if prev is not None and part.n_cols == prev.n and not any(cols.labels):
            return prev, h
        if not any(cols.labels) and part.flavor != "lattice":
            cols.labels = _labels_from_lines(part, loc.zones.get(id(part), []))
        assign_roles(cols, body, measures, ctx.year, ctx.kind, loc.rule.get("scheme"))
        return cols, h
    if prev is not None:
        if part.n_cols == prev.n:
            return prev, h
        return _remap(prev, prev_part or loc.parts[0], part, body, loc, ctx), h
    cols = Columns(n=part.n_cols, labels=_labels_from_lines(part, loc.zones.get(id(part), [])))
    assign_roles(cols, body, measures, ctx.year, ctx.kind, loc.rule.get("scheme"))
    return cols, h


def _informative(part: Grid, h: int) -> bool:
    return any(clean(t) and not is_column_number_row(part.row_texts(r))
               for r in range(h) for t in part.row_texts(r))


def _labels_from_lines(part: Grid, lines: list[TextLine]) -> list[list[str]]:
    """Header words printed above a stream table, assigned to the column under them."""
    labels: list[list[str]] = [[] for _ in range(part.n_cols)]
    if not part.cells:
        return labels
    bounds = [(c.x0, c.x1) for c in part.cells[0]]
    for ln in sorted(lines, key=lambda x: -x.y1):
        mid = (ln.x0 + ln.x1) / 2
        best = min(range(len(bounds)), key=lambda i: 0 if bounds[i][0] <= mid <= bounds[i][1]
                   else min(abs(mid - bounds[i][0]), abs(mid - bounds[i][1])))
        text = clean(ln.text)
        if text and not re.search(r"单位[:：]|编制|表\s*\d", ln.text):
            labels[best].append(text)
    return labels


def _remap(prev: Columns, before: Grid, part: Grid, body, loc: Located, ctx: Context) -> Columns:
    """A continuation grid with a different column count: carry roles over by x position
    from the grid before it (whose columns `prev` describes)."""
    cols = Columns(n=part.n_cols, labels=[[] for _ in range(part.n_cols)])
    ref = before.cells[-1] if before.cells else []
    for c, cell in enumerate(part.cells[0] if part.cells else []):
        mid = (cell.x0 + cell.x1) / 2
        for k, rc in enumerate(ref):
            if rc.x0 - 2 <= mid <= rc.x1 + 2 and k < len(prev.labels):
                cols.labels[c] = list(prev.labels[k])
                break
    assign_roles(cols, body, loc.rule.get("measures"), ctx.year, ctx.kind, loc.rule.get("scheme"))
    return cols


def _build_coded(t: Table, loc: Located, ctx: Context) -> None:
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
        blocks, split, found = _side_by_side(part, split, ctx)
        groups = found if any(found) else groups
        for bi, block in enumerate(blocks):
            group = groups[bi] if bi < len(groups) else None
            if len(blocks) > 1 and group is None and loc.rule.get("scheme") == "econ_dept":
                group = "by_class"  # unlabelled 人员 | 公用 blocks: the 类 of each code says which
            segments.append((bi, block, group if len(blocks) > 1 else None))
    for pi, (bi, part, group_key) in enumerate(segments):
        prev_cols, prev_part = block_cols.get(bi, (None, None))
        cols, h = _columns_for(part, prev_cols, loc, ctx, prev_part)
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
        for r in range(h, part.n_rows):
            texts = part.row_texts(r)
            if is_column_number_row(texts) or not any(clean(x) for x in texts):
                continue
            code, name, rest_text = _code_and_name(texts, cols, codes, part_levels.get(r))
            values = _values(texts, cols)
            unit_cell = clean(texts[cols.unit]) if cols.unit is not None else ""
            project = _cell(texts, cols.project)
            label = clean(name) or unit_cell or clean(rest_text)
            if code is None and group_key and re.fullmatch(r".{0,8}(合计|总计)", label or ""):
                key = _split_key(group_key, label)
                if "total" in values and key:  # 人员经费合计 / 公用经费合计 of a block
                    _merge_total(t, {key: values["total"]}, loc.money_unit)
                continue
            if code is None and (total_rx.match(label or "") or (not label and values and not raws)):
                _merge_total(t, values, loc.money_unit)  # a 合计 line, or a totals-only table's one row
                continue
            if code is None and values and (unit_cell or _is_unit_row(label, cols)):
                cur_unit = unit_cell or label
                t.items.append(Item(label=cur_unit, key="unit_total", page=part.page,
                                    values={k: float(to_yuan(v, loc.money_unit)) for k, v in values.items()}))
                if not t.total and _same_unit(cur_unit, t.unit or ctx.unit):
                    _merge_total(t, values, loc.money_unit)
                continue
            y = _row_y(part, r)
            if code is None and not values:
                if (label or project) and not is_body_row(texts):
                    piece = clean(name) or unit_cell or clean(rest_text)
                    if piece:
                        fragments.append((pi, y, "name", piece))
                    if project:
                        fragments.append((pi, y, "project", project))
                continue
            key = _split_key(group_key, code or "")
            if key and "total" in values:
                values[key] = values["total"]
            indent = part.indent(r, cols.name) if code is None and cols.name is not None else None
            raws.append(_Raw(code=code, name=name, values=values, page=part.page, unit=cur_unit,
                             project=project, y=y, part=pi, alt_code=_alt_code(texts, cols), indent=indent))
    _attach_fragments(raws, fragments)
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
                  code_source="printed" if raw.code else None, alt_code=raw.alt_code)
        t.rows.append(row)
    if not has_codes:
        _levels_from_indent(t, raws)
    _fill_zero_measures(t)


def _side_by_side(part: Grid, prev: list[int] | None,
                  ctx: Context) -> tuple[list[Grid], list[int] | None, list[str | None]]:
    """Split a grid printed as blocks side by side (人员经费: code|name|amount, 公用经费: …).

    A block starts at every column that holds codes; one code column means one block. A
    continuation page keeps the split of the page before (its left block may be empty).
    Returns the blocks, the split, and the measure each block's group header names
    (人员经费 → personnel), read before splitting because a merged 公用经费 header may span
    two blocks.
    """
    code_cols = []
    for c in range(part.n_cols):
        cells = [clean(part.text(r, c)) for r in range(part.n_rows)]
        filled = [x for x in cells if x]
        if len(filled) >= 3 and sum(1 for x in filled if is_code(x)) >= 0.5 * len(filled):
            code_cols.append(c)
    amount_cols = [c for c in range(part.n_cols)
                   if sum(1 for r in range(part.n_rows) if AMOUNT_TOKEN.fullmatch(clean(part.text(r, c)))) >= 2]
    bounds = [0] + code_cols[1:] + [part.n_cols]
    each_has_amounts = all(any(a <= c < b for c in amount_cols) for a, b in zip(bounds, bounds[1:], strict=False))
    if len(code_cols) >= 2 and each_has_amounts \
            and all(b - a >= 2 for a, b in zip(code_cols, code_cols[1:], strict=False)):
        starts = [0] + code_cols[1:]
    elif prev and prev[-1] < part.n_cols:
        starts = prev
    else:
        return [part], None, []
    ends = starts[1:] + [part.n_cols]
    paths = header_paths(part, header_rows(part))
    groups = []
    for a in starts:
        keys = [measure_key([p], ctx.year, ctx.kind) for p in paths[a][:1]]
        groups.append(keys[0] if keys and keys[0] in ("personnel", "public") else None)
    cells = [list(row) for row in part.cells]
    for row in cells:  # '公用经费合计' printed in one block, its figure in the next
        for a, b, c in zip(starts, ends, ends[1:] + [part.n_cols], strict=False):
            label = "".join(clean(x.text) for x in row[a:b])
            if re.fullmatch(r".{0,8}(合计|总计)", label) and b < part.n_cols and not any(
                    clean(x.text) for x in row[b:c] if parse_amount(x.text) is None):
                row[b] = dataclasses.replace(row[b], text=label)
    return [Grid(page=part.page, flavor=part.flavor, bbox=part.bbox, cells=[row[a:b] for row in cells])
            for a, b in zip(starts, ends, strict=False)], starts, groups


def _split_key(group_key: str | None, code_or_label: str) -> str | None:
    """personnel or public for a row of a 人员 | 公用 block: the block's header, else the
    economic class (301 工资福利, 303 对个人和家庭的补助 are 人员经费; the rest 公用经费)."""
    if group_key != "by_class":
        return group_key
    if re.match(r"30[13]", code_or_label) or code_or_label.startswith("人员"):
        return "personnel"
    if re.match(r"3\d\d", code_or_label) or code_or_label.startswith("公用"):
        return "public"
    return None


def _alt_code(texts: list[str], cols: Columns) -> str | None:
    raw = _cell(texts, cols.alt_code)
    if not raw:
        return None
    return raw if is_code(raw) else split_code_prefix(raw)[0]


def _cell(texts: list[str], c: int | None) -> str | None:
    if c is None or c >= len(texts):
        return None
    v = re.sub(r"\s*\n\s*", "", texts[c]).strip()
    return v or None


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


def _code_and_name(texts: list[str], cols: Columns, codes: SparseCodes,
                   part_level: int | None = None) -> tuple[str | None, str, str]:
    """(code, name, leftover text) of a body row, whatever the code layout."""
    name = _cell(texts, cols.name) or ""
    code = None
    if cols.split_codes:
        parts = [(_cell(texts, c) or "") if c is not None else "" for c in (cols.lei, cols.kuan, cols.xiang)]
        code = codes.feed(*parts)
    elif cols.code is not None:
        raw = _cell(texts, cols.code) or ""
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


def _unglue(texts: list[str], cols: Columns) -> list[str]:
    """'82,096,797.42 82,096,797.42' in one cell and nothing in its neighbour: camelot put two
    columns' figures in one cell. Give the extra figures back to the empty neighbours."""
    texts = list(texts)
    order = sorted(c for c in cols.measures if c < len(texts))
    for i, c in enumerate(order):
        tokens = texts[c].split()
        if len(tokens) < 2 or not all(AMOUNT_TOKEN.fullmatch(x) for x in tokens):
            continue
        before = order[i - 1] if i else None
        after = order[i + 1] if i + 1 < len(order) else None
        if before is not None and not clean(texts[before]):
            texts[before] = tokens.pop(0)
        if len(tokens) > 1 and after is not None and not clean(texts[after]):
            texts[after] = tokens.pop()
        texts[c] = " ".join(tokens)
    return texts


def _values(texts: list[str], cols: Columns) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    texts = _unglue(texts, cols)
    for c, key in cols.measures.items():
        if c >= len(texts):
            continue
        cell = texts[c].strip()
        v = parse_amount(cell)
        if v is None:
            m = AMOUNT_TOKEN.match(clean(cell))  # glued: '24,458.43一、一般公共服务支出'
            v = parse_amount(m.group(0)) if m else None
        if v is None:
            continue
        if not clean(cell):
            continue  # blank cell: not printed (filled with 0 later where the table has the measure)
        out[key] = v
    return out


def _merge_total(t: Table, values: dict[str, Decimal], money_unit: str | None) -> None:
    for k, v in values.items():
        t.total.setdefault(k, float(to_yuan(v, money_unit)))


def _is_unit_row(label: str, cols: Columns) -> bool:
    """An uncoded row with figures that names a unit (深圳 预算单位 blocks): a unit subtotal."""
    if not label:
        return False
    return cols.unit is not None or (bool(UNIT_NAME.search(label)) and not label.endswith("支出"))


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


def _scheme(code: str | None, loc: Located) -> str | None:
    return scheme_of(code) if code else loc.rule.get("scheme")


def _fill_zero_measures(t: Table) -> None:
    """A blank cell is 0.00 (contract): every row carries every measure of its table."""
    keys = set(t.columns)
    for row in t.rows:
        for k in keys:
            row.values.setdefault(k, 0.0)


def _levels_from_indent(t: Table, raws: list[_Raw]) -> None:
    """A table printed without codes shows its hierarchy by indentation (杭州): the distinct
    indents, left to right, are 类, 款, 项. Codes are matched to names later, per document."""
    indents = sorted({round(r.indent) for r in raws if r.indent is not None})
    levels: list[int] = []
    for x in indents:
        if not levels or x - levels[-1] > 3:
            levels.append(x)
    if len(levels) < 2:
        return
    for row, raw in zip(t.rows, raws, strict=False):
        if raw.indent is not None:
            row.level = min(3, 1 + max(i for i, x in enumerate(levels) if round(raw.indent) >= x - 1))


# ---------------------------------------------------------------- two-sided summaries

def _build_summary(t: Table, loc: Located, ctx: Context) -> None:
    """收支总表 / 财政拨款收支总表: blocks of (label column, amount columns) per side."""
    total_rx = templates()["_total_rows"]
    blocks: list[tuple[int, list[int], str]] | None = None
    measures: dict[int, str] = {}  # amount column → measure, from the last page that printed the header
    for part in loc.parts:
        h = header_rows(part)
        if blocks is not None and h and not _prints_summary_header(part, h):
            h = 0  # label-only rows at the top of a continuation page, not a repeated header
        if blocks is None or h:
            blocks = _blocks(part, h)
            measures = {c: _block_measure(part, h, c, ctx) for _, cols, _ in blocks for c in cols}
        for r in range(h, part.n_rows):
            texts = _give_back_leading_amounts(part.row_texts(r), blocks)
            if is_column_number_row(texts):
                continue
            carry = ""
            for label_col, amount_cols, side in blocks:
                label = carry or clean(texts[label_col])
                carry = ""
                vals: dict[str, float] = {}
                for c in amount_cols:
                    cell = texts[c].strip()
                    v = parse_amount(cell)
                    if v is None:
                        m = AMOUNT_TOKEN.match(clean(cell))
                        if m:  # an amount glued to the next block's label
                            v = parse_amount(m.group(0))
                            carry = clean(cell)[m.end():]
                    if v is not None and clean(cell):
                        key = measures.get(c) or _block_measure(part, h, c, ctx)
                        vals.setdefault(key, float(to_yuan(v, loc.money_unit)))
                if not label:
                    continue
                label, vals = _split_label_amount(label, vals, loc.money_unit)
                code, name = split_code_prefix(label)
                item_key = _item_key(name or label, side)
                item = Item(side=side, label=label, key=item_key, page=part.page, values=vals)
                if code is None and side == "expenditure":
                    code = class_names().get(loose_name(label))
                item.code = code
                t.items.append(item)
                if code and len(code) == 3 and side == "expenditure" and code.startswith("2"):
                    t.rows.append(Row(code=code, level=1, name=loose_name(name or label), page=part.page,
                                      values=vals or {"total": 0.0}, scheme="function",
                                      code_source="printed" if split_code_prefix(label)[0] else "name"))
                if total_rx.match(label) or (item_key and item_key.endswith("_total")):
                    for k, v in vals.items():
                        t.total.setdefault(f"{side}_{k}" if k == "total" else f"{side}_{k}", v)


ROW_NUMBER_HEADER = re.compile(r"^(行次|序号)$")  # not 栏次: the column-number row prints it under labels
SUMMARY_HEADER = re.compile(r"^(项目|收入|支出|合计|小计|决算数|预算数|金额|本年收入|本年支出)$")


def _prints_summary_header(part: Grid, h: int) -> bool:
    return any(SUMMARY_HEADER.match(clean(t)) for r in range(h) for t in part.row_texts(r))


def _give_back_leading_amounts(texts: list[str], blocks: list[tuple[int, list[int], str]]) -> list[str]:
    """'33,172.15 一、基本支出' in a label cell, the block before it with no figure: the figure
    overflowed into the next block's label; it belongs to the block before."""
    texts = list(texts)
    for (_, prev_amounts, _), (label_col, _, _) in zip(blocks, blocks[1:], strict=False):
        m = AMOUNT_TOKEN.match(texts[label_col].strip())
        if m and prev_amounts and not any(texts[c].strip() for c in prev_amounts):
            texts[prev_amounts[0]] = m.group(0)
            texts[label_col] = texts[label_col].strip()[m.end():].strip()
    return texts


def _blocks(part: Grid, h: int) -> list[tuple[int, list[int], str]]:
    """Columns grouped as (label column, its amount columns, side)."""
    paths = header_paths(part, h)
    n = part.n_cols
    kinds = []
    for c in range(n):
        amounts = texts = 0
        for r in range(h, part.n_rows):
            x = clean(part.text(r, c))
            if not x:
                continue
            if parse_amount(x) is not None or AMOUNT_TOKEN.match(x):
                amounts += 1
            else:
                texts += 1
        kinds.append("label" if texts > amounts else "amount")
    blocks: list[tuple[int, list[int], str]] = []
    for c in range(n):
        if any(ROW_NUMBER_HEADER.search(clean(part.text(r, c))) for r in range(h)):
            continue  # 行次: the printed line number (佛山 决算), never an amount
        if kinds[c] == "label" or not blocks:
            side = _side("".join(paths[c]), len(blocks))
            blocks.append((c, [], side))
        else:
            blocks[-1][1].append(c)
    return blocks


def _side(header: str, index: int) -> str:
    if "收入" in header or header[:1] == "收":
        return "revenue"
    if "支出" in header or "功能分类" in header or "用途" in header or header[:1] == "支":
        return "expenditure"
    return "revenue" if index == 0 else "expenditure"


def _block_measure(part: Grid, h: int, c: int, ctx: Context) -> str:
    """The measure of an amount column of a summary block: its leaf header, else the whole
    header read as one label (一般公共 / 预算 stacked over two lines)."""
    path = header_paths(part, h)[c]
    key = measure_key(path[-1:], ctx.year, ctx.kind) if path else None
    if key is None and len(path) > 1:
        key = measure_key(["".join(path)], ctx.year, ctx.kind)
    return key if key and key not in ("basic", "project") else "total"


def _split_label_amount(label: str, vals: dict[str, float], money_unit: str | None) -> tuple[str, dict]:
    """'一、财政拨款24,458.43' → label and its amount when camelot glued them."""
    m = re.search(AMOUNT_TOKEN.pattern + r"$", label)
    if m and not vals:
        v = parse_amount(m.group(0))
        if v is not None:
            return label[: m.start()], {"total": float(to_yuan(v, money_unit))}
    return label, vals


def _item_key(label: str, side: str) -> str | None:
    s = loose_name(label)
    if re.search(r"总计$", s):
        return f"{side}_total"
    if re.search(r"^本年(收入|支出)(合计|小计)?$|^(收入|支出)合计$|^本年(收入|支出)$|(当年|本年)(收入|支出)小计", s):
        return f"{side}_year"
    key = measure_key([s], None)
    return key


# ---------------------------------------------------------------- 三公

THREE_PUBLIC_KEYS = ("total", "abroad", "reception", "vehicle_total", "vehicle_purchase", "vehicle_operation")


def _build_three_public(t: Table, loc: Located, ctx: Context) -> None:
    """Either one row of columns (合计 | 因公出国 | 公务用车… | 接待) or one row per item."""
    part = loc.parts[0]
    h = header_rows(part)
    cols = Columns(n=part.n_cols, labels=header_paths(part, h))
    body = [part.row_texts(r) for r in range(h, part.n_rows)]
    assign_roles(cols, body, None, ctx.year, ctx.kind)
    item_cols = {k for k in cols.measures.values() if k in THREE_PUBLIC_KEYS[1:]}
    if len(item_cols) >= 2:  # items are columns: take the first row with figures
        for row in body:
            vals = _values(row, cols)
            if vals:
                for k, v in vals.items():
                    t.total[k] = float(to_yuan(v, loc.money_unit))
                break
        for k, c in ((k, c) for c, k in cols.measures.items()):
            t.columns.setdefault(k, cols.label(c))
    else:  # items are rows: label → key, figure from the first amount column
        amount_cols = sorted(cols.measures) or [c for c in range(part.n_cols) if c != cols.name]
        for row in body:
            label = clean(row[cols.name]) if cols.name is not None else clean(row[0])
            key = measure_key([label], ctx.year, ctx.kind)
            if total_like(label):
                key = "total"
            v = None
            values: dict[str, float] = {}  # every amount column of the line, by its header
            for c in amount_cols:
                x = parse_amount(row[c]) if c < len(row) and clean(row[c]) else None
                if x is None:
                    continue
                v = x if v is None else v
                measure = "total" if not values else cols.measures.get(c) or f"column_{c}"
                values.setdefault(measure, float(to_yuan(x, loc.money_unit)))
            if v is not None and label:
                t.items.append(Item(label=label, key=key, page=part.page, values=values))
            if key and v is not None:
                t.total.setdefault(key, float(to_yuan(v, loc.money_unit)))
    if "three_public_total" in t.total:
        t.total["grand_total"] = t.total.get("total", t.total["three_public_total"])
        t.total["total"] = t.total.pop("three_public_total")
    for k in THREE_PUBLIC_KEYS:
        t.total.setdefault(k, 0.0)


def total_like(label: str) -> bool:
    return bool(re.match(r"^(合计|总计|“?三公”?经费合计)$", label))
