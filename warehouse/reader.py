"""Read-only access for analysts, and what to do when the nightly job holds the file.

DuckDB lets one process write *or* many read (see warehouse/db.py). A reader therefore fails
while the nightly job writes: we retry for `wait` seconds, then raise WarehouseBusy telling the
user to retry or query an export. In the writer's own process a read-only connection is
refused ("different configuration"), so there we reuse the open instance and allow only
read statements ourselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.db import connect

READ_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}


@contextmanager
def reader(db_path: str | Path, *, wait: float = 3.0) -> Iterator[tuple[duckdb.DuckDBPyConnection, bool]]:
    """Yield (connection, enforced): enforced is False when reusing this process's writer."""
    try:
        con, enforced = connect(db_path, read_only=True, wait=wait), True
    except duckdb.ConnectionException as e:
        if "different configuration" not in str(e):
            raise
        con, enforced = duckdb.connect(str(db_path)), False
    try:
        yield con, enforced
    finally:
        con.close()


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse statements that could write, for connections DuckDB does not guard itself."""
    for stmt in con.extract_statements(sql):
        kind = str(stmt.type).rsplit(".", 1)[-1]
        if kind not in READ_STATEMENTS:
            raise PermissionError(f"read-only: {kind} statements are not allowed here")
