"""Every table checked against its pages' own text, not against the grid it was built from.

The grid came from camelot's column guessing; the text layer is what the page prints. Each
visual line inside a table's area is cut into printed records (code, label, figures in
print order, with their x positions) straight from the layout words, and each record must
be found among what the table holds on that page: a coded line as the row with that code
and the same figures, an uncoded line with figures as a row, an item or the printed total.
A record read nowhere, a figure that differs, a figure under another column than its
neighbours' (a shifted column), an uncoded line whose figures are held only under other
names, or a table of zeros on a page of non-zero figures fails a check naming the page, the
line and the figure. Nothing is dropped: a failed verification
flags the table (`Table.verification = "mismatch"`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from parsers.amounts import SCALE
from parsers.document import Check, Table
from parsers.extract import PageLayout, TextLine
from parsers.headers import measure_key
from parsers.locate import Located
from parsers.normalise.codes import split_code_prefix
from parsers.normalise.names import loose_name, names_overlap
from parsers.printed import CJK, PROSE_MARK, Printed, printed_records
from parsers.verify_columns import ruled_keys
from parsers.vocab import pattern

PERCENT_HEADER = re.compile(r"[%％]|增长|增减|比上年|比重|占比|率|^数量$")  # columns no table keeps
COLUMN_TOLERANCE = 8.0  # pt: right edges of figures in one column (right-aligned) differ by less
MAX_FAILED_CHECKS = 12  # per table: enough to see the pattern without drowning the report
MIN_UNREAD_CODE_LINES = 3  # coded lines on a page no table covers: fewer is prose citing codes
MIN_READ_CODE_SHARE = 0.9  # of a page's coded text lines: found as rows read from that page, figures and all
# On a line of the page's own text (pdfium's), the next code and name: a side-by-side block.
TEXT_NEXT_CODE = re.compile(r"(?<=[\s\d.,%])[\[【]?[1235]\d{2}(?:\s{0,3}\d{2}){0,2}[\]】]?\s*[\u4e00-\u9fff]")  # split too: 302 01
TEXT_FIGURE = re.compile(r"(?<![\d.])-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+(?![\d.%％])")  # not a percentage
MIN_WORD_CHARS = 2  # a word of a line's label that can name a row by itself ('购' cannot)
SHIFT_AGREEMENT = 0.6  # share of a column's figures that must agree on its key before a shift is judged


@dataclass
class _Held:
    """Something the table holds on a page: a row, an item or the total."""

    what: str
    code: str | None
    name: str
    values: dict[str, Decimal]  # in the printed unit
    alt: str | None = None
    unit: bool = False  # an item that is a unit's subtotal (unit_total)


def _held(t: Table, page: int, scale: Decimal) -> list[_Held]:
    derived = {k for k, label in t.columns.items() if label == k}  # filled from a block header, not printed
    out = []
    for r in t.rows:
        if r.page == page:
            out.append(_Held("row", r.code, loose_name(r.name), _printed(r.values, scale, derived), alt=r.alt_code))
    for i in t.items:
        if i.page in (page, None):
            out.append(_Held("item", i.code, loose_name(i.label), _printed(i.values, scale, derived),
                             unit=i.key == "unit_total"))
    if t.total:
        out.append(_Held("total", None, "合计", _printed(t.total, scale, set())))
    return out


def _printed(values: dict[str, float], scale: Decimal, derived: set[str]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) / scale for k, v in values.items() if k not in derived}


def _close(a: Decimal, b: Decimal, step: Decimal) -> bool:
    return abs(a - b) <= step / 2 + Decimal("0.0000001")


def _covers(held: dict[str, Decimal], figures: list[Decimal], step: Decimal) -> list[Decimal]:
    """The printed figures not among the held values (as a multiset; zeros always match a blank)."""
    pool = [v for v in held.values()]
    missing = []
    for f in figures:
        hit = next((i for i, v in enumerate(pool) if _close(v, f, step)), None)
        if hit is None:
            if f != 0:
                missing.append(f)
        else:
            pool.pop(hit)
    return missing


def _extra(held: dict[str, Decimal], figures: list[Decimal], step: Decimal) -> list[tuple[str, Decimal]]:
    """Non-zero held values the line does not print: figures the grid took from elsewhere."""
    pool = list(figures)
    out = []
    for k, v in held.items():
        if v == 0:
            continue
        hit = next((i for i, f in enumerate(pool) if _close(v, f, step)), None)
        if hit is None:
            out.append((k, v))
        else:
            pool.pop(hit)
    return out


def _area_lines(loc: Located, page: int, layout: PageLayout) -> list[TextLine]:
    boxes = [g.bbox for g in loc.parts if g.page == page]
    if not boxes:
        return []
    # the whole width: a text flavor's box may stop short of a sparse right-hand column
    y0 = min(b[1] for b in boxes) - 2
    y1 = max(b[3] for b in boxes) + 2
    return [ln for ln in layout.lines if y0 <= (ln.y0 + ln.y1) / 2 <= y1]


def _dropped_columns(lines: list[TextLine], records: list[Printed], kept: set[str]) -> list[tuple[float, float]]:
    """x ranges of columns the table deliberately leaves out (percentages, growth rates), read
    from header words above the figures. A header naming a measure the table keeps (增减额:
    change) is no such column: its figures are checked, and neither is a sentence (项目简介)."""
    tops = [r.y for r in records]
    if not tops:
        return []
    out = []
    for ln in lines:
        for x0, x1, w in ln.words:
            if PERCENT_HEADER.search(w) and not CJK.sub("", w).strip().isdigit() and not PROSE_MARK.search(w) \
                    and measure_key([w], None) not in kept:
                out.append((x0 - 4, x1 + 30))
    return out


def verify_document(built: list[tuple[Table, Located]], layouts: list[PageLayout],
                    texts: list[str] | None = None) -> list[Check]:
    """Verify every built table, then flag pages that print code rows no table was read from:
    by the layout's words, and by the page's own text (`texts`, pdfium's)."""
    by_page = {pl.number: pl for pl in layouts}
    checks: list[Check] = []
    for t, loc in built:
        checks += verify_table(t, loc, by_page)
    covered = {p for t, _ in built for p in t.pages}
    for pl in layouts:
        spans = [_area_span(loc, pl.number) for _, loc in built if pl.number in loc.pages]
        lines = [ln for ln in pl.lines if not any(y0 <= (ln.y0 + ln.y1) / 2 <= y1 for y0, y1 in spans)]
        coded = [r for r in printed_records(lines, pl.number, False) if r.code and CJK.search(r.label)]
        if len(coded) < MIN_UNREAD_CODE_LINES:
            continue
        where = "outside every table read from it" if pl.number in covered else "but no table was read from it"
        checks.append(Check(rule="text layer: page with code rows read", table="(none)", passed=False,
                            expected=float(len(coded)), actual=0.0, page=pl.number,
                            detail=f"page {pl.number} prints {len(coded)} coded lines (first: "
                                   f"'{coded[0].text[:60]}') {where}"))
    flagged = {c.page for c in checks if not c.passed and c.table == "(none)"}
    return checks + unread_text_lines([t for t, _ in built], texts or [], flagged)


def unread_text_lines(tables: list[Table], texts: list[str], flagged: set[int | None]) -> list[Check]:
    """The second sweep, independent of camelot: a page whose pdfium text prints coded lines
    with figures that are mostly not a row read from that page with the same figures. It
    catches what the layout never showed the parser (a page the page selection skipped, words
    a font hides from the layout but not from the text layer), which the checks above cannot
    see. Decimals only: a bare integer on such a line may be a code or a unit's number."""
    read: dict[tuple[int, str], list[dict[str, Decimal]]] = {}
    for t in tables:
        scale = SCALE.get(t.money_unit or "元", Decimal(1))
        derived = {k for k, label in t.columns.items() if label == k}
        for r in t.rows:
            for code in {r.code, r.alt_code} - {None}:
                if r.page is not None:
                    read.setdefault((r.page, code), []).append(_printed(r.values, scale, derived))
    checks = []
    for number, text in enumerate(texts, start=1):
        if number in flagged:
            continue
        lines = [rec for ln in text.split("\n") if (rec := _text_line(ln))]
        if len(lines) < MIN_UNREAD_CODE_LINES:
            continue
        missing = [ln for code, figures, step, ln in lines  # no row holds all of the line's figures
                   if all(_covers(held, figures, step) for held in read.get((number, code), ()))]
        if len(lines) - len(missing) >= MIN_READ_CODE_SHARE * len(lines):
            continue
        checks.append(Check(rule="text layer: page's coded lines read", table="(none)", passed=False,
                            expected=float(len(lines)), actual=float(len(lines) - len(missing)), page=number,
                            detail=f"page {number} prints {len(lines)} coded lines with figures, and "
                                   f"{len(lines) - len(missing)} of them are a row read from it with the same "
                                   f"figures (first not: '{missing[0][:60]}'): read this page by hand"))
    return checks


def _text_line(line: str) -> tuple[str, list[Decimal], Decimal, str] | None:
    """(code, decimal figures, their step, the line) of a line of pdfium text that opens with
    a code (any printed form split_code_prefix reads) and a name, cut
    where a side-by-side block's next code starts; None for any other line, and for one whose
    figures the text layer glued together (their decimal places differ)."""
    code, rest = split_code_prefix(line)
    if not code or not CJK.match(rest):
        return None
    nxt = TEXT_NEXT_CODE.search(rest)
    found = TEXT_FIGURE.findall(rest[:nxt.start()] if nxt else rest)
    places = {len(f.rsplit(".", 1)[1]) for f in found}
    if len(places) != 1:  # none, or two figures printed without a gap (5,156,059.0058,234,500.00)
        return None
    figures = [Decimal(f.replace(",", "")) for f in found]
    return code, figures, Decimal(1) / (Decimal(10) ** places.pop()), line.strip()


def _area_span(loc: Located, page: int) -> tuple[float, float]:
    """The vertical extent of a table's grids on a page; the whole page when it has none there
    (its area is unknown)."""
    boxes = [g.bbox for g in loc.parts if g.page == page]
    if not boxes:
        return (-1e9, 1e9)
    return (min(b[1] for b in boxes) - 2, max(b[3] for b in boxes) + 2)


def verify_table(t: Table, loc: Located, layouts: dict[int, PageLayout]) -> list[Check]:
    """Compare one built table with its pages' text; set t.verification; return the checks."""
    if t.empty or not loc.parts or t.kind == "performance_targets":
        t.verification = "unverifiable" if not t.empty else None
        return []
    scale = SCALE.get(t.money_unit or "元", Decimal(1))
    # no figure with a separator or decimals anywhere: a 元 table of bare integers (西安 551800)
    decimals = t.decimals if t.decimals is not None else (0 if (t.money_unit or "元") == "元" else 2)
    step = Decimal(1) / (Decimal(10) ** decimals)
    integers = decimals == 0
    name = f"{t.kind} ({t.label or t.title})"
    by_name = t.kind != "three_public"
    failed: list[Check] = []
    n_records = n_ok = 0
    dropped: list[tuple[float, float]] = []
    index: dict[tuple[int | None, str | None], list] = {}
    for r in t.rows:
        index.setdefault((r.page, r.code), []).append(r)
    for page in t.pages:
        layout = layouts.get(page)
        if layout is None:
            continue
        lines = _area_lines(loc, page, layout)
        ruled = sorted({(round(row[0].y0, 1), round(row[0].y1, 1)) for g in loc.parts
                        if g.page == page and g.flavor == "lattice" for row in g.cells}, key=lambda r: -r[1])
        records = printed_records(lines, page, integers, ruled)
        held = _held(t, page, scale)
        held_by_code: dict[str | None, list[_Held]] = {}
        for h in held:
            held_by_code.setdefault(h.code, []).append(h)
            if h.alt and h.alt != h.code:
                held_by_code.setdefault(h.alt, []).append(h)
        positions = key_positions(index, records, scale, step)
        spans = ruled_keys(t, loc, page)
        # a continuation page that does not repeat the header drops the columns its first page did
        dropped = _dropped_columns(lines, records, set(t.columns)) or dropped
        for rec in records:
            figures = [v for x, v, _ in rec.figures if not any(a <= x <= b for a, b in dropped)]
            if not figures:
                continue
            n_records += 1
            problem = _match(rec, figures, held_by_code, step, by_name) or _shifted(rec, index, positions, spans, scale, step)
            if problem is None:
                n_ok += 1
                continue
            detail, expected, actual = problem
            failed.append(Check(rule="text layer: printed line read", table=name, passed=False,
                                expected=float(expected * scale) if expected is not None else None,
                                actual=float(actual * scale) if actual is not None else None,
                                detail=f"page {page}: '{rec.text[:80]}': {detail}", page=page))
        page_failed = any(c.page == page for c in failed)
        if page_failed and _all_zero(t, page) and any(v != 0 for r in records for _, v, _ in r.figures):
            failed.insert(0, Check(rule="text layer: table not all zeros", table=name, passed=False,
                                detail=f"page {page}: every amount read is 0 but the page prints non-zero figures",
                                page=page))
    if n_records == 0:
        t.verification = "unverifiable"
        return [Check(rule="text layer: printed lines found", table=name, passed=False,
                      detail=f"pages {t.pages}: no printed figures found in the table's area; "
                             "the table could not be verified against the page text",
                      page=t.pages[0] if t.pages else None)] if _has_figures(t) else []
    t.verification = "mismatch" if failed else "verified"
    checks = failed[:MAX_FAILED_CHECKS]
    if len(failed) > MAX_FAILED_CHECKS:
        pages = sorted({c.page for c in failed[MAX_FAILED_CHECKS:] if c.page})
        checks.append(Check(rule="text layer: printed line read", table=name, passed=False, page=pages[0],
                            detail=f"{len(failed) - MAX_FAILED_CHECKS} more lines not read right on pages {pages}"))
    checks.append(Check(rule="text layer verification", table=name, passed=not failed,
                        expected=float(n_records), actual=float(n_ok), page=t.pages[0] if t.pages else None,
                        detail=f"{n_ok} of {n_records} printed lines on pages {t.pages} match the table"))
    if t.money_unit is None:  # the figures are the page's; whether they are 元 or 万元 is not known
        t.verification = "mismatch" if failed else "unverifiable"
        checks.append(Check(rule="text layer: money unit printed", table=name, passed=False, page=t.pages[0],
                            detail=f"page {t.pages[0]}: neither the table nor the report prints a money unit "
                                   "(单位：万元/元); its amounts are taken as 元: check the unit by hand"))
    return checks


def _match(rec: Printed, figures: list[Decimal], held_by_code: dict[str | None, list[_Held]],
           step: Decimal, by_name: bool = True) -> tuple[str, Decimal | None, Decimal | None] | None:
    """None when the record is what the table holds; else (what is wrong, printed, read). An
    uncoded line must be held under its own name when `by_name` (not in the 三公 table, whose
    lines are years and 预算数/决算数 with its items in columns)."""
    code = rec.code + "".join(rec.parts[:2]) if rec.code and len(rec.code) == 3 else rec.code
    if code and rec.parts and len(code) in (5, 7):
        rec.code, rec.parts = code, []
    if rec.code:
        same = held_by_code.get(rec.code, []) + (held_by_code.get(rec.alt, []) if rec.alt else [])
        if not same:
            if _unit_item(rec, figures, held_by_code.get(None, []), step):
                return None  # 201001 中共西安市委宣传部: a unit's number, read as that unit's item
            return f"code {rec.code} is printed here but no row with it was read from this page", figures[0], None
        best = min(same, key=lambda h: (len(_covers(h.values, figures, step)), len(_extra(h.values, figures, step))))
        missing = _covers(best.values, figures, step)
        if missing:
            return (f"row {rec.code}: printed figure {missing[0]:,} not in the row "
                    f"(read {_fmt(best.values)})", missing[0], None)
        if len(figures) > len(best.values):
            return (f"row {rec.code}: the line prints {len(figures)} figures but the table keeps "
                    f"{len(best.values)} columns: a column was not read", figures[-1], None)
        extra = _extra(best.values, figures, step)
        if extra:
            k, v = extra[0]
            return f"row {rec.code}: {k} = {v:,} is not printed on this line", None, v
        # by name too, among the rows of the printed code (a row held by its second code is
        # named by its first: 2040601 行政运行 | 50101 工资奖金津补贴)
        holding = [h for h in same if h.code == rec.code and not _covers(h.values, figures, step)]
        if by_name and holding and CJK.search(rec.label) and not _held_by_name(holding, rec.label, rec.words):
            return (f"row {rec.code}: read under the name '{holding[0].name[:30]}', the page prints "
                    f"'{rec.label[:30]}'", figures[0], None)
        return None
    label = loose_name(rec.label)
    held = list({id(h): h for hs in held_by_code.values() for h in hs}.values())
    total_line = bool(pattern("tables.yaml", "total_rows").match(rec.label.replace(" ", "")))
    if total_line:
        held = [h for h in held if not h.unit]  # the 合计 line is the table's, never a unit's line
    candidates = [h for h in held if not _covers(h.values, figures, step)]
    if candidates and by_name and _judged_by_name(label, figures) and not _held_by_name(candidates, label, rec.words):
        return (f"its figures were read only under other names ('{candidates[0].name[:30]}'): "
                "no row, item or total of this name holds them", figures[0], None)
    if not candidates:
        near = [h for h in held if names_overlap(label, h.name)]
        if near:
            miss = _covers(near[0].values, figures, step)
            return f"'{near[0].name}': printed figure {miss[0]:,} not read (read {_fmt(near[0].values)})", miss[0], None
        return "these figures were not read into any row, item or total", figures[0], None
    return None


def _held_by_name(candidates: list[_Held], label: str, words: list[str]) -> bool:
    """One of the rows holding the line's figures has the line's name (or one of its words')."""
    names = [label, *(w for w in words if len(CJK.findall(w)) >= MIN_WORD_CHARS)]
    return any(_named(h, text) for h in candidates for text in names)


def _named(h: _Held, label: str) -> bool:
    """The held row can be the printed line (or one of its words: 物业管理服 | 部门集中采购) by
    name: the characters of one are among the other's, as a wrapped name prints a piece a line
    and a line's pieces may come in any order. A total is never a named line (合计 lines are
    not judged by name); a row read without a name is not judged, and one named without a
    Chinese character ('302', the next column's code) is not the line of a name."""
    if h.what == "total":
        return False
    if not h.name:
        return True
    a, b = set(CJK.findall(h.name)), set(CJK.findall(label))
    return bool(a) and (a <= b or b <= a) or not b


def _judged_by_name(label: str, figures: list[Decimal]) -> bool:
    """Lines whose name says which row they are: not a 合计/小计 line (人员经费合计, 当年支出小计 are
    read as totals and items under other names), not a line of zeros (they match any blank)."""
    return bool(label) and any(figures) and not pattern("tables.yaml", "subtotal_label").search(label)


def _unit_item(rec: Printed, figures: list[Decimal], uncoded: list[_Held], step: Decimal) -> bool:
    """The line is a unit's (its number printed where codes go) that the table read as an item
    of that unit with the same figures."""
    label = loose_name(rec.label)
    return any(h.unit and names_overlap(label, h.name) and not _covers(h.values, figures, step) for h in uncoded)


def _fmt(values: dict[str, Decimal]) -> str:
    return ", ".join(f"{k}={v:,}" for k, v in list(values.items())[:6]) or "nothing"


def _all_zero(t: Table, page: int) -> bool:
    vals = [v for r in t.rows if r.page == page for v in r.values.values()]
    vals += [v for i in t.items if i.page == page for v in i.values.values()]
    return bool(vals) and all(v == 0 for v in vals)


def _has_figures(t: Table) -> bool:
    return any(v for r in t.rows for v in r.values.values()) or any(t.total.values())


def _shifted(rec: Printed, index: dict[tuple[int | None, str | None], list], positions: dict[str, float],
             spans: list[tuple[float, float, str]], scale: Decimal,
             step: Decimal) -> tuple[str, Decimal | None, Decimal | None] | None:
    """A figure printed under a column whose key holds something else in the row: the row's
    figures moved to a neighbouring column (read right as a set, wrong as columns). The column
    is where the key's figures print (learned from the page's lines), else the ruled column
    its figure ends in (parsers/verify_columns.py)."""
    if not rec.code or not (positions or spans):
        return None
    rows = index.get((rec.page, rec.code), [])
    if len(rows) != 1:
        return None
    values = rows[0].values
    for x, v, text in rec.figures:
        if v == 0:
            continue
        near = [(abs(px - x), k) for k, px in positions.items() if abs(px - x) <= COLUMN_TOLERANCE and k in values]
        ruled = [k for x0, x1, k in spans if x0 < x - 1 < x1 and k in values]
        if near:
            _, k = min(near)
        elif ruled:
            k = ruled[0]
        else:
            continue
        held = Decimal(str(values[k])) / scale
        if not _close(held, v, step):
            return (f"row {rec.code}: {text} is printed under the {k} column but the row has {k} = {held:,}",
                    v, held)
    return None


def key_positions(index: dict[tuple[int | None, str | None], list], records: list[Printed], scale: Decimal,
                  step: Decimal) -> dict[str, float]:
    """Where each value key prints, by majority over the coded lines that matched one row."""
    votes: dict[str, Counter] = {}
    for rec in records:
        if not rec.code:
            continue
        rows = index.get((rec.page, rec.code), [])
        if len(rows) != 1:
            continue
        for x, v, _ in rec.figures:
            if v == 0:
                continue
            keys = [k for k, val in rows[0].values.items() if _close(Decimal(str(val)) / scale, v, step)]
            if len(keys) == 1:
                votes.setdefault(keys[0], Counter())[round(x / COLUMN_TOLERANCE)] += 1
    out = {}
    for k, c in votes.items():
        (pos, n), total = c.most_common(1)[0], sum(c.values())
        if n >= SHIFT_AGREEMENT * total:
            out[k] = pos * COLUMN_TOLERANCE
    return out


RANK = {"verified": 0, "unverifiable": 1, "mismatch": 2, None: 3}


def choose_tables(tables: list[Table]) -> None:
    """Two tables of one kind (a 支出总表 and a table the title rules also call one): the
    warehouse uses the one verified against its page, then the one with more coded rows and
    a printed total, then the first printed. Each says which it is and why."""
    by_kind: dict[str, list[Table]] = {}
    for t in tables:
        if not t.empty:
            by_kind.setdefault(t.kind, []).append(t)
    for kind, group in by_kind.items():
        if len(group) < 2:
            continue
        order = sorted(range(len(group)), key=lambda i: (RANK[group[i].verification],
                                                          -sum(1 for r in group[i].rows if r.code),
                                                          not group[i].total, i))
        best = group[order[0]]
        for t in group:
            t.chosen = t is best
            why = (f"{best.verification or 'unchecked'} against its page text, "
                   f"{sum(1 for r in best.rows if r.code)} coded rows, "
                   f"{'a printed total' if best.total else 'no printed total'}")
            t.choice = (f"used for {kind}: {why}" if t.chosen else
                        f"not used for {kind}: the table '{best.title}' on page {best.pages[0]} is ({why})")
