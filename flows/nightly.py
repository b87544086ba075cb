"""The Prefect flows: harvest, parse, load, and nightly composing them.

Boundaries: harvest (network; retries live in the downloader, per URL, with backoff, so a
Prefect retry would not re-fetch everything) → parse (CPU-bound, one task per document that
needs it, in parallel across processes or on a Dask cluster; no retries: a corrupt PDF stays
corrupt) → load (single writer, one transaction per document). Unchanged documents are
settled by one query in `plan`, not by a task each (~15 ms of Prefect overhead per task).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from prefect import flow, get_run_logger, task

from flows.config import Config, SourceConfig, load_config
from flows.pipeline import Parsed, WorkItem, apply_hint, parse_cached, plan
from flows.report import RunReport, report_markdown

FAILED_PARSE = {"unreadable"}  # statuses that count as a failed document (no_text_layer is a finding)


class RunLocked(RuntimeError):
    """Another run holds this warehouse's lock."""


@dataclass
class RunContext:
    config: str | None
    data_dir: str | None
    extra_sources: list[str] = field(default_factory=list)
    workers: int | None = None

    def load(self) -> tuple[Config, list[SourceConfig]]:
        cfg = load_config(self.config, self.data_dir)
        if self.workers:
            cfg.concurrency.parse_workers = self.workers
        if self.extra_sources:
            sources = [SourceConfig(url=u) for u in self.extra_sources]
        else:
            sources = list(cfg.sources)
        for s in sources:
            s.url = cfg.resolve_url(s.url)
        return cfg, sources


@task(name="parse-document", retries=0)
def parse_task(path: str, sha256: str, cache_file: str) -> Parsed:
    return parse_cached(path, sha256, cache_file)


@flow(name="harvest")
def harvest_flow(ctx: RunContext, run_id: str) -> list[dict]:
    """Discover and download; record every URL in the warehouse manifest."""
    from flows.harvest import harvest
    from warehouse import prior_fetches, record_fetches, writer

    log = get_run_logger()
    cfg, sources = ctx.load()
    with writer(cfg.warehouse_path) as con:
        prior = {url: _prior(p) for url, p in prior_fetches(con).items()}
    records = harvest(sources, cfg.harvest, cfg.raw_dir, prior, workers=cfg.concurrency.download_workers,
                      progress=lambda ev: log.debug("%s %s %s", ev.kind, ev.url, ev.message))
    with writer(cfg.warehouse_path) as con:
        record_fetches(con, run_id, records)
    for r in records:
        if r.outcome not in ("new", "unchanged", "changed"):
            log.warning("%s: %s (%s)", r.url, r.outcome, r.error)
    return [r.as_dict() for r in records]


def _prior(p: dict):
    from flows.harvest import PriorFetch

    return PriorFetch(etag=p.get("etag"), last_modified=p.get("last_modified"), sha256=p.get("sha256"))


@flow(name="parse")
def parse_flow(items: list[WorkItem]) -> list[Parsed]:
    """Parse every document that needs it; a crash in one worker fails that document only."""
    log = get_run_logger()
    futures = [(item, parse_task.submit(item.path, item.sha256, item.cache)) for item in items]
    out = []
    for i, (item, fut) in enumerate(futures, 1):
        state = fut.wait() or fut.state
        if fut.state.is_completed():
            parsed = fut.result()
            log.info("parsed %d/%d %s in %.1fs%s", i, len(items), Path(item.path).name, parsed.seconds,
                     " (cached)" if parsed.cached else "")
            out.append(parsed)
        else:
            log.error("parse of %s (%s) crashed: %s", item.url, item.path, state)
            out.append(_crashed(item, str(fut.state.message or fut.state.name)))
    return out


def _crashed(item: WorkItem, why: str) -> Parsed:
    return Parsed(item.sha256, item.cache, datetime.now(UTC).isoformat(), 0.0, False, "unreadable", why)


@flow(name="load")
def load_flow(ctx: RunContext, items: list[WorkItem], parsed: list[Parsed], run_id: str) -> dict:
    """Load parsed documents, one transaction each, as the warehouse's only writer."""
    from warehouse import load_document, writer

    log = get_run_logger()
    cfg, _ = ctx.load()
    by_sha = {p.sha256: p for p in parsed}
    rows = 0
    statuses: dict[str, str] = {}
    with writer(cfg.warehouse_path) as con:
        for item in items:
            p = by_sha.get(item.sha256)
            if p is None:
                continue
            doc = p.document(item.path)
            apply_hint(doc, item.hint)
            try:
                rows += load_document(con, doc, source_url=item.url, fetched_at=item.fetched_at,
                                      region=item.region or None, parsed_at=datetime.fromisoformat(p.parsed_at),
                                      run_id=run_id)
                statuses[item.sha256] = doc.status
            except Exception as e:  # a document the warehouse refuses must not stop the others
                log.error("load of %s failed: %s", item.url, e)
                statuses[item.sha256] = "load_failed"
    return {"rows": rows, "statuses": statuses}


@flow(name="nightly")
def nightly(config: str | None = None, data_dir: str | None = None, sources: list[str] | None = None,
            workers: int | None = None) -> dict:
    """Harvest → parse → load, once, under the warehouse's run lock; returns the run report."""
    from warehouse import connect, finish_run, start_run, writer

    ctx = RunContext(config, data_dir, list(sources or []), workers)
    cfg, srcs = ctx.load()
    cfg.data_path.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(cfg.data_path / ".nightly.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as e:
        raise RunLocked(f"another run is using {cfg.warehouse_path} (lock {lock.lock_file}); "
                        "wait for it to finish or stop it first") from e
    try:
        report = RunReport(started=datetime.now(UTC))
        with writer(cfg.warehouse_path) as con:
            run_id = start_run(con)
        report.run_id = run_id

        t0 = time.perf_counter()
        records = harvest_flow(ctx, run_id)
        report.stage_seconds["harvest"] = time.perf_counter() - t0
        report.add_records(records)

        t0 = time.perf_counter()
        with connect(cfg.warehouse_path, read_only=False) as con:
            work, current = plan(con, cfg, srcs)
        report.unchanged_documents = current
        report.stage_seconds["plan"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        parsed = _run_parse(cfg, work) if work else []
        report.stage_seconds["parse"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        loaded = load_flow(ctx, work, parsed, run_id) if work else {"rows": 0, "statuses": {}}
        report.stage_seconds["load"] = time.perf_counter() - t0
        report.add_parsed(work, parsed, loaded)
        with writer(cfg.warehouse_path) as con:
            report.add_checks(con, [p.sha256 for p in parsed])
            finish_run(con, run_id, report.counts(), status="failed_documents" if report.failed else "ok")
        report.finished = datetime.now(UTC)
        _artifact(report)
        return report.to_dict()
    finally:
        lock.release()


def _run_parse(cfg: Config, work: list[WorkItem]) -> list[Parsed]:
    """Parse on the configured runner: a Dask cluster, a process pool, or in-process for one worker."""
    runner = make_task_runner(cfg)
    flow_ = parse_flow.with_options(task_runner=runner) if runner is not None else parse_flow
    return flow_(work)


def make_task_runner(cfg: Config):
    c = cfg.concurrency
    if c.dask_scheduler:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=c.dask_scheduler)
    if c.parse_workers > 1:
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=c.parse_workers)
    return None


def _artifact(report: RunReport) -> None:
    try:
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(key="nightly-run-report", markdown=report_markdown(report),
                                 description="budget-etl nightly run")
    except Exception:  # an artifact is a courtesy; never fail the run for it
        pass


def report_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, default=str)
