"""Header rows → what each column holds (code parts, name, unit, measure keys).

The synonyms live in templates/tables.yaml; this module only knows how headers are built:
characters split over lines, column-number rows (※ 1 2 3, ** 1 2 3, 栏次), and which column
is code, name or measure. The label path of each column is read by header_paths.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from parsers.amounts import parse_amount
from parsers.normalise.codes import DIGIT_BY_SCHEME, is_code, split_code_prefix
from parsers.text import clean
from parsers.vocab import load_template


@cache
def templates() -> dict:
    """tables.yaml with its header patterns compiled (a copy: the loader's dict stays as read)."""
    data = dict(load_template("tables.yaml"))
    data["_measures"] = [(m["key"], re.compile(m["header"])) for m in data["measures"]]
    data["_qualifiers"] = [(q["suffix"], re.compile(q["header"])) for q in data["measure_qualifiers"]]
    data["_attributes"] = [(key, re.compile(rx)) for key, rx in data["attributes"].items()]
    roles = data["roles"]
    data["_roles"] = {
        "lei": re.compile(roles["code_split"]["lei"]),
        "kuan": re.compile(roles["code_split"]["kuan"]),
        "xiang": re.compile(roles["code_split"]["xiang"]),
        "code": re.compile(roles["code"]),
        "name": re.compile(roles["name"]),
        "unit": re.compile(roles["unit"]),
        "unit_code": re.compile(roles["unit_code"]),
        "project": re.compile(roles["project"]),
    }
    data["_prior"] = re.compile(data["prior_year_words"])
    data["_budget"] = re.compile(data["budget_words"])
    data["_total_rows"] = re.compile(data["total_rows"])
    return data


# A column-number row (※ 1 2 3) has at least this many cells: one lone digit is a body cell.
COLUMN_NUMBER_MIN_CELLS = 2
# A bare integer with this many digits is an amount; shorter ones are code parts or row numbers.
AMOUNT_MIN_DIGITS = 3
# A column is the 类 part of split codes when this share of its cells are 3-digit classes.
ECON_PAIR_KEYS = {"3": "econ_dept", "5": "econ_gov"}  # a split economic class's first digit → attribute
LEI_COLUMN_SHARE = 0.3
# A column holds codes when this share of its cells are codes (or code parts, or code-name cells).
CODE_COLUMN_SHARE = 0.6
# A column headed 编码/代码 is no code column when this share of its cells are amounts.
CODE_HEADER_AMOUNT_SHARE = 0.5
# Column letters of a header printed twice: a … z, then aa, ab …
LETTERS = 26

COLUMN_NUMBER = re.compile(r"^(?:[※*＊]+|\d{1,2}|栏次|行次|[甲乙丙丁])$")
# lines a text flavor pulls into the header rows that describe the table, not a column
TABLE_META = re.compile(r"^(?:金额)?单位[:：]|^(?:单位|部门|编制单位|编制部门|预算单位)(?:名称)?[:：]|^表\s*\d+(?:-\d+)?$")


def is_column_number_row(texts: list[str]) -> bool:
    cells = [clean(t) for t in texts if clean(t)]
    return len(cells) >= COLUMN_NUMBER_MIN_CELLS and all(COLUMN_NUMBER.match(c) for c in cells)


def is_body_row(texts: list[str]) -> bool:
    """A row that carries data: a code, an amount, or a 合计 line with figures."""
    cells = [t.strip() for t in texts]
    for t in cells:
        c = clean(t)
        if not c:
            continue
        if is_code(c) or split_code_prefix(t)[0]:
            return True
        v = parse_amount(c)
        looks_amount = "." in c or "," in c or (c.isdigit() and len(c) >= AMOUNT_MIN_DIGITS) or c in ("0", "-")
        if v is not None and looks_amount and not re.fullmatch(r"20\d\d", c):  # a year is not an amount
            return True
    return False


@dataclass
class Columns:
    """What each column of a table holds."""

    n: int
    labels: list[list[str]] = field(default_factory=list)  # header path per column, top → bottom
    lei: int | None = None
    kuan: int | None = None
    xiang: int | None = None
    code: int | None = None
    alt_code: int | None = None  # a second classification printed on the same row
    name: int | None = None
    unit: int | None = None
    project: int | None = None
    measures: dict[int, str] = field(default_factory=dict)  # column → value key
    attributes: dict[int, str] = field(default_factory=dict)  # column → text attribute (采购目录 → catalogue)
    econ_pairs: dict[int, tuple[int, str]] = field(default_factory=dict)  # 类 column → (款 column, attribute)

    @property
    def split_codes(self) -> bool:
        return self.lei is not None

    def label(self, c: int) -> str:
        return "/".join(self.labels[c]) if c < len(self.labels) else ""


def measure_key(path: list[str], doc_year: int | None, doc_kind: str | None = None) -> str | None:
    """The value key a column header path names (None for a non-amount header)."""
    t = templates()
    keys = []
    for label in path:
        for key, rx in t["_measures"]:
            if rx.search(label):
                keys.append(key)
                break
        else:
            keys.append(None)
    if len(path) >= 2 and not any(keys):  # 公务用车运行 / 维护费: one label wrapped over two rows
        return measure_key(path[:-2] + [path[-2] + path[-1]], doc_year, doc_kind)
    key = None
    for k in reversed(keys):  # leaf first
        if k and k != "subtotal":
            key = k
            break
        if k == "subtotal" and key is None:
            key = "subtotal"
    if key == "subtotal":
        parents = [k for k in keys[:-1] if k and k not in ("subtotal", "total")]
        key = parents[-1] if parents else "total"
    if key is None:
        return None
    if key not in ("change", "change_pct", "total") and "change" in keys[:-1]:
        key += "_change"  # 增减变化情况 / 公务接待费: the change of that measure, not the measure
    if key == "budget_initial" and doc_kind != "final_accounts":
        key = "total"  # a budget's 年初预算数 is the budget itself
    joined = "".join(path)
    if key not in ("change", "change_pct") and _is_prior(joined, doc_year, words=key not in _OWN_PRIOR_WORD):
        key = "prior_" + key
    elif doc_kind == "final_accounts" and key != "budget_initial" and any(t["_budget"].match(p) for p in path):
        key = "budget_" + key
    return key


# Measures whose own name says 上年 (上年结转 is this year's money brought forward, not a
# prior-year column): only a printed earlier year makes their column a prior one.
_OWN_PRIOR_WORD = frozenset({"carryover", "fiscal_carryover", "nonfiscal_carryover"})


def _is_prior(label: str, doc_year: int | None, words: bool = True) -> bool:
    if words and templates()["_prior"].search(label):
        return True
    if doc_year:
        years = [int(y) for y in re.findall(r"(20\d\d)\s*年", label)]
        if years and all(y < doc_year for y in years):
            return True
    return False


def _parts_at(stats: list[dict], c: int, n: int) -> bool:
    """Column c holds 2-digit code parts and no amounts."""
    return c < n and stats[c]["part"] >= 1 and stats[c]["amounts"] == 0


def assign_roles(cols: Columns, body: list[list[str]], kind_measures: list[str] | None,
                 doc_year: int | None, doc_kind: str | None = None, scheme: str | None = None) -> None:
    """Decide code/name/measure columns from header labels, then from the body's content."""
    roles = templates()["_roles"]
    n = cols.n
    leaf = [cols.labels[c][-1] if cols.labels[c] else "" for c in range(n)]
    joined = ["".join(cols.labels[c]) for c in range(n)]
    stats = [_content(body, c) for c in range(n)]

    for c in range(n):
        if roles["lei"].search(leaf[c]) and cols.lei is None:
            cols.lei = c
        elif roles["kuan"].search(leaf[c]) and cols.kuan is None:
            cols.kuan = c
        elif roles["xiang"].search(leaf[c]) and cols.xiang is None and cols.lei is not None:
            cols.xiang = c
    if cols.lei is not None and cols.kuan not in (None, cols.lei + 1) and _parts_at(stats, cols.lei + 1, n):
        # 类 | 款 项 (one header cell over two columns, 西安 采购表): the parts printed beside
        # the 类, not a 款 header further right (部门经济分类 类 | 款)
        cols.kuan = cols.lei + 1
        cols.xiang = cols.lei + 2 if _parts_at(stats, cols.lei + 2, n) else None
    if cols.lei is not None and cols.kuan is None:
        cols.lei = cols.xiang = None  # a lone 类 is not a split code
    taken = {x for x in (cols.lei, cols.kuan, cols.xiang) if x is not None}
    taken |= {c for c in range(n) if roles["unit_code"].search(joined[c])}

    # split codes without 类/款/项 headers (or with them printed in a body row): 2-3 adjacent
    # columns of 3-digit then 2-digit parts. Before joined codes: a 类 column alone looks like one.
    if not cols.split_codes:
        for c in range(n - 1):
            if stats[c]["lei"] >= max(1, LEI_COLUMN_SHARE * stats[c]["n"]) and stats[c + 1]["part"] >= 1 \
                    and stats[c]["amounts"] == 0 and stats[c + 1]["amounts"] == 0:
                cols.lei, cols.kuan = c, c + 1
                if c + 2 < n and stats[c + 2]["part"] >= 1 and stats[c + 2]["amounts"] == 0:
                    cols.xiang = c + 2
                taken |= {x for x in (cols.lei, cols.kuan, cols.xiang) if x is not None}
                break
    # content first for codes: a column of codes is a code column whatever its header says.
    # Two code columns (政府经济分类 | 部门经济分类): the one of the table's scheme wins, the
    # other is kept as the row's alternative code.
    if not cols.split_codes:
        coded = [c for c in range(n) if c not in taken and stats[c]["n"]
                 and (stats[c]["codes"] >= 1 and stats[c]["codes"] + stats[c]["part"] >= CODE_COLUMN_SHARE * stats[c]["n"]
                      or stats[c]["prefixed"] >= CODE_COLUMN_SHARE * stats[c]["n"])
                 and not _measure_header(cols.labels[c], roles)]
        if coded:
            digit = DIGIT_BY_SCHEME.get(scheme or "")
            preferred = [c for c in coded if stats[c]["first"] == digit]
            cols.code = (preferred or coded)[0] if len(coded) == 1 or preferred else coded[-1]
            cols.alt_code = next((c for c in coded if c != cols.code), None)
            if stats[cols.code]["prefixed"] >= CODE_COLUMN_SHARE * stats[cols.code]["n"]:
                cols.name = cols.code  # '2040602-一般行政管理事务': code and name in one cell
            taken |= set(coded)
    if cols.code is None and not cols.split_codes:
        for c in range(n):
            if c not in taken and roles["code"].search(joined[c]) and not roles["name"].search(leaf[c]) \
                    and stats[c]["amounts"] < CODE_HEADER_AMOUNT_SHARE * max(stats[c]["n"], 1):
                cols.code = c
                taken.add(c)
                break

    for c in range(n):
        if c in taken:
            continue
        if roles["unit"].search(joined[c]) and stats[c]["text"] >= stats[c]["amounts"]:
            cols.unit = c
            taken.add(c)
            break
    for c in range(n):
        if c in taken:
            continue
        if roles["project"].search(leaf[c]) and cols.name is not None and stats[c]["text"] >= stats[c]["amounts"]:
            cols.project = c
            taken.add(c)
        elif cols.name is None and roles["name"].search(joined[c]) and stats[c]["text"] >= stats[c]["amounts"] \
                and stats[c]["text"] >= stats[c]["codes"] + stats[c]["part"] and not measure_key([leaf[c]], None):
            # 部门经济科目 | 类 over '302', | 款 over '99': a column of codes is no name column,
            # whatever its header says
            cols.name = c
            taken.add(c)
    if cols.name is None:  # the first mostly-text column
        for c in range(n):
            if c not in taken and stats[c]["text"] > stats[c]["amounts"]:
                cols.name = c
                taken.add(c)
                break

    amount_cols = [c for c in range(n) if c not in taken
                   and (stats[c]["amounts"] >= stats[c]["text"] or not stats[c]["n"])]
    _drop_shared_group(cols, amount_cols)
    _slide_labels_to_figures(cols, amount_cols, stats)
    used: dict[str, int] = {}
    unlabeled = []
    for c in amount_cols:
        key = measure_key(cols.labels[c], doc_year, doc_kind) if cols.labels[c] else None
        if key is None:
            unlabeled.append(c)
            continue
        if key.endswith("change_pct"):
            continue  # a percentage, not an amount: derivable, and never summed
        if key in used:  # the same key twice: the second is named by what its header adds
            key = qualified_key(key, cols.labels[c], cols.labels[used[key]], used, c)
        used[key] = c
        cols.measures[c] = key
    # a header we cannot read is no measure (备注), unless its column holds figures (广州 预算)
    unlabeled = [c for c in unlabeled if not cols.labels[c] or stats[c]["amounts"] > stats[c]["text"]]
    with_figures = [c for c in unlabeled if stats[c]["amounts"]]
    if len(with_figures) == 1 and not cols.measures and not kind_measures:
        cols.measures[with_figures[0]] = "total"  # the table's one column of figures is its amount
    elif unlabeled and kind_measures:
        # A printed header the vocabulary does not know, beside headers it does (西安 其中：专项资金
        # 列入部门预算的项目): its figures are kept under the column's letter, never given a
        # measure by position. Columns without a header (or tables with no known header at
        # all) take the kind's measures in print order.
        if used:
            for c in [c for c in unlabeled if cols.labels[c]]:
                cols.measures[c] = qualified_key("other", [], [], used, c)
            unlabeled = [c for c in unlabeled if not cols.labels[c]]
        free = [m for m in kind_measures if m not in used]
        for c, m in zip(unlabeled, free, strict=False):
            cols.measures[c] = m
    _assign_attributes(cols, taken, stats)


def _assign_attributes(cols: Columns, taken: set[int], stats: list[dict[str, int]]) -> None:
    """Text columns no other role took, named by their header (tables.yaml attributes): the
    采购目录, 数量 … a 采购表 prints beside each item. And economic classes printed as split
    类 | 款 columns beside a row's function code (西安 采购表: 部门 302 | 31, 政府 502 | 08, under
    headers printed above the grid): which one is the class's first digit's."""
    for c in range(cols.n):
        if c in taken or c in cols.measures or not cols.labels[c]:
            continue
        leaf = clean(cols.labels[c][-1])
        key = next((k for k, rx in templates()["_attributes"] if rx.search(leaf)), None)
        if key and key not in cols.attributes.values():
            cols.attributes[c] = key
    free = [c for c in range(cols.n) if c not in taken and c not in cols.measures and c not in cols.attributes]
    for c in free:
        key = ECON_PAIR_KEYS.get(stats[c]["first"])
        if key and c + 1 in free and key not in {k for _, k in cols.econ_pairs.values()} \
                and stats[c]["lei"] >= max(1, CODE_COLUMN_SHARE * stats[c]["n"]) \
                and stats[c + 1]["part"] >= max(1, CODE_COLUMN_SHARE * stats[c + 1]["n"]):
            cols.econ_pairs[c] = (c + 1, key)



def _measure_header(path: list[str], roles: dict) -> bool:
    """A header that names a measure and no code (公务接待费, 小计): its 5-digit 元 integers
    (25000) are figures, not codes."""
    return bool(path) and measure_key(path, None) is not None and not any(roles["code"].search(p) for p in path)


def _slide_labels_to_figures(cols: Columns, amount_cols: list[int], stats: list[dict[str, int]]) -> None:
    """A header centred over right-aligned figures: a text flavor gives the label a column of
    its own, empty in the body, and the figures an unlabelled column beside it (广州
    小计 | 其中：基本支出 | 项目支出). The label belongs to the figures."""
    for c in amount_cols:
        if not cols.labels[c] or stats[c]["n"]:
            continue
        for d in (c + 1, c - 1):
            if d in amount_cols and 0 <= d < cols.n and not cols.labels[d] and stats[d]["amounts"]:
                cols.labels[d], cols.labels[c] = cols.labels[c], []
                break


def qualified_key(key: str, path: list[str], first_path: list[str], used: dict[str, int], col: int) -> str:
    """Name a second column that reads as `key`: the header words it has and the first one lacks
    (扣除基建 → total_excl_capital, 年末结转 → carryover_closing, 本级财政拨款 → total_fiscal), from
    tables.yaml measure_qualifiers; a header printed identically twice takes its column letter."""
    extra = "/".join(p for p in path if p not in first_path) or "/".join(path)
    for suffix, rx in templates()["_qualifiers"]:
        if rx.search(extra) and f"{key}_{suffix}" not in used:
            return f"{key}_{suffix}"
    letters = ""
    n = col
    while True:
        letters = chr(ord("a") + n % LETTERS) + letters
        n = n // LETTERS - 1
        if n < 0:
            break
    return f"{key}_col_{letters}"


def _drop_shared_group(cols: Columns, amount_cols: list[int]) -> None:
    """A group label over every amount column names the table (一般公共预算基本支出), not a measure."""
    paths = [cols.labels[c] for c in amount_cols if cols.labels[c]]
    if len(paths) < 2:
        return
    while all(len(p) > 1 for p in paths) and len({p[0] for p in paths}) == 1:
        for c in amount_cols:
            if cols.labels[c]:
                cols.labels[c] = cols.labels[c][1:]
        paths = [cols.labels[c] for c in amount_cols if cols.labels[c]]


def _content(body: list[list[str]], c: int) -> dict[str, int]:
    n = codes = amounts = text = lei = part = prefixed = 0
    firsts: dict[str, int] = {}
    for row in body:
        if c >= len(row):
            continue
        t = clean(row[c])
        if not t:
            continue
        n += 1
        code, rest = (t, "") if is_code(t) else split_code_prefix(t)
        if code and not rest:  # a code alone in its cell, bracketed ([201]) or spaced (206 01 01) too
            codes += 1
            firsts[code[0]] = firsts.get(code[0], 0) + 1
        elif code:
            prefixed += 1
            firsts[code[0]] = firsts.get(code[0], 0) + 1
        if re.fullmatch(r"[1235]\d{2}", t):
            lei += 1
        if re.fullmatch(r"\d{1,2}", t) and int(t):  # 0 is a blank figure, never a 款/项 part
            part += 1
        if parse_amount(t) is not None and not is_code(t) and not re.fullmatch(r"\d{1,2}", t):
            amounts += 1
        elif re.search(r"[\u4e00-\u9fff]", t):
            text += 1
    first = max(firsts, key=lambda d: firsts[d]) if firsts else ""
    return {"n": n, "codes": codes, "amounts": amounts, "text": text, "lei": lei, "part": part,
            "prefixed": prefixed, "first": first}
