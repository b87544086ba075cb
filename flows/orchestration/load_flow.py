"""The load flow: parsed documents into the warehouse, one transaction each, single writer."""

from __future__ import annotations

import os
import time
from datetime import datetime

from prefect import flow, get_run_logger

from flows.orchestration.context import RunContext
from flows.orchestration.pipeline import Parsed, WorkItem, apply_hint

LOAD_PAUSE_ENV = "BUDGET_ETL_LOAD_PAUSE"  # test hook: seconds to sleep after each document's load


@flow(name="load")
def load_flow(ctx: RunContext, items: list[WorkItem], parsed: list[Parsed], run_id: str) -> dict:
    """Load parsed documents, one transaction each, as the warehouse's only writer.

    A document whose parse crashed is not loaded, so the next run tries it again; one the
    warehouse refuses is recorded as load_failed and the others go on.
    """
    from warehouse import load_document, writer
    from warehouse.fetches import file_name_for

    log = get_run_logger()
    cfg, _ = ctx.load()
    pause = float(os.environ.get(LOAD_PAUSE_ENV) or 0)
    by_sha = {p.sha256: p for p in parsed}
    todo = [(item, by_sha[item.sha256]) for item in items if item.sha256 in by_sha and not by_sha[item.sha256].error]
    rows = 0
    statuses: dict[str, str] = {}
    errors: dict[str, str] = {}
    with writer(cfg.warehouse_path) as con:
        for i, (item, p) in enumerate(todo, 1):
            try:
                doc = p.document(item.path)
                apply_hint(doc, item.hint)
                n = load_document(con, doc, source_url=item.url, fetched_at=item.fetched_at,
                                  region=item.region or None, parsed_at=datetime.fromisoformat(p.parsed_at),
                                  run_id=run_id, source_file=file_name_for(con, item.url, item.sha256))
                rows += n
                statuses[item.sha256] = doc.status
                log.info("loaded %d/%d %s: %s, %d rows", i, len(todo), item.url, doc.status, n)
            except Exception as e:  # a document the warehouse refuses must not stop the others
                log.error("load of %s failed: %s", item.url, e)
                statuses[item.sha256] = "load_failed"
                errors[item.sha256] = f"{type(e).__name__}: {e}"
            if pause:
                time.sleep(pause)
    return {"rows": rows, "statuses": statuses, "errors": errors}
