"""Prefect tasks for bench/parse_runners.py, in a module of their own so that Prefect's
ProcessPoolTaskRunner can pickle them by reference (a script's __main__ functions it cannot)."""

from __future__ import annotations

from prefect import task

from flows.orchestration.parallel import ParsePool

POOL: ParsePool | None = None  # the shared pool of the tasks+pool variant (set in the child process)


@task(name="parse-in-task")
def parse_in_task(path: str) -> str:
    """The parser called directly, without flows.orchestration.parallel's per-process lock: what a thread
    (or process) runner would do on its own."""
    from parsers.parse import parse_pdf

    return parse_pdf(path).status


@task(name="parse-via-pool")
def parse_via_pool(path: str) -> str:
    from flows.orchestration.parallel import parse_path

    assert POOL is not None
    return POOL.run(parse_path, path, "").status


@task(name="parse-batch")
def parse_batch(paths: list[str], workers: int) -> list[str]:
    from concurrent.futures import ThreadPoolExecutor

    from flows.orchestration.parallel import parse_path

    pool = ParsePool(workers)
    try:
        with ThreadPoolExecutor(workers) as threads:
            return [o.status for o in threads.map(lambda p: pool.run(parse_path, p, ""), paths)]
    finally:
        pool.close()
