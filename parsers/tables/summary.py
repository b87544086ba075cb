"""Two-sided summaries (收支总表, 财政拨款收支总表) → items per side, plus 类 rows for the
function classes their expenditure side lists."""

from __future__ import annotations

import re

from parsers.amounts import AMOUNT_TOKEN, parse_amount, to_yuan
from parsers.document import Item, Row, Table
from parsers.extract import Grid
from parsers.header_paths import header_paths
from parsers.headers import (
    clean,
    is_column_number_row,
    measure_key,
    templates,
)
from parsers.locate import Located, header_rows
from parsers.normalise.codes import level_of, scheme_of, split_code_prefix
from parsers.normalise.names import loose_name
from parsers.normalise.reference import class_names
from parsers.tables.cells import Context
from parsers.tables.recut import recut_summary


def build_summary(t: Table, loc: Located, ctx: Context) -> None:
    """收支总表 / 财政拨款收支总表: blocks of (label column, amount columns) per side."""
    total_rx = templates()["_total_rows"]
    blocks: list[tuple[int, list[int], str]] | None = None
    measures: dict[int, str] = {}  # amount column → measure, from the last page that printed the header
    for part in loc.parts:
        part = recut_summary(part) or part
        h = header_rows(part)
        if blocks is not None and h and not _prints_summary_header(part, h):
            h = 0  # label-only rows at the top of a continuation page, not a repeated header
        if blocks is None or h:
            blocks = _blocks(part, h)
            measures = {c: _block_measure(part, h, c, ctx) for _, cols, _ in blocks for c in cols}
        for r in range(h, part.n_rows):
            texts = _spread_glued_amounts(_give_back_leading_amounts(part.row_texts(r), blocks), blocks)
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
                if code is None and side == "expenditure":
                    code = class_of(label)
                if side == "expenditure" and scheme_of(code) == "function":
                    item_key = None  # 二十一、其他支出 is function class 229, not the measure econ_399
                item = Item(side=side, label=label, key=item_key, page=part.page, values=vals, code=code)
                t.items.append(item)
                if side == "expenditure" and level_of(code) == 1 and scheme_of(code) == "function":
                    t.rows.append(Row(code=code, level=1, name=loose_name(name or label), page=part.page,
                                      values=vals or {"total": 0.0}, scheme="function",
                                      code_source="printed" if split_code_prefix(label)[0] else "name"))
                if total_rx.match(label) or (item_key and item_key.endswith("_total")):
                    for k, v in vals.items():
                        t.total.setdefault(f"{side}_{k}", v)




# A list numeral whose 、 was lost (OCR: 四教育支出): the rest may still be a class's name.
_NUMERAL = re.compile(r"^[一二三四五六七八九十]+")


def class_of(label: str) -> str | None:
    """The function class a summary line names ('四、教育支出', OCR's '四教育支出' → 205)."""
    name = loose_name(label)
    return class_names().get(name) or class_names().get(_NUMERAL.sub("", name))


def _prints_summary_header(part: Grid, h: int) -> bool:
    header = re.compile(templates()["summary"]["header"])
    return any(header.match(clean(t)) for r in range(h) for t in part.row_texts(r))


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


def _amount_tokens(text: str) -> list[str] | None:
    """'10,823,891.00 1,467,842.00': the figures of a cell that holds nothing else, else None."""
    tokens = text.split()
    return tokens if tokens and all(AMOUNT_TOKEN.fullmatch(x) for x in tokens) else None


def _spread_glued_amounts(texts: list[str], blocks: list[tuple[int, list[int], str]]) -> list[str]:
    """'10,823,891.00 1,467,842.00' in the 公用经费 cell and the 人员经费 cell before it blank:
    the ruled reader put two columns' figures in one cell. The figures go back, in print
    order, to the blank columns of the block next to the cell (before it first)."""
    texts = list(texts)
    for _, cols, _ in blocks:
        for i, c in enumerate(cols):
            tokens = _amount_tokens(texts[c]) if c < len(texts) else None
            if not tokens or len(tokens) < 2:
                continue
            lead = min(len(tokens) - 1, _blank_run(texts, cols[:i][::-1]))
            for k in range(lead):
                texts[cols[i - lead + k]] = tokens.pop(0)
            trail = min(len(tokens) - 1, _blank_run(texts, cols[i + 1:]))
            for k in range(trail):
                texts[cols[i + trail - k]] = tokens.pop()
            texts[c] = " ".join(tokens)
    return texts


def _blank_run(texts: list[str], cols: list[int]) -> int:
    """How many of cols, in order, are blank before the first that is not."""
    n = 0
    for c in cols:
        if c >= len(texts) or texts[c].strip():
            break
        n += 1
    return n


def _blocks(part: Grid, h: int) -> list[tuple[int, list[int], str]]:
    """Columns grouped as (label column, its amount columns, side)."""
    paths = header_paths(part, h)
    n = part.n_cols
    row_number = re.compile(templates()["summary"]["row_number_header"])
    kinds = []
    for c in range(n):
        amounts = texts = 0
        for r in range(h, part.n_rows):
            x = clean(part.text(r, c))
            if not x:
                continue
            if parse_amount(x) is not None or AMOUNT_TOKEN.match(x) or _amount_tokens(part.text(r, c)):
                amounts += 1
            else:
                texts += 1
        kinds.append("label" if texts > amounts else "amount")
    blocks: list[tuple[int, list[int], str]] = []
    for c in range(n):
        if any(row_number.search(clean(part.text(r, c))) for r in range(h)):
            continue  # 行次: the printed line number (佛山 决算), never an amount
        if kinds[c] == "label" or not blocks:
            side = _side("".join(paths[c]), len(blocks))
            blocks.append((c, [], side))
        else:
            blocks[-1][1].append(c)
    return blocks


def _side(header: str, index: int) -> str:
    """revenue or expenditure: what the block's header names, else its position."""
    for side, rx in templates()["summary"]["sides"].items():
        if re.search(rx, header):
            return side
    return "revenue" if index == 0 else "expenditure"


def _block_measure(part: Grid, h: int, c: int, ctx: Context) -> str:
    """The measure of an amount column of a summary block: its leaf header, else the whole
    header read as one label (一般公共 / 预算 stacked over two lines)."""
    path = header_paths(part, h)[c]
    key = measure_key(path[-1:], ctx.year, ctx.kind) if path else None
    if key is None and len(path) > 1:
        key = measure_key(["".join(path)], ctx.year, ctx.kind)
    return key or "total"


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
    for name, rx in templates()["summary"]["item_keys"].items():
        if re.search(rx, s):
            return f"{side}_{name}"
    key = measure_key([s], None)
    return key

