"""Parse PDFs in worker processes that import the parser and nothing of Prefect.

Why (bench/parse_runners.py, 7 sample PDFs, 2 vCPUs, median of 5; parse seconds inside the
flow): inline in the flow 4.2; Prefect's ProcessPoolTaskRunner 9.5-10.6 with 2-3 temporary
API servers per run (every worker imports Prefect and starts its own); ThreadPoolTaskRunner
parsing in its threads segfaulted (PDFium is not thread-safe); one task fanning out to this
pool 3.5 (1 worker) / 2.6 (2); one task per document on threads feeding this pool 3.8 / 2.8,
which the nightly flow uses for per-document states in the UI at ~30 ms per document.

Workers are forked from a fork server: a clean process, started once per head process, that
has imported the parser (PRELOAD), so a worker starts in milliseconds instead of paying ~1.5
CPU-s of imports as a 'spawn' one does. The head itself is never forked (it has Prefect's
threads running; forking it is unsafe). A worker takes the head's environment and working
directory as they are when its pool starts (the fork server's are those of its own start),
ignores SIGINT (the head decides when to stop), and exits within a second of the head: a run
killed with -9 leaves no orphan parsing in the background, and the fork server ends with its
last worker (it lives while any process holds its liveness pipe). A worker that dies
(segfault, OOM kill) breaks the pool: the pool is replaced and the documents that were in
flight are tried once more, so only the document that keeps killing workers fails.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class ParseOutput:
    """One parse, as a worker hands it back: the cache file's text, ready to be written."""

    sha256: str
    parsed_at: str
    seconds: float
    status: str
    text: str  # {"parsed_at": ..., "document": ...} as JSON: exactly what goes in the cache


_parse_lock = threading.Lock()  # PDFium is not thread-safe: one parse at a time per process


def parse_path(path: str, sha256: str) -> ParseOutput:
    """Parse one archived PDF (runs in a worker process or a Dask worker).

    Parses in one process never overlap: two threads in PDFium at once crash the process
    (bench/parse_runners.py, variant tpt-2, died with SIGSEGV here). So a Dask worker should
    run one thread (`dask worker --nthreads 1 --nworkers N`); more threads only wait here.
    """
    from parsers.parse import parse_pdf

    t0 = time.perf_counter()
    with _parse_lock:
        doc = parse_pdf(path)
    parsed_at = datetime.now(UTC).isoformat()
    text = json.dumps({"parsed_at": parsed_at, "document": doc.to_dict()}, ensure_ascii=False)
    return ParseOutput(sha256, parsed_at, time.perf_counter() - t0, doc.status, text)


def parse_bytes(data: bytes, sha256: str) -> ParseOutput:
    """Parse a PDF shipped as bytes, for workers that do not see the head's data directory.

    The temporary file is named like the archive copy (<sha256>.pdf), so the document (its
    source.file, its error messages) is identical to a parse of the archived file.
    """
    with tempfile.TemporaryDirectory(prefix="budget-etl-parse-") as tmp:
        path = Path(tmp) / f"{sha256}.pdf"
        path.write_bytes(data)
        return parse_path(str(path), sha256)


def write_cache(cache_file: str | Path, text: str) -> None:
    """Atomically (temp file + rename): a run killed mid-write leaves no half cache file."""
    cache = Path(cache_file)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, cache)


# What the fork server imports before it forks workers: the parser and its heavy libraries.
PRELOAD = ["flows.orchestration.parallel", "parsers.parse", "camelot", "pypdfium2", "pandas"]


def _context() -> multiprocessing.context.BaseContext:
    """The fork server where the platform has one (Linux, macOS), else 'spawn'."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or its pid now someone else's
        return False
    return True


def _worker_init(head: int, env: dict[str, str], cwd: str) -> None:
    """Take the head's environment and directory of now (BUDGET_ETL_OCR, the derived-files
    directory: a fork server started by an earlier run has older ones), ignore Ctrl-C (the
    head shuts the pool down) and die with the head. Not with the parent: a fork server
    outlives the head while any of its workers lives (each holds its liveness pipe)."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while _alive(head):
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="orphan-guard", daemon=True).start()


class ParsePool:
    """A ProcessPoolExecutor of fork-server workers that replaces itself when a worker dies."""

    def __init__(self, workers: int, attempts: int = 2) -> None:
        self.workers = max(1, workers)
        self.attempts = attempts
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._generation = 0

    def _current(self) -> tuple[ProcessPoolExecutor, int]:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_worker_init,
                                                 initargs=(os.getpid(), dict(os.environ), os.getcwd()))
            return self._pool, self._generation

    def _replace(self, generation: int) -> None:
        with self._lock:
            if generation == self._generation and self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                self._generation += 1

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in a worker; a broken pool is replaced and the call tried again."""
        for attempt in range(1, self.attempts + 1):
            pool, generation = self._current()
            try:
                return pool.submit(fn, *args).result()
            except BrokenProcessPool:
                self._replace(generation)
                if attempt == self.attempts:
                    raise
        raise AssertionError("unreachable")

    def close(self, cancel: bool = False) -> None:
        """Stop the workers; `cancel` (on an error or a signal) kills them instead of waiting."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:
            procs = list(getattr(pool, "_processes", {}).values())  # no public terminate before 3.14
            pool.shutdown(wait=False, cancel_futures=True)
            for p in procs:
                p.terminate()
        else:
            pool.shutdown(wait=True)


_current_pool: ParsePool | None = None


def current_pool() -> ParsePool | None:
    """The pool of the parse flow running in this process, if any (tasks run in its threads)."""
    return _current_pool


class shared_pool:  # noqa: N801 - used as a context manager, reads like one
    """`with shared_pool(n):` makes a ParsePool the current one for the parse tasks of this process."""

    def __init__(self, workers: int) -> None:
        self.pool = ParsePool(workers)

    def __enter__(self) -> ParsePool:
        global _current_pool
        _current_pool = self.pool
        return self.pool

    def __exit__(self, exc_type: object, *exc: object) -> None:
        global _current_pool
        _current_pool = None
        self.pool.close(cancel=exc_type is not None)
