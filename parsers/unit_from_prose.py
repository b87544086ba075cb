"""Money units against the report's own prose.

The unit of tables that print none, in a report that declares none anywhere: such tables
would be read as 元, and a 万元 table read as 元 is 10,000× too small while every
check still passes (its figures are the page's). The report's own prose is the evidence
left: when it quotes a table's printed total with its unit ("支出预算163,539.07万元"), that
unit is the table's. Every unit-less table of the report is read in the one unit all such
quotes agree on; with none or with disagreeing quotes the tables stay unit-less, and
verification flags them (parsers/verify.py). And a table whose unit contradicts the prose
(its total exactly 10,000× or 1/10,000 of a figure the prose states) fails a check.
"""

from __future__ import annotations

from decimal import Decimal

from parsers.document import Check, Table
from parsers.normalise.money import SCALE

CANDIDATES = ("元", "万元")  # what a table without a 单位 line prints in practice
PRECISION = 1000  # a quote counts when stated to 1/1000 of itself or finer (350.00万元, not 1万元 or 2.04万元)


def _quotes(figures: list[dict]) -> list[tuple[Decimal, Decimal, dict]]:
    """(amount in 元, its printed step in 元, the figure) of the prose figures precise enough to
    tell one table total from another."""
    out = []
    for f in figures:
        amount, step = Decimal(str(f.get("amount_yuan") or 0)), Decimal(str(f.get("step_yuan") or 1))
        if amount > 0 and step * PRECISION <= amount:
            out.append((amount, step, f))
    return out


def unit_from_prose(tables: list[Table], figures: list[dict]) -> tuple[str, Check] | None:
    """(unit, the check saying why) when the prose quotes at least one printed total of these
    tables (read as 元, i.e. as printed) and every quote fits one unit; else None."""
    quoted = _quotes(figures)
    votes: dict[str, list[str]] = {}
    for t in tables:
        for printed in (Decimal(str(v)) for v in t.total.values() if v):
            for unit in CANDIDATES:
                value = printed * SCALE[unit]
                for amount, step, f in quoted:
                    if abs(value - amount) <= max(step, SCALE[unit] / 100):
                        votes.setdefault(unit, []).append(
                            f"{t.title or t.kind} (page {t.pages[0]}) prints {printed}, page {f.get('page')} "
                            f"says '{str(f.get('sentence', ''))[:40]}'")
    if len(votes) != 1:
        return None
    (unit, why), = votes.items()
    return unit, Check(rule="money unit from the report's prose", table="(all tables without a unit)", passed=True,
                       page=tables[0].pages[0],
                       detail=f"no table or page prints a money unit; read as {unit}: {why[0]}"
                              + (f" (and {len(why) - 1} more)" if len(why) > 1 else ""))


def units_against_prose(tables: list[Table], figures: list[dict]) -> list[Check]:
    """A failed check for each table whose printed total, in 元, is exactly 10,000× or
    1/10,000 of a figure the prose states, and equal to none: its unit is the other one
    (a 单位 line carried from the table before, or read from the wrong line). A verified
    table becomes a mismatch: its figures are the page's, its amounts in 元 are not."""
    quoted = _quotes(figures)
    checks = []
    for t in tables:
        if t.empty or not t.pages:
            continue
        for key, v in t.total.items():
            value = Decimal(str(v)) if v else Decimal(0)
            if value < 1 or any(abs(value - a) <= s for a, s, _ in quoted):
                continue
            off = next(((a, f, ratio) for a, s, f in quoted for ratio in (Decimal(10000), 1 / Decimal(10000))
                        if abs(value * ratio - a) <= max(s, ratio / 100)), None)  # value: to the cent
            if off:
                a, f, ratio = off
                if t.verification is not None:
                    t.verification = "mismatch"
                checks.append(Check(
                    rule="money unit agrees with the report's prose", table=f"{t.kind} ({t.label or t.title})",
                    passed=False, expected=float(a), actual=float(value), page=t.pages[0],
                    detail=f"page {t.pages[0]}: the table's {key} {value:,.2f} 元 ({t.money_unit}) is "
                           f"{'10,000×' if ratio < 1 else '1/10,000 of'} the {a:,.2f} 元 page {f.get('page')} states "
                           f"('{str(f.get('sentence', ''))[:40]}'): the table's money unit is likely wrong"))
                break
    return checks
