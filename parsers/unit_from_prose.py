"""The money unit of tables that print none, in a report that declares none anywhere.

Such tables would be read as 元, and a 万元 table read as 元 is 10,000× too small while every
check still passes (its figures are the page's). The report's own prose is the evidence
left: when it quotes a table's printed total with its unit ("支出预算163,539.07万元"), that
unit is the table's. Every unit-less table of the report is read in the one unit all such
quotes agree on; with none or with disagreeing quotes the tables stay unit-less, and
verification flags them (parsers/verify.py).
"""

from __future__ import annotations

from decimal import Decimal

from parsers.document import Check, Table
from parsers.normalise.money import SCALE

CANDIDATES = ("元", "万元")  # what a table without a 单位 line prints in practice


def unit_from_prose(tables: list[Table], figures: list[dict]) -> tuple[str, Check] | None:
    """(unit, the check saying why) when the prose quotes at least one printed total of these
    tables (read as 元, i.e. as printed) and every quote fits one unit; else None."""
    quoted = [(Decimal(str(f["amount_yuan"])), Decimal(str(f.get("step_yuan") or 1)), f) for f in figures
              if f.get("amount_yuan")]
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
