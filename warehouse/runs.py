"""Pipeline runs: when each started and finished and what it counted (for the run_summary view)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

import duckdb

from warehouse.load import aware


def start_run(con: duckdb.DuckDBPyConnection, run_id: str | None = None,
              started_at: datetime | None = None) -> str:
    """Register a run (idempotent for a given run_id) and return its id."""
    run_id = run_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]
    con.execute(
        "INSERT INTO runs (run_id, started_at, status) VALUES (?, ?, 'running') ON CONFLICT DO NOTHING",
        [run_id, aware(started_at) or datetime.now(UTC)],
    )
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, counts: Mapping[str, object] | None = None,
               status: str = "ok", finished_at: datetime | None = None) -> None:
    """Close a run with its counts (any JSON-able mapping) and status."""
    con.execute(
        "INSERT INTO runs (run_id, started_at, finished_at, status, counts) VALUES (?, NULL, ?, ?, ?) "
        "ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, status = excluded.status, "
        "counts = excluded.counts",
        [run_id, aware(finished_at) or datetime.now(UTC), status,
         json.dumps(dict(counts or {}), ensure_ascii=False, default=str)],
    )
