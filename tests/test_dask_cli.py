"""Dask across processes: a `dask scheduler` and two `dask worker` processes started with the
CLIs on 127.0.0.1 parse the corpus, and the warehouse equals the default runner's."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.orchestration.nightly import nightly
from tests.test_flows_support import SUBSET, snapshot, write_config

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("api_url")]
DASK = str(Path(sys.executable).with_name("dask"))
START_TIMEOUT = 120.0  # seconds for the scheduler and workers to come up on a busy machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def cli_cluster(tmp: Path, workers: int = 2) -> Iterator[str]:
    """A scheduler and `workers` worker processes, each its own process group; killed after."""
    addr = f"tcp://127.0.0.1:{_free_port()}"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    logs = tmp / "dask-logs"
    logs.mkdir()
    procs = []

    def start(name: str, args: list[str]) -> None:
        out = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process below
        procs.append((subprocess.Popen([DASK, *args], stdout=out, stderr=subprocess.STDOUT, env=env,
                                       cwd=tmp, start_new_session=True), out))

    port = addr.rsplit(":", 1)[1]
    start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"])
    for i in range(workers):
        start(f"worker{i}", ["worker", addr, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                             "--host", "127.0.0.1", "--local-directory", str(tmp / f"w{i}")])
    try:
        from distributed import Client

        with Client(addr, timeout=START_TIMEOUT) as client:
            client.wait_for_workers(workers, timeout=START_TIMEOUT)
            assert len(client.scheduler_info()["workers"]) == workers
        yield addr
    finally:
        for p, out in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            out.close()


def test_cli_scheduler_and_workers_build_the_default_runners_warehouse(corpus: Path, reference: Path,
                                                                         tmp_path: Path) -> None:
    (tmp_path / "dask").mkdir()
    t0 = time.perf_counter()
    with cli_cluster(tmp_path) as addr:
        cfg = write_config(tmp_path / "dask" / "config.yaml", tmp_path / "dask" / "data",
                           [{"url": str(corpus), "name": "corpus"}], dask_scheduler=addr)
        report = nightly(config=str(cfg))
    print(f"dask CLI cluster run: {time.perf_counter() - t0:.1f}s")
    assert report["counts"]["failed"] == 0 and report["counts"]["parsed"] == len(SUBSET)
    mine = snapshot(tmp_path / "dask" / "data" / "warehouse.duckdb")
    ref = snapshot(reference)
    assert mine["counts"] == ref["counts"] and mine["amounts"] == ref["amounts"]
    assert [d[:8] for d in mine["documents"]] == [d[:8] for d in ref["documents"]]  # all but parsed_at
