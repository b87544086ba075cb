"""`budget-etl run` as a real subprocess: exit codes, the run lock, and kill -9 at any point.

The subprocesses talk to the session's Prefect test server (tests/conftest.py, PREFECT_API_URL),
so none of them starts a temporary server of its own (~5-10 s each, and an orphan when the
process is killed with -9: Prefect starts it as a plain child process).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from flows.orchestration.load_flow import LOAD_BATCH_ENV, LOAD_HOLD_ENV, LOAD_PAUSE_ENV
from tests.test_flows_support import BROKEN, SUBSET, clean_env, query, snapshot, write_config
from warehouse.load import PER_DOCUMENT_TABLES

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent / "budget-etl"


class Run:
    """`budget-etl run` in the background, its output in a file we can watch."""

    def __init__(self, cfg: Path, api_url: str, log: Path, **env: str) -> None:
        self.log = log
        self.out = open(log, "wb")  # noqa: SIM115 - closed in wait()/kill()
        self.proc = subprocess.Popen([str(BIN), "run", "--config", str(cfg)], stdout=self.out,
                                     stderr=subprocess.STDOUT, env=clean_env(PREFECT_API_URL=api_url, **env))

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, marker: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.text():
            if self.proc.poll() is not None:
                raise AssertionError(f"exited ({self.proc.returncode}) before {marker!r}:\n{self.text()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {marker!r} within {timeout}s:\n{self.text()[-3000:]}")
            time.sleep(0.05)

    def wait(self, timeout: float = 180) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self.out.close()

    def kill9(self) -> list[psutil.Process]:
        """SIGKILL the run's own process only (what `kill -9 <pid>` does); return its children."""
        children = psutil.Process(self.proc.pid).children(recursive=True)
        os.kill(self.proc.pid, signal.SIGKILL)
        self.wait()
        return children


def run(cfg: Path, api_url: str, tmp: Path, name: str, **env: str) -> tuple[int, str]:
    r = Run(cfg, api_url, tmp / f"{name}.log", **env)
    return r.wait(), r.text()


def test_exit_code_of_a_failed_run(api_url: str, tmp_path: Path) -> None:
    """Exit 2 when the run itself fails (here: the warehouse is not a DuckDB file); exit 1 for
    failed documents is tests/test_faults_report.py's."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(BROKEN)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "warehouse.duckdb").write_bytes(b"this is not a DuckDB file" * 100)
    cfg = write_config(tmp_path / "bad.yaml", bad, [{"url": str(folder)}])
    code, out = run(cfg, api_url, tmp_path, "failed-run")
    assert code == 2, out
    assert "the run failed" in out


def test_kill9_at_any_point_and_a_concurrent_run(api_url: str, corpus: Path, reference: Path, tmp_path: Path) -> None:
    """kill -9 while parsing, inside a batch's open transaction, and between two batches; the
    next run completes the work and the warehouse equals one uninterrupted run's."""
    sources = [{"url": str(corpus), "name": "corpus"}]
    cfg = write_config(tmp_path / "config.yaml", tmp_path / "data", sources)
    db = tmp_path / "data" / "warehouse.duckdb"
    ref = snapshot(reference)
    ref_lines = dict(query(reference, "SELECT doc_id, count(*) FROM line_amounts GROUP BY ALL"))

    # while parsing: the pool's workers die with the run (no orphans)
    a = Run(cfg, api_url, tmp_path / "a.log")
    a.wait_for(f"parsed 1/{len(SUBSET)}")
    children = a.kill9()
    assert children, "the parse pool should have had worker processes"
    _gone(children)

    # while a batch of all three documents is written but not committed: none of them stays
    b = Run(cfg, api_url, tmp_path / "b.log", **{LOAD_HOLD_ENV: "60"})
    b.wait_for(f"writing a batch of {len(SUBSET)}")
    _gone(b.kill9())
    assert query(db, "SELECT count(*) FROM document_versions") == [(0,)]
    assert all(query(db, f"SELECT count(*) FROM {t}") == [(0,)] for t in PER_DOCUMENT_TABLES)

    # one document a transaction, killed after the first commit (the hook sleeps after each
    # batch's commit): exactly that document, whole ...
    c = Run(cfg, api_url, tmp_path / "c.log", **{LOAD_BATCH_ENV: "1", LOAD_PAUSE_ENV: "60"})
    c.wait_for("loaded 1/")
    # ... after a concurrent run was refused while c held the lock
    code, out = run(cfg, api_url, tmp_path, "concurrent")
    assert code == 3, out
    assert "not started: another budget-etl run is using" in out
    assert c.proc.poll() is None
    _gone(c.kill9())
    assert "loaded 2/" not in c.text()
    docs = query(db, "SELECT doc_id FROM document_versions")
    assert len(docs) == 1
    (doc_id,) = docs[0]
    assert query(db, "SELECT count(*) FROM line_amounts WHERE doc_id = ?", [doc_id]) == [(ref_lines[doc_id],)]

    code, out = run(cfg, api_url, tmp_path, "after")
    assert code == 0, out
    mine = snapshot(db)
    assert mine["counts"] == ref["counts"]
    assert mine["amounts"] == ref["amounts"]
    assert [d[:8] for d in mine["documents"]] == [d[:8] for d in ref["documents"]]
    statuses = [s for (s,) in query(db, "SELECT status FROM runs ORDER BY started_at")]
    assert statuses == ["interrupted", "interrupted", "interrupted", "ok"]
    assert not list((tmp_path / "data" / "parsed").glob("*.tmp"))


def _gone(procs: list[psutil.Process], timeout: float = 10) -> None:
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    assert not alive, f"orphans left running: {alive}"
