"""Bulk insert of record dicts through Arrow: one vectorised INSERT per table and batch instead
of a round trip per row.

Amounts arrive as the parser's floats. A float column is handed to DuckDB as the float's
shortest text (Arrow's cast, the same digits as Python's repr), and DuckDB casts that text to
the column's type: DECIMAL(18,2) gets the printed figure rounded half away from zero to the
cent, exactly what `Decimal(str(x)).quantize(…, ROUND_HALF_UP)` gives (a direct DOUBLE →
DECIMAL cast would round the binary value: 1.005 → 1.00); a DOUBLE column gets the same
float back. Decimals and everything else pass through as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.columns import Columns
from warehouse.keys import check_unique


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]] | Columns,
                *, suffix: str = "") -> int:
    """INSERT rows (dicts sharing one key set, or Columns) into `table` by column name, followed
    by `suffix` (an ON CONFLICT clause); return the count."""
    if not len(rows):
        return 0
    data = arrow_table(rows)
    check_unique(table, data)
    view = f"_insert_{table}"
    with registered(con, view, data):
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM "{view}" {suffix}')
    return len(rows)


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> Iterator[None]:
    """`data` as the view `name` while the block runs. After a failed statement DuckDB refuses
    even the unregister ("transaction is aborted"): that must not mask the statement's own error."""
    con.register(name, data)
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):
            con.unregister(name)
        raise
    con.unregister(name)


def arrow_table(rows: Sequence[dict[str, Any]] | Columns) -> pa.Table:
    """Columns of the first row's keys (converted in C++: a Python list per column costs 8×),
    or of the Columns; float columns as their shortest decimal text."""
    if isinstance(rows, Columns):
        data = rows.arrow()
    else:
        data = pa.Table.from_pylist(list(rows))
    for i, f in enumerate(data.schema):
        if pa.types.is_floating(f.type):
            data = data.set_column(i, f.name, pc.cast(data.column(i), pa.string()))
    return data
