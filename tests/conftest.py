"""Suite-wide settings and the fixtures several test modules share.

OCR (parsers/ocr.py) is off unless a test turns it on: it costs seconds a page, and the
tests that are about OCR (tests/test_ocr*.py) enable it explicitly and are marked slow.

A Prefect test server costs ~18 CPU-seconds to start (its database is migrated), and the
reference nightly run over the sample subset about as much again: under pytest-xdist both are
made once per run, not once per worker. The controller process starts the one server when a
worker first asks for it (_SharedServer) and stops it after the last worker has finished; the
reference warehouse is built by the first worker that needs it, under a file lock, in the
run's temporary root that all workers share.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from tests.parse_cache import run_root

os.environ.setdefault("BUDGET_ETL_OCR", "0")


@pytest.fixture(scope="session", autouse=True)
def _shared_parses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fixture PDFs parsed once per run for all workers (tests/parse_cache.py): under the
    root all workers' temp dirs share (pytest-xdist), else this process's own."""
    from tests.parse_cache import PARSES_ENV

    os.environ[PARSES_ENV] = str(run_root(tmp_path_factory) / "parses")
    yield
    os.environ.pop(PARSES_ENV, None)


SERVER_WANTED, SERVER_URL, SERVER_FAILED = "prefect-server.wanted", "prefect-server.url", "prefect-server.failed"
SERVER_TIMEOUT = 300.0
PREFECT_TEMPLATE = "prefect-template.db"


def _keep_template(root: Path) -> None:
    """Copy the just-started test server's database (migrated, nothing run yet) to the run
    root: a test that starts a Prefect server of its own on a fresh PREFECT_HOME seeds it with
    this and saves the ~10 CPU-seconds a migration of an empty database costs."""
    import sqlite3

    from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL

    src = sqlite3.connect(str(PREFECT_SERVER_DATABASE_CONNECTION_URL.value()).split(":///", 1)[1])
    tmp = root / f"{PREFECT_TEMPLATE}.tmp"
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)  # consistent while the server has it open
    finally:
        dst.close()
        src.close()
    tmp.replace(root / PREFECT_TEMPLATE)


class _SharedServer:
    """In the xdist controller: one Prefect test server for all workers, started when a
    worker asks (a file in the run root): as soon as a worker has collected a test that uses
    `api_url`, so a run that needs none starts none."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="prefect-test-server", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not (self.root / SERVER_WANTED).exists():
            if self.stop.wait(0.2):
                return
        try:
            from prefect.settings import PREFECT_API_URL
            from prefect.testing.utilities import prefect_test_harness

            with prefect_test_harness(server_startup_timeout=180):
                _keep_template(self.root)
                tmp = self.root / f"{SERVER_URL}.tmp"
                tmp.write_text(str(PREFECT_API_URL.value()), encoding="utf-8")
                tmp.replace(self.root / SERVER_URL)
                self.stop.wait()
        except Exception as e:  # the workers waiting for the server fail with this text
            (self.root / SERVER_FAILED).write_text(f"{type(e).__name__}: {e}", encoding="utf-8")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


@pytest.hookimpl(trylast=True)  # after the tmpdir plugin has made config._tmp_path_factory
def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # offline: no telemetry errors
        config.stash[_server_key] = _SharedServer(config._tmp_path_factory.getbasetemp())  # noqa: SLF001


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_server_key, None)
    if server is not None:
        server.close()


_server_key = pytest.StashKey[_SharedServer]()


def _shared_server_url(root: Path) -> str:
    (root / SERVER_WANTED).touch()
    deadline = time.monotonic() + SERVER_TIMEOUT
    while not (root / SERVER_URL).exists():
        if (root / SERVER_FAILED).exists():
            raise RuntimeError(f"the shared Prefect test server did not start: {(root / SERVER_FAILED).read_text()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the shared Prefect test server did not start within {SERVER_TIMEOUT:.0f}s")
        time.sleep(0.1)
    return (root / SERVER_URL).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prefect server for the whole run; in-process flows and `budget-etl run`
    subprocesses (given PREFECT_API_URL) report to it. Under xdist it is the controller's
    shared one (module doc); alone, this process's own."""
    import prefect.context
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        with prefect_test_harness(server_startup_timeout=180):
            _keep_template(run_root(tmp_path_factory))
            yield str(PREFECT_API_URL.value())
        return
    url = _shared_server_url(run_root(tmp_path_factory))
    with temporary_settings({PREFECT_API_URL: url}), \
            prefect.context._temporary_global_settings_context(prefect.context.get_settings_context()):  # noqa: SLF001
        yield url


@pytest.fixture(scope="session")
def prefect_template(api_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty Prefect database, copied from the test server as it started
    (_keep_template): copy it to <PREFECT_HOME>/prefect.db before a server starts there."""
    return run_root(tmp_path_factory) / PREFECT_TEMPLATE


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three sample PDFs in a local folder source (tests/test_flows_support.SUBSET), one
    folder for the whole run: the reference warehouse records its path as the source."""
    from tests.test_flows_support import SUBSET, copy_subset

    d = run_root(tmp_path_factory) / "corpus"
    with FileLock(f"{d}.lock"):
        if not all((d / name).exists() for name in SUBSET):
            d.mkdir(exist_ok=True)
            copy_subset(d)
    return d


@pytest.fixture(scope="session")
def reference(api_url: str, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse of one uninterrupted nightly run over `corpus` with the default (process
    pool) runner: what every other runner, and every interrupted run resumed, must equal.
    Built once per run by the first worker that needs it; the others wait and read it."""
    from flows.orchestration.nightly import nightly
    from tests.test_flows_support import SUBSET, write_config

    tmp = run_root(tmp_path_factory) / "reference"
    db = tmp / "data" / "warehouse.duckdb"
    with FileLock(f"{tmp}.lock"):
        if not (tmp / "done").exists():
            tmp.mkdir(exist_ok=True)
            cfg = write_config(tmp / "config.yaml", tmp / "data", [{"url": str(corpus), "name": "corpus"}], workers=2)
            report = nightly(config=str(cfg))
            assert report["counts"]["failed"] == 0 and report["counts"]["loaded"] == len(SUBSET)
            (tmp / "done").touch()
    return db


def pytest_collection_finish(session: pytest.Session) -> None:
    """In a worker that has collected a test using `api_url`: ask for the shared server now,
    so it starts while the first modules run, not when a test first waits for it."""
    if os.environ.get("PYTEST_XDIST_WORKER") and any("api_url" in item.fixturenames for item in session.items):
        (run_root(session.config._tmp_path_factory) / SERVER_WANTED).touch()  # noqa: SLF001


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules alternate, one slow, one not, while slow ones are left; order within a module is
    kept. make test hands modules out in this order (--no-loadscope-reorder): the slow modules
    mostly wait on their processes (servers, kill -9 runs, the Dask cluster), so each is best
    run beside a module that keeps the other core busy. The slow modules that need the shared
    Prefect server come after those that do not, so both cores have work while it starts
    (figures: docs/SCALE.md)."""
    modules = list(dict.fromkeys(item.module.__name__ for item in items))
    marked = {item.module.__name__ for item in items if item.get_closest_marker("slow") is not None}
    served = {item.module.__name__ for item in items if "api_url" in item.fixturenames}
    slow = sorted((m for m in modules if m in marked), key=lambda m: m in served)  # stable: file order otherwise
    other = [m for m in modules if m not in marked]
    order = [m for pair in itertools.zip_longest(slow, other) for m in pair if m is not None]
    rank = {m: i for i, m in enumerate(order)}
    items.sort(key=lambda item: rank[item.module.__name__])
