"""Load several documents in one transaction, each still all-or-nothing.

A DuckDB commit costs a WAL flush and the per-statement round trips dominate small loads,
so a batch shares one transaction. DuckDB has no savepoints: when anything in a batch
fails, the whole batch rolls back and its documents are loaded again one transaction each,
so a broken document fails alone, never leaves half of itself, and the others still load.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from warehouse.insert import IN_BATCH
from warehouse.load import load_document
from warehouse.tx import transaction


def load_documents(con: duckdb.DuckDBPyConnection, items: Sequence[dict[str, Any]]) -> list[int | Exception]:
    """Load each item (load_document's keyword arguments, `doc` included); return per item its
    budget_lines count or the exception that refused it."""
    if len(items) > 1:
        token = IN_BATCH.set(True)
        try:
            with transaction(con):
                return [load_document(con, **item) for item in items]
        except Exception:  # noqa: BLE001 - retried one by one below, where each failure is reported
            pass
        finally:
            IN_BATCH.reset(token)
    out: list[int | Exception] = []
    for item in items:
        try:
            out.append(load_document(con, **item))
        except Exception as e:  # one refused document must not stop the others
            out.append(e)
    return out
