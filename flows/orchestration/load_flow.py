"""The load flow: parsed documents into the warehouse, a batch a transaction, single writer.

A batch (warehouse.batch.load_documents) costs about as many statements as one document, so
documents are loaded `LOAD_BATCH` at a time; a document the warehouse refuses makes its batch
roll back and be loaded again one document a transaction, so it fails alone and the others load.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from prefect import flow, get_run_logger

from flows.orchestration.context import RunContext
from flows.orchestration.pipeline import Parsed, WorkItem, apply_hint

LOAD_PAUSE_ENV = "BUDGET_ETL_LOAD_PAUSE"  # test hook: seconds to sleep after each batch's commit
LOAD_HOLD_ENV = "BUDGET_ETL_LOAD_HOLD"  # test hook: seconds to hold each batch's transaction open
LOAD_BATCH_ENV = "BUDGET_ETL_LOAD_BATCH"  # documents a transaction (default LOAD_BATCH)
LOAD_BATCH = 250  # bench/load_speed.py, 1,000 reports: 11.7 ms a report at 100 a transaction, 9.0 at 250, 10.1 at 500


def batch_size() -> int:
    """Documents a transaction: LOAD_BATCH, or a positive BUDGET_ETL_LOAD_BATCH."""
    raw = os.environ.get(LOAD_BATCH_ENV) or ""
    return int(raw) if raw.isdigit() and int(raw) > 0 else LOAD_BATCH


@flow(name="load")
def load_flow(ctx: RunContext, items: list[WorkItem], parsed: list[Parsed], run_id: str) -> dict:
    """Load parsed documents, a batch a transaction, as the warehouse's only writer.

    A document whose parse crashed is not loaded, so the next run tries it again; one the
    warehouse refuses is recorded as load_failed and the others go on.
    """
    from warehouse import writer

    log = get_run_logger()
    cfg, _ = ctx.load()
    pause = float(os.environ.get(LOAD_PAUSE_ENV) or 0)
    hold = float(os.environ.get(LOAD_HOLD_ENV) or 0)
    by_sha = {p.sha256: p for p in parsed}
    todo = [(item, by_sha[item.sha256]) for item in items if item.sha256 in by_sha and not by_sha[item.sha256].error]
    out: dict[str, Any] = {"rows": 0, "statuses": {}, "errors": {}}
    size = batch_size()

    def holding(n: int) -> None:
        log.info("writing a batch of %d, holding its transaction %.0f s", n, hold)
        time.sleep(hold)

    with writer(cfg.warehouse_path) as con:
        for start in range(0, len(todo), size):
            _load_batch(con, todo[start:start + size], start, len(todo), run_id, out,
                        holding if hold else None)
            if pause:
                time.sleep(pause)
    return out


def _load_batch(con, batch: list[tuple[WorkItem, Parsed]], start: int, total: int, run_id: str,
                out: dict[str, Any], hook: Callable[[int], None] | None) -> None:
    """Build the batch's documents, load them in one transaction (or alone where refused), and
    record each document's status and rows; logs 'loaded i/total …' per document once committed."""
    from warehouse.batch import load_documents
    from warehouse.fetches import file_names_for

    log = get_run_logger()
    names = file_names_for(con, [(item.url, item.sha256) for item, _ in batch])
    ready: list[tuple[int, WorkItem, str, dict[str, Any]]] = []
    for i, ((item, p), name) in enumerate(zip(batch, names, strict=True), start + 1):
        try:
            doc = p.document(item.path)
            apply_hint(doc, item.hint)
        except Exception as e:  # a cached parse that does not read back fails alone
            _failed(out, item, e)
            continue
        ready.append((i, item, doc.status, {
            "doc": doc, "source_url": item.url, "fetched_at": item.fetched_at, "region": item.region or None,
            "parsed_at": datetime.fromisoformat(p.parsed_at), "run_id": run_id, "source_file": name}))
    results = load_documents(con, [kw for *_, kw in ready], before_commit=hook)
    for (i, item, status, _), result in zip(ready, results, strict=True):
        if isinstance(result, Exception):
            _failed(out, item, result)
            continue
        out["rows"] += result
        out["statuses"][item.sha256] = status
        log.info("loaded %d/%d %s: %s, %d rows", i, total, item.url, status, result)


def _failed(out: dict[str, Any], item: WorkItem, e: Exception) -> None:
    get_run_logger().error("load of %s failed: %s", item.url, e)
    out["statuses"][item.sha256] = "load_failed"
    out["errors"][item.sha256] = f"{type(e).__name__}: {e}"
