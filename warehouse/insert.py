"""Bulk insert of record dicts through Arrow: one vectorised INSERT per table instead of a
round trip per row, with Decimals passed through exactly."""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

import duckdb
import pyarrow as pa


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> int:
    """INSERT rows (dicts sharing one key set) into `table` by column name; return the count."""
    if not rows:
        return 0
    columns = list(rows[0])
    data = pa.table({c: pa.array([r.get(c) for r in rows]) for c in columns})
    view = f"_insert_{table}"
    con.register(view, data)
    try:
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM "{view}"')
    finally:
        con.unregister(view)
    return len(rows)


# Set while warehouse.batch holds one transaction open for several documents: load_document
# then writes inside it instead of opening its own.
IN_BATCH: ContextVar[bool] = ContextVar("warehouse_batch_open", default=False)
