"""The parse flow: every planned document without a cached result, on the configured runner.

Parsing has no retries: a corrupt PDF stays corrupt (the parser turns it into status
'unreadable'; it never raises for one).

Parallel parsing (choice measured in bench/parse_runners.py): one Prefect task per document
that needs parsing, on a ThreadPoolTaskRunner whose threads hand the PDF to a shared
process pool of fork-server workers (flows/orchestration/parallel.py) — per-document states and
timings in the UI, workers that never import Prefect. Unchanged documents get no task: plan()
and the cache check settle them in bulk.

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

import queue
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.config import Config
from flows.orchestration.parallel import (
    ParseOutput,
    current_pool,
    parse_bytes,
    parse_path,
    shared_pool,
    write_cache,
)
from flows.orchestration.pipeline import Parsed, WorkItem, cached


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
