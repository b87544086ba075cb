"""Document → per-table record dicts (pure, no database): tables, lines, totals, items, checks,
errors. Building everything before the transaction starts means a bad amount fails the load
before anything is touched.

Amounts stay the parser's floats here (warehouse/insert.py hands them to DuckDB as their
shortest text, which DECIMAL(18,2) rounds exactly as Decimal(str(x)) would): a Decimal per
figure cost more than the whole insert."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

import pyarrow as pa

from parsers.document import Document, Row, Table
from parsers.normalise.codes import level_of, scheme_of
from parsers.normalise.names import normalise_name
from warehouse.columns import Columns
from warehouse.errors import LoadError

Records = dict[str, Any]  # table → list of row dicts, or Columns
LIMIT = 1e16  # DECIMAL(18,2) holds |x| < 10^16
_norm = lru_cache(maxsize=1 << 16)(normalise_name)  # row names repeat across tables and reports


def yuan(value: float, where: str) -> float:
    """A table figure in 元; a non-finite one refuses the document, saying where it is."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LoadError(f"{where}: not a finite amount: {value!r}")
    return value


def lenient_yuan(value: object) -> float | None:
    """A diagnostic figure: unusable (non-finite, too large for DECIMAL(18,2)) becomes NULL."""
    if type(value) is float:  # the common case, ~500 a report: NaN and ±inf fail the comparison
        return value if -LIMIT < value < LIMIT else None
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return value if ok and abs(value) < LIMIT else None


def lenient_number(value: object) -> float | None:
    """A ratio or tolerance: a finite number or NULL."""
    if type(value) is float:
        return value if value - value == 0 else None  # inf - inf and NaN are NaN
    if value is None:
        return None
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def table_records(doc: Document, doc_id: str) -> Records:
    """doc_tables, line_amounts, table_totals and summary_items rows for every table."""
    lines = Columns(LINE_COLUMNS, ("measure", "amount_yuan"), LINE_TYPES)
    out: Records = {"doc_tables": [], "line_amounts": lines, "table_totals": [], "summary_items": []}
    for t_idx, table in enumerate(doc.tables):
        out["doc_tables"].append(_table_row(doc_id, t_idx, table))
        for r_idx, row in enumerate(table.rows):
            _line_rows(lines, doc_id, t_idx, table, r_idx, row)
        for measure, value in table.total.items():
            out["table_totals"].append({
                "doc_id": doc_id, "table_idx": t_idx, "table_kind": table.kind,
                "measure": measure, "amount_yuan": yuan(value, f"{table.label or table.kind} total {measure}"),
            })
        for i_idx, item in enumerate(table.items):
            for measure, value in item.values.items():
                out["summary_items"].append({
                    "doc_id": doc_id, "table_idx": t_idx, "item_idx": i_idx, "table_kind": table.kind,
                    "side": item.side, "label": item.label, "key": item.key, "code": item.code,
                    "measure": measure, "amount_yuan": yuan(value, f"{table.label or table.kind} {item.label} {measure}"),
                    "page": item.page,
                })
    return out


def _table_row(doc_id: str, t_idx: int, table: Table) -> dict[str, Any]:
    return {
        "doc_id": doc_id, "table_idx": t_idx, "kind": table.kind, "label": table.label,
        "title": table.title, "pages": list(table.pages), "money_unit": table.money_unit,
        "table_unit": _norm(table.unit), "columns": json.dumps(table.columns, ensure_ascii=False),
        "empty": table.empty, "note": table.note, "flavor": table.flavor,
        "n_rows": len(table.rows), "n_items": len(table.items), "verification": table.verification,
        "chosen": table.chosen, "choice": table.choice,
    }


LINE_COLUMNS = ("doc_id", "table_idx", "row_idx", "table_kind", "table_label", "table_title", "money_unit",
                "code", "level", "scheme", "code_source", "name", "name_norm", "row_unit", "project", "page",
                "depth", "group_line", "attributes")
_S, _I = pa.string(), pa.int64()
LINE_TYPES = (_S, _I, _I, _S, _S, _S, _S, _S, _I, _S, _S, _S, _S, _S, _S, _I, _I, pa.bool_(), _S)


def _line_rows(lines: Columns, doc_id: str, t_idx: int, table: Table, r_idx: int, row: Row) -> None:
    """One line_amounts row a measure of the row: the row's fields once, repeated per measure."""
    values = row.values
    if not values:
        return
    for m, v in values.items():
        if type(v) is not float or v - v != 0:  # not a finite float: yuan() says where, or lets an int pass
            yuan(v, f"{table.label or table.kind} page {row.page} row {row.name!r} {m}")
    code = (row.code or "").strip() or None
    lines.add((doc_id, t_idx, r_idx, table.kind, table.label, table.title, table.money_unit,
               code, row.level or level_of(code), row.scheme or scheme_of(code), row.code_source, row.name,
               _norm(row.name), _norm(row.unit), row.project, row.page, row.depth, row.group,
               json.dumps(row.attributes, ensure_ascii=False) if row.attributes else None), len(values))
    lines.put("measure", values.keys())
    lines.put("amount_yuan", values.values())


CHECK_COLUMNS = ("doc_id", "check_idx", "rule", "table_name", "passed", "expected", "actual", "detail",
                 "tolerance", "page")
_F = pa.float64()
CHECK_TYPES = (_S, _I, _S, _S, pa.bool_(), _F, _F, _S, _F, _I)


def check_records(doc: Document, doc_id: str) -> Records:
    """quality_checks and parse_errors rows; a check's figures are diagnostics, so bad ones become NULL."""
    checks = Columns(CHECK_COLUMNS, types=CHECK_TYPES)
    for i, c in enumerate(doc.checks):
        checks.add((doc_id, i, c.rule, c.table, c.passed, lenient_yuan(c.expected), lenient_yuan(c.actual),
                    c.detail, lenient_number(c.tolerance), c.page))
    errors = [{"doc_id": doc_id, "error_idx": i, "message": m} for i, m in enumerate(doc.errors)]
    return {"quality_checks": checks, "parse_errors": errors}
