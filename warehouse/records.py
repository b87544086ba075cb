"""Document → per-table record dicts (pure, no database): tables, lines, totals, items, checks,
errors. Building everything before the transaction starts means a bad amount fails the load
before anything is touched."""

from __future__ import annotations

import json
from typing import Any

from parsers.document import Document, Row, Table
from parsers.normalise.codes import level_of, scheme_of
from parsers.normalise.names import normalise_name
from warehouse.amounts import lenient_amount, lenient_float, to_amount

Records = dict[str, list[dict[str, Any]]]


def table_records(doc: Document, doc_id: str) -> Records:
    """doc_tables, line_amounts, table_totals and summary_items rows for every table."""
    out: Records = {"doc_tables": [], "line_amounts": [], "table_totals": [], "summary_items": []}
    for t_idx, table in enumerate(doc.tables):
        out["doc_tables"].append(_table_row(doc_id, t_idx, table))
        for r_idx, row in enumerate(table.rows):
            out["line_amounts"].extend(_line_rows(doc_id, t_idx, table, r_idx, row))
        for measure, value in table.total.items():
            out["table_totals"].append({
                "doc_id": doc_id, "table_idx": t_idx, "table_kind": table.kind,
                "measure": measure, "amount_yuan": to_amount(value),
            })
        for i_idx, item in enumerate(table.items):
            for measure, value in item.values.items():
                out["summary_items"].append({
                    "doc_id": doc_id, "table_idx": t_idx, "item_idx": i_idx, "table_kind": table.kind,
                    "side": item.side, "label": item.label, "key": item.key, "code": item.code,
                    "measure": measure, "amount_yuan": to_amount(value), "page": item.page,
                })
    return out


def _table_row(doc_id: str, t_idx: int, table: Table) -> dict[str, Any]:
    return {
        "doc_id": doc_id, "table_idx": t_idx, "kind": table.kind, "label": table.label,
        "title": table.title, "pages": list(table.pages), "money_unit": table.money_unit,
        "table_unit": normalise_name(table.unit), "columns": json.dumps(table.columns, ensure_ascii=False),
        "empty": table.empty, "note": table.note, "flavor": table.flavor,
        "n_rows": len(table.rows), "n_items": len(table.items), "verification": table.verification,
        "chosen": table.chosen, "choice": table.choice,
    }


def _line_rows(doc_id: str, t_idx: int, table: Table, r_idx: int, row: Row) -> list[dict[str, Any]]:
    code = (row.code or "").strip() or None
    base = {
        "doc_id": doc_id, "table_idx": t_idx, "row_idx": r_idx, "table_kind": table.kind,
        "table_label": table.label, "table_title": table.title, "money_unit": table.money_unit,
        "code": code, "level": row.level or level_of(code), "scheme": row.scheme or scheme_of(code),
        "code_source": row.code_source, "name": row.name, "name_norm": normalise_name(row.name),
        "row_unit": normalise_name(row.unit), "project": row.project, "page": row.page,
    }
    return [{**base, "measure": m, "amount_yuan": to_amount(v)} for m, v in row.values.items()]


def check_records(doc: Document, doc_id: str) -> Records:
    """quality_checks and parse_errors rows; a check's figures are diagnostics, so bad ones become NULL."""
    checks = [
        {
            "doc_id": doc_id, "check_idx": i, "rule": c.rule, "table_name": c.table, "passed": c.passed,
            "expected": lenient_amount(c.expected), "actual": lenient_amount(c.actual),
            "detail": c.detail, "tolerance": lenient_float(c.tolerance), "page": c.page,
        }
        for i, c in enumerate(doc.checks)
    ]
    errors = [{"doc_id": doc_id, "error_idx": i, "message": m} for i, m in enumerate(doc.errors)]
    return {"quality_checks": checks, "parse_errors": errors}

