"""A temporary Prefect API for one `budget-etl run` that cannot outlive the run.

Why not Prefect's own temporary server: it is a plain child process stopped by atexit, so a
kill -9 of the run (the out-of-memory killer, say) left it running under PID 1 — ~250 MB,
prefect.db open and a port held — one more for every killed run. This one runs the same
app the same way (uvicorn, ephemeral mode, no UI), and:

- on Linux it gets SIGTERM the moment the run dies, however it dies (PR_SET_PDEATHSIG);
- its pid is recorded in <PREFECT_HOME>/temp-servers/<run pid>.json, and every run first
  ends the servers whose run is gone (where there is no PDEATHSIG, or it was missed).

It is stopped at interpreter exit, after Prefect's own exit handlers (registered before
Prefect is imported), so the flow's last events and logs still reach it.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psutil

from flows.orchestration.serve import stop_server, wait_healthy

RECORDS = "temp-servers"
STARTUP_TIMEOUT = 180.0  # a first start on a fresh PREFECT_HOME migrates the database (~26 s seen)
REAP_TIMEOUT = 10.0
_PR_SET_PDEATHSIG = 1


def start_temporary_api(home: Path | None = None) -> str | None:
    """Start the run's own Prefect API unless one is configured; returns its URL (or None).

    Must be called after configure_prefect (home: PREFECT_HOME) and before Prefect is
    imported: it sets PREFECT_API_URL for this process.
    """
    if os.environ.get("PREFECT_API_URL"):
        return None
    home = Path(home or os.environ["PREFECT_HOME"])
    reap_orphans(home)
    port = _free_port()
    server = _start(home, port)
    record = _record(home, server)
    api_url = f"http://127.0.0.1:{port}/api"

    def stop() -> None:
        stop_server(server)
        record.unlink(missing_ok=True)

    atexit.register(stop)
    try:
        wait_healthy(api_url, server, home / "temp-server.log", STARTUP_TIMEOUT)
    except BaseException:
        stop()
        raise
    os.environ["PREFECT_API_URL"] = api_url
    return api_url


def reap_orphans(home: Path) -> list[int]:
    """End temporary servers whose run has died; return their pids. A record is trusted only
    when pid and start time both match, so a reused pid is never killed."""
    ended = []
    for path in sorted((home / RECORDS).glob("*.json")):
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
            owner, server = (int(rec["owner"]), float(rec["owner_started"])), (int(rec["pid"]), float(rec["started"]))
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)
            continue
        if _alive(*owner):
            continue
        proc = _alive(*server)
        if proc is not None:
            _end(proc)
            ended.append(proc.pid)
        path.unlink(missing_ok=True)
    return ended


def _alive(pid: int, started: float) -> psutil.Process | None:
    try:
        proc = psutil.Process(pid)
        return proc if abs(proc.create_time() - started) < 0.01 and proc.is_running() else None
    except psutil.Error:
        return None


def _end(proc: psutil.Process) -> None:
    with contextlib.suppress(psutil.Error):
        proc.terminate()
        try:
            proc.wait(REAP_TIMEOUT)
        except psutil.TimeoutExpired:
            proc.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(home: Path, port: int) -> subprocess.Popen:
    """uvicorn serving Prefect's API as its temporary server does, tied to this process."""
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
           "PREFECT__SERVER_FINAL": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    parent = os.getpid()
    log = open(home / "temp-server.log", "ab")  # noqa: SIM115 - handed to the child, closed below
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(home),
            preexec_fn=lambda: _die_with(parent),  # noqa: PLW1509 - called before any thread starts
        )
    finally:
        log.close()


def _die_with(parent: int) -> None:
    """In the server's child process: SIGTERM when the run dies (Linux), own process group."""
    os.setsid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the run died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)


def _record(home: Path, server: subprocess.Popen) -> Path:
    """Where the next run finds this server if the run dies and the server does not."""
    d = home / RECORDS
    d.mkdir(parents=True, exist_ok=True)
    me = psutil.Process()
    try:
        started = psutil.Process(server.pid).create_time()
    except psutil.Error:
        started = 0.0
    path = d / f"{me.pid}.json"
    path.write_text(json.dumps({"owner": me.pid, "owner_started": me.create_time(), "pid": server.pid,
                                "started": started}), encoding="utf-8")
    return path
