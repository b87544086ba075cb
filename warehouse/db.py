"""Open the warehouse: upgrade the schema, refresh views and reference codes, handle the file lock.

Concurrency (DuckDB 1.x/2.x, checked by tests/test_query_sql.py): one process may open a file
read-write, *or* any number of processes may open it read-only; the two exclude each other
(an OS file lock). Within one process, connections must share one configuration: a read-only
connection cannot be opened while a read-write one is open (use the same instance instead).
So a reader fails at once while the nightly job is writing, and a writer fails while a reader
(e.g. an analyst's notebook) holds the file. Best available behaviour: short-lived connections
on both sides, retry for `wait` seconds, then raise WarehouseBusy saying who holds the lock and
what to do (retry later, or query an export made with `export`).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseBusy, WarehouseOutdated
from warehouse.keys import violations_view_sql
from warehouse.migrate import available, current_version, latest_version, migrate
from warehouse.reference import reference_checksum, seed_reference
from warehouse.template import copy_empty
from warehouse.tx import first_row, transaction

VIEWS_DIR = Path(__file__).parent / "views"  # NN_layer.sql, applied in name order (lineage → staging → marts)
_LOCK = re.compile(r"Could not set lock|Conflicting lock", re.I)
_PID = re.compile(r"PID (\d+)")


def connect(path: str | Path, read_only: bool = False, *, wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open (and, read-write, create/upgrade) the warehouse at `path`; ':memory:' works too.

    Read-write: applies pending migrations in order, reloads reference code lists when the
    bundled CSVs changed, and (re)creates the views when views/*.sql changed or the schema moved.
    Read-only: never writes; raises WarehouseOutdated if the file needs an upgrade first.
    A held lock is retried for `wait` seconds, then raises WarehouseBusy.
    """
    target = str(path)
    if target != ":memory:":
        p = Path(path)
        if read_only and not p.exists():
            raise FileNotFoundError(f"no warehouse at {p}: run the pipeline (or load a document) first")
        if not read_only:
            p.parent.mkdir(parents=True, exist_ok=True)
    if not read_only and target != ":memory:" and not Path(path).exists():
        copy_empty(Path(path), [*(m.sql for m in available()), reference_checksum(), views_sql()], _build)
    con = _open(target, read_only, wait)
    try:
        if read_only:
            _check_version(con, target)
        else:
            _build(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def writer(path: str | Path, *, wait: float = 60.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection held only for a batch of loads, so readers get the file in
    between; waits up to `wait` seconds for readers (whose connections are short) to let go."""
    con = connect(path, wait=wait)
    try:
        yield con
    finally:
        con.close()


def _open(target: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + max(wait, 0.0)
    delay = 0.1
    while True:
        try:
            return duckdb.connect(target, read_only=read_only)
        except duckdb.IOException as e:
            if not _LOCK.search(str(e)):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(busy_message(target, str(e), read_only)) from e
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def busy_message(target: str, duckdb_error: str, read_only: bool) -> str:
    """Say who holds the lock and what to do, instead of DuckDB's bare IO error."""
    m = _PID.search(duckdb_error)
    holder = f"process {m.group(1)}" if m else "another process"
    if read_only:
        return (
            f"The warehouse {target} is locked by {holder}: the nightly job is probably writing to it. "
            "DuckDB lets no one read a file while it is being written. Retry in a few minutes, "
            "or query an export (budget-etl export …) instead."
        )
    return (
        f"The warehouse {target} is locked by {holder}: another writer, or a reader that keeps it open "
        "(a notebook or SQL shell). Close that connection and retry."
    )


def _check_version(con: duckdb.DuckDBPyConnection, target: str) -> None:
    have, want = current_version(con), latest_version()
    if have < want:
        raise WarehouseOutdated(
            f"The warehouse {target} has schema version {have}, this code needs {want}. "
            "Open it once read-write (any load or the nightly run) to upgrade it in place."
        )


def _build(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the schema, reference lists and views up to this code (each a no-op when current)."""
    applied = migrate(con)
    seed_reference(con)
    apply_views(con, force=bool(applied))


def views_sql() -> str:
    """The layers views/*.sql in name order (a later one may use an earlier one's views), and the
    key-violations view generated from the key table the loader checks."""
    sql = "\n".join(f.read_text(encoding="utf-8") for f in sorted(VIEWS_DIR.glob("*.sql")))
    return sql + "\n" + violations_view_sql()


def apply_views(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """(Re)create every view when their text changed; return whether it ran."""
    sql = views_sql()
    digest = hashlib.sha256(sql.encode()).hexdigest()[:16]
    if not force and _meta(con, "views_checksum") == digest:
        return False
    with transaction(con):
        con.execute(sql)
        con.execute(
            "INSERT INTO warehouse_meta VALUES ('views_checksum', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [digest],
        )
    return True


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = first_row(con, "SELECT value FROM warehouse_meta WHERE key = ?", [key])
    return row[0] if row else None
