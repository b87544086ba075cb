"""The nightly flow: harvest → plan → parse → load → report, each stage its own flow.

Boundaries: harvest (network; harvest_flow.py) → plan (one query: which archived PDFs are
not loaded at the current parser version; pipeline.py) → parse (CPU-bound; PDF → canonical
JSON cached under <data_dir>/parsed/<sha256>.<parser version>.json; parse_flow.py) → load
(single writer, a batch of documents a transaction, a refused one loaded again alone;
load_flow.py) → report (runreport.py). Each stage runs alone with `stages=[...]` (CLI: `run --stage`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger
from prefect.states import Completed

from flows.config import Config, SourceConfig, load_config
from flows.orchestration.context import STAGES, RunContext, normalise_stages
from flows.orchestration.harvest_flow import harvest_flow
from flows.orchestration.load_flow import LOAD_PAUSE_ENV, load_flow
from flows.orchestration.parse_flow import parse_flow, run_parse
from flows.orchestration.pipeline import (
    Parsed,
    WorkItem,
    cached,
    clean_stale_temp_files,
    close_interrupted_runs,
    plan,
)
from flows.orchestration.runlock import RunLocked, run_lock
from flows.orchestration.runreport import RunReport, report_markdown
from flows.orchestration.slices import slices

__all__ = ["LOAD_PAUSE_ENV", "STAGES", "RunContext", "RunLocked", "harvest_flow", "load_flow", "nightly",
           "nightly_flow", "parse_flow"]


def nightly(config: str | None = None, data_dir: str | None = None, sources: list[str] | None = None,
            workers: int | None = None, stages: list[str] | None = None) -> dict:
    """Run the nightly flow once and return its report (what `budget-etl run` calls).

    The run lock is taken here, before Prefect starts its server, so a refused run costs
    nothing and leaves no failed flow run behind; the flow takes it again (re-entrant).
    """
    cfg = load_config(config, data_dir)
    normalise_stages(stages)  # a typo fails before anything starts
    with run_lock(cfg.data_path):
        return nightly_flow(config=config, data_dir=data_dir, sources=sources, workers=workers, stages=stages)


@flow(name="nightly")
def nightly_flow(config: str | None = None, data_dir: str | None = None, sources: list[str] | None = None,
                 workers: int | None = None, stages: list[str] | None = None) -> Any:
    """Harvest → plan → parse → load → report under the warehouse's run lock.

    Returns the run report; the final state is Completed, named 'CompletedWithFailures' and
    saying how many documents failed when some did. An exception is a failed run.
    """
    ctx = RunContext(config, data_dir, list(sources or []), workers)
    cfg, srcs = ctx.load()
    wanted = normalise_stages(stages)
    with run_lock(cfg.data_path):
        report = _run(ctx, cfg, srcs, wanted)
    d = report.to_dict()
    name = "CompletedWithFailures" if report.failed else "Completed"
    return Completed(name=name, message=report.summary(), data=d)


def _run(ctx: RunContext, cfg: Config, srcs: list[SourceConfig], stages: list[str]) -> RunReport:
    from warehouse import connect, finish_run, start_run, writer

    log = get_run_logger()
    clean_stale_temp_files(cfg)
    report = RunReport(started=datetime.now(UTC), stages=stages,
                       names={s.url: s.name for s in srcs if s.name})
    with writer(cfg.warehouse_path) as con:
        stale = close_interrupted_runs(con)
        report.run_id = start_run(con)
    if stale:
        log.warning("runs %s did not finish (killed); their work is picked up by this run", ", ".join(stale))
    try:
        if "harvest" in stages:
            t0 = time.perf_counter()
            report.add_records(harvest_flow(ctx, report.run_id).value)
            report.stage_seconds["harvest"] = time.perf_counter() - t0

        work: list[WorkItem] = []
        if "parse" in stages or "load" in stages:
            t0 = time.perf_counter()
            with connect(cfg.warehouse_path, read_only=False) as con:
                work, report.unchanged_documents = plan(con, cfg, srcs)
            report.stage_seconds["plan"] = time.perf_counter() - t0

        parsed: list[Parsed] = []
        if work and "parse" in stages:
            t0 = time.perf_counter()
            parsed = [p for part in slices(work) for p in run_parse(cfg, part)]
            report.stage_seconds["parse"] = time.perf_counter() - t0
        elif work:  # load only: what an earlier parse-only run cached
            parsed = [p for p in (cached(w.sha256, w.cache) for w in work) if p is not None]

        loaded: dict | None = None if "load" not in stages else {"rows": 0, "statuses": {}}
        if work and "load" in stages:
            t0 = time.perf_counter()
            loaded = _load(ctx, work, parsed, report.run_id)
            report.stage_seconds["load"] = time.perf_counter() - t0
        report.add_parsed(work, parsed, loaded)
        with writer(cfg.warehouse_path) as con:
            report.add_still_failing(con)
            report.add_checks(con, list((loaded or {}).get("statuses", {})))
            report.finished = datetime.now(UTC)
            finish_run(con, report.run_id, {**report.counts(), "failures": report.failures},
                       status="failed_documents" if report.failed else "ok")
    except BaseException as e:
        _finish_failed(cfg, report, e)
        raise
    _artifact(report)
    log.info("run %s: %s", report.run_id, report.summary())
    return report


def _load(ctx: RunContext, work: list[WorkItem], parsed: list[Parsed], run_id: str) -> dict:
    """The load flow once per slice of the work (flow parameters have a size limit)."""
    by_sha = {p.sha256: p for p in parsed}
    loaded: dict = {"rows": 0, "statuses": {}, "errors": {}}
    for part in slices(work):
        got = load_flow(ctx, part, [by_sha[w.sha256] for w in part if w.sha256 in by_sha], run_id)
        loaded["rows"] += got["rows"]
        loaded["statuses"].update(got["statuses"])
        loaded["errors"].update(got.get("errors", {}))
    return loaded


def _finish_failed(cfg: Config, report: RunReport, exc: BaseException) -> None:
    """Record a failed run's status (best effort: the warehouse may be what failed)."""
    from warehouse import finish_run, writer

    try:
        with writer(cfg.warehouse_path, wait=5) as con:
            counts = {**report.counts(), "failures": report.failures, "error": f"{type(exc).__name__}: {exc}"}
            finish_run(con, report.run_id, counts, status="failed")
    except Exception:
        pass


def _artifact(report: RunReport) -> None:
    try:
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(key="nightly-run-report", markdown=report_markdown(report),
                                 description="budget-etl nightly run")
    except Exception:  # an artifact is a courtesy; never fail the run for it
        get_run_logger().warning("could not create the run report artifact", exc_info=True)
