"""The Prefect flows: harvest, parse, load, and nightly composing them.

Boundaries: harvest (network) → plan (one query: which archived PDFs are not loaded at the
current parser version) → parse (CPU-bound; PDF → canonical JSON cached under
<data_dir>/parsed/<sha256>.<parser version>.json) → load (single writer, one transaction per
document) → report. Each stage runs alone with `stages=[...]` (CLI: `run --stage`).

Retries only where a retry can help: every URL is retried with backoff inside the downloader,
and a web source whose column page was unreachable (timeout, connection refused, 5xx) is
harvested again by a Prefect task with retries. Parsing has none: a corrupt PDF stays corrupt
(the parser turns it into status 'unreadable'; it never raises for one).

Parallel parsing (choice measured in bench/parse_runners.py): one Prefect task per document
that needs parsing, on a ThreadPoolTaskRunner whose threads hand the PDF to a shared
spawn-started process pool (flows/parallel.py) — per-document states and timings in the UI,
workers that never import Prefect. Unchanged documents get no task (~15 ms each): plan() and
the cache check settle them in bulk.

With concurrency.dask_scheduler the parse flow runs its tasks on that Dask cluster
(prefect-dask's DaskTaskRunner). The task receives the PDF's bytes and returns the cache text,
so the workers need no shared filesystem (only budget-etl installed); this process alone
writes the cache and the warehouse (single writer). At most 2 × the cluster's threads PDFs
are in flight, so memory stays bounded. Start workers with one thread each
(`dask worker <scheduler> --nworkers N --nthreads 1`): PDFium is not thread-safe, so parses
in one process are serialised anyway. The workers report task states to the Prefect API the
flow uses, so for per-document states in the UI they must reach it (prefect.api_url on a
routable address, or Prefect Cloud).
"""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed

from flows.config import Config, SourceConfig, load_config
from flows.parallel import ParseOutput, current_pool, parse_bytes, parse_path, shared_pool, write_cache
from flows.pipeline import (
    Parsed,
    WorkItem,
    apply_hint,
    cached,
    clean_stale_temp_files,
    close_interrupted_runs,
    plan,
)
from flows.report import RunReport, report_markdown
from flows.runlock import RunLocked, run_lock

__all__ = ["STAGES", "RunContext", "RunLocked", "harvest_flow", "load_flow", "nightly", "nightly_flow",
           "parse_flow"]

STAGES = ("harvest", "parse", "load")
LOAD_PAUSE_ENV = "BUDGET_ETL_LOAD_PAUSE"  # test hook: seconds to sleep after each document's load


@dataclass
class RunContext:
    """What a flow needs to rebuild its configuration in any process (flow parameters are JSON)."""

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
            sources = [s.model_copy() for s in cfg.sources]
        for s in sources:
            s.url = cfg.resolve_url(s.url)
        return cfg, sources


def normalise_stages(stages: Iterable[str] | None) -> list[str]:
    """Stages in pipeline order; None or 'all' means every stage."""
    wanted = {s.strip().lower() for x in (stages or ["all"]) for s in str(x).split(",") if s.strip()}
    if not wanted or "all" in wanted:
        return list(STAGES)
    unknown = wanted - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGES)} or all")
    return [s for s in STAGES if s in wanted]


# ---------------------------------------------------------------------------------- harvest


class SourcesUnreachable(RuntimeError):
    """Some web sources could not be reached at all; carries the records of the last attempt."""

    def __init__(self, records: list[dict], sources: list[str]) -> None:
        super().__init__(f"unreachable: {', '.join(sources)}")
        self.records = records
        self.sources = sources


def _network_failure(r: dict) -> bool:
    if r["outcome"] == "timeout":
        return True
    if r["outcome"] == "http_error":
        return (r.get("http_status") or 500) >= 500
    return r["outcome"] == "error" and "cannot connect" in (r.get("error") or "")


def unreachable_sources(sources: list[SourceConfig], records: list[dict]) -> list[str]:
    """Web sources that delivered nothing and failed for a reason a later retry may not have."""
    out = []
    for s in sources:
        if "://" not in s.url or s.url.startswith("file:"):
            continue
        mine = [r for r in records if r.get("source") == s.url]
        if mine and not any(r["outcome"] in ("new", "changed", "unchanged") for r in mine) \
                and any(_network_failure(r) for r in mine):
            out.append(s.url)
    return out


def _retry_when_unreachable(task_: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except SourcesUnreachable:
        return True
    except Exception:
        return False
    return False


@task(name="harvest-sources", cache_policy=NO_CACHE, retry_condition_fn=_retry_when_unreachable)
def harvest_sources(ctx: RunContext, urls: list[str], prior: dict, strict: bool = False) -> list[dict]:
    """Discover and download these sources; with `strict`, raise (and so retry) when a web
    source was unreachable as a whole."""
    from flows.harvest import harvest

    log = get_run_logger()
    cfg, sources = ctx.load()
    chosen = [s for s in sources if s.url in urls]
    records = [r.as_dict() for r in harvest(chosen, cfg.harvest, cfg.raw_dir, prior,
                                            workers=cfg.concurrency.download_workers,
                                            progress=lambda ev: log.debug("%s %s %s", ev.kind, ev.url,
                                                                          ev.message))]
    down = unreachable_sources(chosen, records)
    if strict and down:
        raise SourcesUnreachable(records, down)
    return records


@flow(name="harvest")
def harvest_flow(ctx: RunContext, run_id: str) -> list[dict]:
    """Discover and download; record every URL in the warehouse manifest (table fetches)."""
    from flows.harvest import PriorFetch
    from warehouse import prior_fetches, record_fetches, writer

    log = get_run_logger()
    cfg, sources = ctx.load()
    with writer(cfg.warehouse_path) as con:
        prior = {url: PriorFetch(etag=p.get("etag"), last_modified=p.get("last_modified"), sha256=p.get("sha256"))
                 for url, p in prior_fetches(con).items()}
    records = harvest_sources(ctx, [s.url for s in sources], prior)
    down = unreachable_sources(sources, records)
    if down:
        delay = max(cfg.harvest.backoff, 0.0) * 30
        log.warning("unreachable, retrying in %.0fs: %s", delay, ", ".join(down))
        retry = harvest_sources.with_options(retries=2, retry_delay_seconds=[delay, delay * 4])
        try:
            again = retry(ctx, down, prior, strict=True)
        except SourcesUnreachable as e:
            again = e.records
        records = [r for r in records if r.get("source") not in down] + again
    with writer(cfg.warehouse_path) as con:
        record_fetches(con, run_id, records)
    for r in records:
        if r["outcome"] not in ("new", "unchanged", "changed"):
            log.warning("%s: %s (%s)", r["url"], r["outcome"], r.get("error"))
    return records


# ------------------------------------------------------------------------------------ parse


@task(name="parse-document", task_run_name="parse {name}", retries=0, cache_policy=NO_CACHE)
def parse_document(path: str, sha256: str, cache_file: str, name: str = "") -> Parsed:
    """Parse one archived PDF in the shared process pool (in this thread when there is none)."""
    pool = current_pool()
    out = pool.run(parse_path, path, sha256) if pool is not None else parse_path(path, sha256)
    write_cache(cache_file, out.text)
    return Parsed(sha256, cache_file, out.parsed_at, out.seconds, False, out.status)


@task(name="parse-document-remote", task_run_name="parse {name}", retries=0, cache_policy=NO_CACHE)
def parse_document_remote(data: bytes, sha256: str, name: str = "") -> ParseOutput:
    """Parse on a Dask worker: PDF bytes in, cache text out (no shared filesystem needed)."""
    return parse_bytes(data, sha256)


@flow(name="parse")
def parse_flow(items: list[WorkItem], workers: int = 1, remote: bool = False) -> list[Parsed]:
    """Parse every document without a cached result; a crash fails that document only.

    Cached results are settled here without a task. `remote` ships PDFs to the flow's task
    runner (a Dask cluster) and writes their results to the cache in this process.
    """
    log = get_run_logger()
    todo: list[WorkItem] = []
    out: list[Parsed] = []
    for item in items:
        hit = cached(item.sha256, item.cache)
        if hit is not None:
            out.append(hit)
        else:
            todo.append(item)
    if out:
        log.info("%d of %d documents already parsed (cache)", len(out), len(items))
    if not todo:
        return out

    def name(item: WorkItem) -> str:
        return Path(item.url.rstrip("/")).name or item.sha256[:16]

    def report(i: int, item: WorkItem, p: Parsed) -> None:
        if p.error:
            log.error("parse %d/%d of %s (%s) crashed: %s", i, len(todo), item.url, item.path, p.error)
        else:
            log.info("parsed %d/%d %s in %.1fs: %s", i, len(todo), name(item), p.seconds, p.status)

    window = max(2, 2 * workers)
    if remote:
        def submit_remote(item: WorkItem) -> Any:
            return parse_document_remote.submit(Path(item.path).read_bytes(), item.sha256, name(item))

        def finish_remote(item: WorkItem, o: ParseOutput) -> Parsed:
            write_cache(item.cache, o.text)
            return Parsed(item.sha256, item.cache, o.parsed_at, o.seconds, False, o.status)

        out += _bounded(todo, submit_remote, finish_remote, max(window, 2 * _dask_threads()), report)
    else:
        with shared_pool(workers):
            out += _bounded(todo, lambda it: parse_document.submit(it.path, it.sha256, it.cache, name(it)),
                            lambda _it, p: p, window, report)
    return out


def _bounded(items: list[WorkItem], submit: Callable[[WorkItem], Any], finish: Callable[[WorkItem, Any], Parsed],
             window: int, report: Callable[[int, WorkItem, Parsed], None]) -> list[Parsed]:
    """Submit tasks with at most `window` in flight (PDF bytes bound for Dask stay few in
    memory), handling each result as it completes; a failed task becomes a crashed Parsed."""
    done: queue.Queue = queue.Queue()
    results: list[Parsed] = []
    inflight = 0

    def handle() -> None:
        item, fut = done.get()
        fut.wait()  # sets the final state from the runner's own future, not from the API
        state = fut.state
        if state.is_completed():
            try:
                p = finish(item, fut.result())
            except Exception as e:  # e.g. the cache cannot be written
                p = _crashed(item, f"{type(e).__name__}: {e}")
        else:
            p = _crashed(item, _state_error(state))
        results.append(p)
        report(len(results), item, p)

    for item in items:
        if inflight >= window:
            handle()
            inflight -= 1
        try:
            fut = submit(item)
        except Exception as e:  # e.g. the archived PDF cannot be read to ship it
            results.append(p := _crashed(item, f"{type(e).__name__}: {e}"))
            report(len(results), item, p)
            continue
        fut.add_done_callback(lambda f, item=item: done.put((item, f)))
        inflight += 1
    while inflight:
        handle()
        inflight -= 1
    return results


def _state_error(state: Any) -> str:
    try:
        state.result()
    except BaseException as e:  # the task's exception, re-raised by result()
        return f"{type(e).__name__}: {e}"
    return str(state.message or state.name)


def _crashed(item: WorkItem, why: str) -> Parsed:
    return Parsed(item.sha256, item.cache, datetime.now(UTC).isoformat(), 0.0, False, "unreadable", why)


def _dask_threads() -> int:
    """Worker threads of the Dask cluster this flow runs on (0 when unknown)."""
    try:
        from prefect.context import FlowRunContext

        ctx = FlowRunContext.get()
        client = ctx.task_runner.client  # type: ignore[union-attr]
        return sum(client.nthreads().values())
    except Exception:
        return 0


def make_task_runner(cfg: Config) -> Any:
    """The parse flow's task runner: a Dask cluster when configured, else threads feeding the pool."""
    c = cfg.concurrency
    if c.dask_scheduler:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=c.dask_scheduler)
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=max(1, c.parse_workers))


def run_parse(cfg: Config, work: list[WorkItem]) -> list[Parsed]:
    """Parse on the configured runner (see the module docstring for the choice)."""
    flow_ = parse_flow.with_options(task_runner=make_task_runner(cfg))
    return flow_(work, workers=max(1, cfg.concurrency.parse_workers), remote=bool(cfg.concurrency.dask_scheduler))


# ------------------------------------------------------------------------------------- load


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


# ---------------------------------------------------------------------------------- nightly


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
            report.add_records(harvest_flow(ctx, report.run_id))
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
            parsed = run_parse(cfg, work)
            report.stage_seconds["parse"] = time.perf_counter() - t0
        elif work:  # load only: what an earlier parse-only run cached
            parsed = [p for p in (cached(w.sha256, w.cache) for w in work) if p is not None]

        loaded: dict | None = None if "load" not in stages else {"rows": 0, "statuses": {}}
        if work and "load" in stages:
            t0 = time.perf_counter()
            loaded = load_flow(ctx, work, parsed, report.run_id)
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
