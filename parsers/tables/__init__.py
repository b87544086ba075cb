"""A located table's grids → contract rows, items and totals.

One module per table family: coded tables (parsers.tables.coded, with the column roles of
parsers.tables.columns), two-sided summaries (parsers.tables.summary) and 三公 tables
(parsers.tables.three_public). This module dispatches by kind and checks the kind the
title gave against the header's evidence. The family modules turn amounts to 元.
"""

from __future__ import annotations

from parsers.amounts import AMOUNT_TOKEN, decimals_of
from parsers.document import Table
from parsers.headers import clean
from parsers.locate import Located
from parsers.tables.cells import Context
from parsers.tables.coded import build_coded
from parsers.tables.summary import build_summary
from parsers.tables.three_public import build_three_public

__all__ = ["Context", "build_table"]

# Kinds read as two sides (收入 | 支出) of label and amount blocks, not as coded rows.
SUMMARY_KINDS = {"income_expenditure_summary", "fiscal_appropriation_summary"}
# Kinds a title alone may not confirm: the header must name one of their value keys.
EVIDENCE_KINDS = {"expenditure_by_function", "gpb_expenditure_by_function", "fiscal_expenditure_by_function"}


def build_table(loc: Located, ctx: Context) -> Table:
    """Turn a located table into a contract Table (amounts in 元)."""
    t = Table(kind=loc.kind, label=loc.label, title=loc.title, pages=list(loc.pages),
              money_unit=loc.money_unit, unit=loc.unit, note=loc.note)
    if not loc.parts:
        t.empty = True
        return t
    t.flavor = loc.parts[0].flavor
    scores = [(p.accuracy, p.whitespace) for p in loc.parts if p.accuracy is not None]
    if scores:
        t.camelot_accuracy = min(a for a, _ in scores)
        t.camelot_whitespace = max(w for _, w in scores if w is not None)
    t.decimals = _printed_decimals(loc)
    if loc.kind in SUMMARY_KINDS:
        build_summary(t, loc, ctx)
    elif loc.kind == "three_public":
        build_three_public(t, loc, ctx)
    elif loc.kind == "performance_targets":
        pass  # read by parsers.performance from the same grids
    else:
        build_coded(t, loc, ctx)
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

