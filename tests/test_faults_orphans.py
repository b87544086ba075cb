"""Issue 16, item 1: a kill -9 of `budget-etl run` must not leave its temporary Prefect server
running. The server dies with the run (PR_SET_PDEATHSIG), and a run ends servers whose run
is gone (the fallback). Real processes, a real Prefect server, a real HTTP server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from flows.orchestration.tempserver import RECORDS, reap_orphans
from tests.fixtures.portal.portal_server import KJJ, PortalServer
from tests.test_flows_support import clean_env

BIN = Path(sys.executable).parent / "budget-etl"


def _sleeper(seconds: float = 120) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"], start_new_session=True)


def _record(home: Path, owner: tuple[int, float], server: tuple[int, float], name: str) -> Path:
    d = home / RECORDS
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{name}.json"
    path.write_text(json.dumps({"owner": owner[0], "owner_started": owner[1], "pid": server[0],
                                "started": server[1]}), encoding="utf-8")
    return path


@pytest.mark.slow
def test_kill9_of_a_run_ends_its_temporary_server(tmp_path: Path, prefect_template: Path) -> None:
    home = tmp_path / "data" / "prefect"
    home.mkdir(parents=True)
    shutil.copyfile(prefect_template, home / "prefect.db")  # migrated already: ~10 CPU-s less
    with PortalServer() as srv:
        srv.stall("/slow.pdf", 120, KJJ, after_bytes=1000)  # keeps the run in its harvest
        cfg = tmp_path / "config.yaml"
        cfg.write_text(textwrap.dedent(f"""\
            data_dir: {tmp_path / 'data'}
            sources: [{{url: "{srv.url('/slow.pdf')}"}}]
            harvest: {{read_timeout: 60, deadline: 120, retries: 0}}
            """), encoding="utf-8")
        log = open(tmp_path / "run.log", "wb")  # noqa: SIM115 - closed below
        run = subprocess.Popen([str(BIN), "run", "--config", str(cfg)], stdout=log, stderr=subprocess.STDOUT,
                               env=clean_env())  # no PREFECT_API_URL: the run starts its own server
        try:
            deadline = time.monotonic() + 300
            while not srv.requests_for("/slow.pdf"):
                assert run.poll() is None, (tmp_path / "run.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "run.log").read_text()
                time.sleep(0.2)
            records = list((tmp_path / "data" / "prefect" / RECORDS).glob("*.json"))
            assert [p.name for p in records] == [f"{run.pid}.json"]
            server = psutil.Process(json.loads(records[0].read_text())["pid"])
            assert "uvicorn" in " ".join(server.cmdline())
            assert server.pid in {c.pid for c in psutil.Process(run.pid).children(recursive=True)}

            os.kill(run.pid, signal.SIGKILL)  # what the out-of-memory killer does
            run.wait(30)
            _, alive = psutil.wait_procs([server], timeout=30)
            assert not alive, f"the temporary Prefect server outlived its run: {alive}"
        finally:
            if run.poll() is None:
                run.kill()
            log.close()
    # the killed run left its record; the next run clears it (the server is already gone)
    assert reap_orphans(tmp_path / "data" / "prefect") == []
    assert not list((tmp_path / "data" / "prefect" / RECORDS).glob("*.json"))


def test_a_run_ends_servers_whose_run_is_gone(tmp_path: Path) -> None:
    home = tmp_path / "prefect"
    dead_owner = _sleeper()
    dead = (dead_owner.pid, psutil.Process(dead_owner.pid).create_time())
    dead_owner.kill()
    dead_owner.wait()
    me = psutil.Process()
    orphan, kept, reused = _sleeper(), _sleeper(), _sleeper()
    try:
        started = {p.pid: psutil.Process(p.pid).create_time() for p in (orphan, kept, reused)}
        a = _record(home, dead, (orphan.pid, started[orphan.pid]), "a")  # its run was killed
        b = _record(home, (me.pid, me.create_time()), (kept.pid, started[kept.pid]), "b")  # its run is alive
        c = _record(home, dead, (reused.pid, started[reused.pid] - 100), "c")  # pid reused by another process
        (home / RECORDS / "d.json").write_text("{not json", encoding="utf-8")

        assert reap_orphans(home) == [orphan.pid]
        assert orphan.wait(15) is not None
        assert kept.poll() is None and reused.poll() is None
        assert not a.exists() and b.exists() and not c.exists()
        assert not (home / RECORDS / "d.json").exists()
    finally:
        for p in (orphan, kept, reused):
            if p.poll() is None:
                p.kill()
                p.wait()
