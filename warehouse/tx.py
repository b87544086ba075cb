"""Connection helpers: one way to run all-or-nothing writes, one way to read a single row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

import duckdb


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple | None:
    """The first row of a query, fetched with fetchall: DuckDB 2 keeps a partly fetched result
    open and then refuses con.sql() on the caller's connection ("unfinished result")."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT, or ROLLBACK on any exception (the original exception is re-raised,
    never masked by a failing rollback)."""
    con.begin()
    try:
        yield con
    except BaseException:
        with suppress(duckdb.Error):
            con.rollback()
        raise
    con.commit()
