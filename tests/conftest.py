"""Suite-wide settings and the fixtures several test modules share.

OCR (parsers/ocr.py) is off unless a test turns it on: it costs seconds a page, and the
tests that are about OCR (tests/test_ocr*.py) enable it explicitly and are marked slow.

A Prefect test server costs several CPU-seconds to start, and a nightly run over the sample
subset about as much again: both are started once per test process (pytest-xdist starts one
per worker) instead of once per module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("BUDGET_ETL_OCR", "0")


@pytest.fixture(scope="session", autouse=True)
def _shared_parses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fixture PDFs parsed once per run for all workers (tests/parse_cache.py): under the
    root all workers' temp dirs share (pytest-xdist), else this process's own."""
    from tests.parse_cache import PARSES_ENV

    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    os.environ[PARSES_ENV] = str(root / "parses")
    yield
    os.environ.pop(PARSES_ENV, None)


@pytest.fixture(scope="session")
def api_url() -> Iterator[str]:
    """A real Prefect server for the whole session; in-process flows and `budget-etl run`
    subprocesses (given PREFECT_API_URL) report to it."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield str(PREFECT_API_URL.value())


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three sample PDFs in a local folder source (tests/test_flows_support.SUBSET)."""
    from tests.test_flows_support import copy_subset

    return copy_subset(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def reference(api_url: str, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse of one uninterrupted nightly run over `corpus` with the default (process
    pool) runner: what every other runner, and every interrupted run resumed, must equal."""
    from flows.orchestration.nightly import nightly
    from tests.test_flows_support import SUBSET, write_config

    tmp = tmp_path_factory.mktemp("reference")
    cfg = write_config(tmp / "config.yaml", tmp / "data", [{"url": str(corpus), "name": "corpus"}], workers=2)
    report = nightly(config=str(cfg))
    assert report["counts"]["failed"] == 0 and report["counts"]["loaded"] == len(SUBSET)
    return tmp / "data" / "warehouse.duckdb"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow modules first: with several workers (make test runs pytest-xdist, one module a
    worker at a time) the long Prefect and browser modules start at once instead of ending
    the run alone. Order within a module is kept."""
    first_index = {}
    for i, item in enumerate(items):
        first_index.setdefault(item.module.__name__, (item.get_closest_marker("slow") is None, i))
    items.sort(key=lambda item: first_index[item.module.__name__])
