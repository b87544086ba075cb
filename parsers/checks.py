"""Arithmetic identities a correct reading of a report satisfies; each result is recorded.

Tolerance is the rounding of the printed unit: one unit in the last printed digit per
summand (real reports round each figure separately, e.g. 96.33 + 7.31 printed as 103.65).
A failed identity never drops data; it flags it.
"""

from __future__ import annotations

from collections import defaultdict

from parsers.amounts import SCALE
from parsers.codes import rows_below
from parsers.document import Check, Document, Table
from parsers.normalise.codes import level_of

# (sum, parts, columns that must be absent): the first identities whose columns a table has
SPLITS = (("total", ("basic", "project"), ()),
          ("basic", ("personnel", "public"), ()),
          ("total", ("personnel", "public", "project"), ("basic",)),
          ("total", ("personnel", "public"), ("basic", "project")))
FUNCTION_KINDS = {"expenditure_by_function", "gpb_expenditure_by_function", "gov_fund_expenditure",
                  "soe_capital_expenditure", "fiscal_expenditure_by_function", "revenue_summary"}
ECON_KINDS = {"gpb_basic_by_econ", "fiscal_basic_by_econ", "basic_by_econ", "gpb_expenditure_by_econ",
              "expenditure_by_econ", "fiscal_expenditure_by_econ"}


def unit_step(t: Table) -> float:
    """One unit of the last printed digit, in 元."""
    decimals = t.decimals if t.decimals is not None else 2
    return float(SCALE.get(t.money_unit or "元", 1)) / (10 ** decimals)


def _name(t: Table) -> str:
    return f"{t.kind} ({t.label or t.title})"


def _check(out: list[Check], rule: str, t: Table, expected: float, actual: float, n: int,
           detail: str, page: int | None = None) -> None:
    tol = max(n, 1) * unit_step(t) + 0.005
    out.append(Check(rule=rule, table=_name(t), passed=abs(expected - actual) <= tol, expected=round(expected, 2),
                     actual=round(actual, 2), detail=detail, tolerance=round(tol, 2), page=page))


def run_checks(doc: Document) -> list[Check]:
    out: list[Check] = []
    for t in doc.tables:
        if t.empty or not t.rows:
            continue
        _row_splits(out, t)
        if t.kind in FUNCTION_KINDS or t.kind in ECON_KINDS:
            _parents(out, t)
            _table_total(out, t)
    _three_public(out, doc)
    _cross_tables(out, doc)
    return out


def _row_splits(out: list[Check], t: Table) -> None:
    for key, parts, absent in SPLITS:
        if key not in t.columns or not all(p in t.columns for p in parts) or any(a in t.columns for a in absent):
            continue
        rule = f"{key} = {' + '.join(parts)}"
        for row in t.rows:
            v = row.values
            if key in v and all(p in v for p in parts):
                _check(out, rule, t, v[key], sum(v[p] for p in parts), len(parts),
                       f"{row.code or row.name} {row.name}".strip(), row.page)
        if key in t.total and all(p in t.total for p in parts):
            _check(out, rule, t, t.total[key], sum(t.total[p] for p in parts), len(parts), "合计", t.pages[0])


def _groups(t: Table) -> dict[str | None, list]:
    g: dict[str | None, list] = defaultdict(list)
    for row in t.rows:
        if row.code:
            g[row.unit].append(row)
    return g


def _by_code(rows: list) -> dict[str, tuple[object, dict[str, float], int]]:
    """code → (first row, values summed over its rows, rows): a code printed on several rows
    (split by a second classification, 50101/50501 under 30101) counts once, summed."""
    out: dict[str, tuple[object, dict[str, float], int]] = {}
    for r in rows:
        first, sums, n = out.get(r.code, (r, {}, 0))
        for k, v in r.values.items():
            sums[k] = sums.get(k, 0.0) + v
        out[r.code] = (first, sums, n + 1)
    return out


def _parents(out: list[Check], t: Table) -> None:
    position = {id(r): i for i, r in enumerate(t.rows)} if any(r.level and not r.code for r in t.rows) else None
    for rows in _groups(t).values():
        by_code = _by_code(rows)
        for code, (parent, values, _) in by_code.items():
            kids = [(v, n) for c, (_, v, n) in by_code.items() if _nearest_parent(c, by_code) == code]
            if position is not None:
                kids += [(r.values, 1) for r in _uncoded_children(t, parent, position[id(parent)])]
            if not kids:
                continue
            for key in t.columns:
                if key not in values or key.endswith("pct"):
                    continue
                _check(out, "parent = sum of children", t, values[key], sum(v.get(key, 0.0) for v, _ in kids),
                       sum(n for _, n in kids), f"{code} {parent.name} [{key}]", parent.page)


def _nearest_parent(code: str, printed: dict) -> str | None:
    """The code's closest printed ancestor: its own parent, or the one above when the parent is
    not printed (西安 3010201 津贴补贴 under 301, with no 30102 line)."""
    for n in range(len(code) - 2, 2, -2):
        if code[:n] in printed:
            return code[:n]
    return None


def _uncoded_children(t: Table, parent, i: int) -> list:
    """Rows one level down, printed under the parent (row i) before its next sibling, that no
    list gave a code (杭州 prints none: 超长期特别国债安排的支出 under 214): children all the same."""
    level = level_of(parent.code)
    return [r for r, lv in rows_below(t.rows, i) if not r.code and lv == level + 1 and r.unit == parent.unit]


def _table_total(out: list[Check], t: Table) -> None:
    groups = _groups(t)
    if len(groups) != 1 or not t.total:
        return
    (rows,) = groups.values()
    tops = {c: (v, n) for c, (_, v, n) in _by_code(rows).items() if len(c) == 3}
    if not tops:
        return
    for key, total in t.total.items():
        if key not in t.columns or key.endswith("pct"):
            continue
        _check(out, "table total = sum of 类 rows", t, total, sum(v.get(key, 0.0) for v, _ in tops.values()),
               sum(n for _, n in tops.values()), f"合计 [{key}]", t.pages[0])


def _three_public(out: list[Check], doc: Document) -> None:
    for t in doc.tables:
        if t.kind != "three_public" or t.empty:
            continue
        tot = t.total
        if any(k in tot for k in ("abroad", "reception", "vehicle_total")):
            vehicle = tot.get("vehicle_total") or tot.get("vehicle_purchase", 0.0) + tot.get("vehicle_operation", 0.0)
            _check(out, "三公 total = abroad + vehicle + reception", t, tot.get("total", 0.0),
                   tot.get("abroad", 0.0) + vehicle + tot.get("reception", 0.0), 3, "合计", t.pages[0])
        if tot.get("vehicle_total") and ("vehicle_purchase" in t.columns or "vehicle_operation" in t.columns
                                         or any(i.key == "vehicle_purchase" for i in t.items)):
            _check(out, "vehicle = purchase + operation", t, tot["vehicle_total"],
                   tot.get("vehicle_purchase", 0.0) + tot.get("vehicle_operation", 0.0), 2, "公务用车购置及运行费",
                   t.pages[0])


def _first(doc: Document, kind: str) -> Table | None:
    return next((t for t in doc.tables if t.kind == kind and not t.empty and (t.total or t.rows)), None)


def _cross_tables(out: list[Check], doc: Document) -> None:
    exp = _first(doc, "expenditure_by_function")
    summary = _first(doc, "income_expenditure_summary")
    gpb = _first(doc, "gpb_expenditure_by_function")
    fiscal = _first(doc, "fiscal_appropriation_summary")
    econ = _first(doc, "gpb_basic_by_econ")
    if exp and summary and "total" in exp.total and not _has_units(exp):
        want = summary.total.get("expenditure_year", summary.total.get("expenditure_total"))
        if want is not None and "expenditure_year" in summary.total:
            _check(out, "支出总表 total = 收支总表 本年支出", exp, want, exp.total["total"], 1,
                   "cross-table", exp.pages[0])
    if gpb and fiscal and "total" in gpb.total:
        want = fiscal.total.get("expenditure_general_public_budget")
        if want is not None:
            _check(out, "一般公共预算支出表 total = 财政拨款收支总表 一般公共预算", gpb, want, gpb.total["total"], 1,
                   "cross-table", gpb.pages[0])
    if gpb and econ and "basic" in gpb.total and "total" in econ.total:
        _check(out, "一般公共预算 基本支出 = 基本支出表 total", econ, gpb.total["basic"], econ.total["total"], 1,
               "cross-table", econ.pages[0])


def _has_units(t: Table) -> bool:
    return any(r.unit for r in t.rows)
