"""Load several documents in one transaction, each still all-or-nothing.

Every document is prepared (all its rows built and checked) before the transaction starts,
and the batch is written with one statement per table (warehouse/write.py), so a batch costs
about as many statements as one document. DuckDB has no savepoints: when the write fails,
the whole batch rolls back and its documents are written again one transaction each, so a
broken document fails alone, never leaves half of itself, and the others still load.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from warehouse.prepare import Prepared, prepare
from warehouse.tx import transaction
from warehouse.write import write_prepared


def load_documents(con: duckdb.DuckDBPyConnection, items: Sequence[dict[str, Any]], *,
                   before_commit: Callable[[int], None] | None = None) -> list[int | Exception]:
    """Load each item (load_document's keyword arguments, `doc` included); return per item its
    budget_lines count or the exception that refused it. Items are loaded in order: of two
    with one doc_id, the later is the one that stays, as with one load_document call each.
    `before_commit(n)` runs inside each transaction once its n documents are written (a test
    hook: a process killed there must leave none of them)."""
    out: list[int | Exception] = []
    ready: list[tuple[int, Prepared]] = []
    for i, item in enumerate(items):
        try:
            ready.append((i, prepare(**item)))
            out.append(0)
        except Exception as e:  # a document that cannot even be built fails before anything is written
            out.append(e)
    for group in _distinct_runs(ready):
        if len(group) > 1:
            try:
                with transaction(con):
                    write_prepared(con, [p for _, p in group])
                    if before_commit:
                        before_commit(len(group))
                for i, p in group:
                    out[i] = p.lines
                continue
            except Exception:  # noqa: BLE001 - retried one by one below, where each failure is reported
                pass
        for i, p in group:
            try:
                with transaction(con):
                    write_prepared(con, [p])
                    if before_commit:
                        before_commit(1)
                out[i] = p.lines
            except Exception as e:  # one refused document must not stop the others
                out[i] = e
    return out


def _distinct_runs(ready: list[tuple[int, Prepared]]) -> list[list[tuple[int, Prepared]]]:
    """Consecutive groups without a repeated doc_id (a batch writes each version once)."""
    groups: list[list[tuple[int, Prepared]]] = [[]]
    ids: set[str] = set()
    for i, p in ready:
        if p.doc_id in ids:
            groups.append([])
            ids = set()
        ids.add(p.doc_id)
        groups[-1].append((i, p))
    return [g for g in groups if g]
