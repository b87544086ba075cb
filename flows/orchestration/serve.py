"""`budget-etl serve`: the nightly flow on the config's cron schedule, with Prefect's serving.

Prefect 3 refuses to schedule on its temporary (ephemeral) API ("Cannot schedule flows on an
ephemeral server", prefect/runner/runner.py), so with no PREFECT_API_URL and no
prefect.api_url in config.yaml, serve starts a local `prefect server` itself: state in
<data_dir>/prefect (SQLite), log in <data_dir>/prefect/server.log, UI and API on
127.0.0.1:4200 (PREFECT_SERVER_API_PORT, or a free port when 4200 is taken). It waits until
/api/health answers, serves the deployment `nightly/budget-etl-nightly`, and stops the server
when serving ends. Where the server is goes to <data_dir>/prefect/serve.json while it runs.

Shutdown (SIGTERM, or Ctrl-C/SIGINT), deliberately:
- Prefect's Runner handles the signal: it stops polling and cancels a nightly run in flight
  (SIGTERM to the run's process, SIGKILL after 30 s). That is safe by design: a killed run
  leaves archive and warehouse consistent, and the next run completes its work.
- The deployment's schedule is paused (Prefect's pause_on_shutdown, kept on purpose, and
  done again by serve itself for a stop during start-up, which the Runner misses): a
  stopped serve then shows as paused instead of piling up Late runs on a shared server, and
  pausing deletes the scheduled runs, so no backlog fires at once on restart. The next
  `serve` un-pauses it (the deployment is re-applied with paused=False).
- Then the local server (its whole process group) gets SIGTERM, SIGKILL after 20 s. It is
  started with PR_SET_PDEATHSIG on Linux, so even a kill -9 of serve does not orphan it.
A second `serve` on the same data directory is refused (exit 3).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from filelock import FileLock, Timeout

from flows.config import Config

DEPLOYMENT = "budget-etl-nightly"
DEFAULT_PORT = 4200
STARTUP_TIMEOUT = 180.0  # a first start migrates a fresh database: 7 s here, ~26 s seen on a busy machine
STOP_TIMEOUT = 20.0
REDELIVER = 0.1  # s: a stop signal whose KeyboardInterrupt was lost is sent again after this (_stop_on_sigterm)


class ServeError(RuntimeError):
    """The local Prefect server could not be started."""


def serve_nightly(cfg: Config, config_path: Path | None) -> int:
    """Serve the nightly deployment until SIGTERM/SIGINT; returns the process exit code."""
    from flows.orchestration.prefect_env import configure_prefect

    configure_prefect(cfg, use_served=False)
    home = Path(os.environ["PREFECT_HOME"])
    lock = FileLock(str(cfg.data_path / "prefect" / "serve.lock"), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        sys.stderr.write(f"not started: another `budget-etl serve` is serving {cfg.data_path}\n")
        return 3
    try:
        with _stop_on_sigterm() as stopping, _api(home, stopping) as (api_url, server):
            _write_state(home, api_url, server)
            try:
                _serve(cfg, config_path)
            finally:
                stopping()
                _pause()
    except ServeError as e:
        sys.stderr.write(f"serve failed: {e}\n")
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        (home / "serve.json").unlink(missing_ok=True)
        lock.release()
    return 0


def _serve(cfg: Config, config_path: Path | None) -> None:
    """Create/update the deployment with the configured cron and timezone, and serve it."""
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from flows.orchestration.nightly import nightly_flow

    if config_path is None and Path("config.yaml").exists():
        config_path = Path("config.yaml")  # runs start in other processes: pin the default to this file
    params = {"config": str(Path(config_path).resolve()) if config_path else None, "data_dir": str(cfg.data_path)}
    nightly_flow.serve(
        name=DEPLOYMENT,
        schedules=[Cron(cfg.schedule.cron, timezone=cfg.schedule.timezone or "Asia/Shanghai")],
        parameters=params,
        paused=False,  # re-serving un-pauses what the last shutdown paused
        pause_on_shutdown=True,
        limit=1,  # one nightly run at a time from this runner (the run lock guards the rest)
        entrypoint_type=EntrypointType.MODULE_PATH,
        description="budget-etl: harvest → parse → load, on the schedule of config.yaml",
    )


def _pause() -> None:
    """Pause the schedule however serving ended. Prefect's Runner pauses on shutdown only once
    it has started; a signal during start-up (or an error) would otherwise leave it active."""
    with contextlib.suppress(Exception):
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            client.pause_deployment(client.read_deployment_by_name(f"nightly/{DEPLOYMENT}").id)


@contextlib.contextmanager
def _api(home: Path, stopping: Callable[[], None]) -> Iterator[tuple[str, subprocess.Popen | None]]:
    """The API to serve against: PREFECT_API_URL when set, else a local server we supervise
    (stopping() is called before it is stopped: no signal may interrupt that)."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured, None
        return
    port = _port()
    server = start_server(home, port)
    try:
        api_url = f"http://127.0.0.1:{port}/api"
        wait_healthy(api_url, server, home / "server.log", STARTUP_TIMEOUT)
        os.environ["PREFECT_API_URL"] = api_url  # before prefect is imported in this process
        sys.stderr.write(f"Prefect server (UI) on http://127.0.0.1:{port}, state in {home}\n")
        yield api_url, server
    finally:
        stopping()
        stop_server(server)


def _port() -> int:
    want = int(os.environ.get("PREFECT_SERVER_API_PORT") or DEFAULT_PORT)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no conflict
        try:
            s.bind(("127.0.0.1", want))
            return want
        except OSError:
            if os.environ.get("PREFECT_SERVER_API_PORT"):
                raise ServeError(f"port {want} (PREFECT_SERVER_API_PORT) is in use") from None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In the server's child process: get SIGTERM when serve dies, however it dies (Linux)."""
    os.setsid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_server(home: Path, port: int) -> subprocess.Popen:
    """`prefect server start` on 127.0.0.1:port in its own process group, logging to server.log."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    log = open(home / "server.log", "ab")  # noqa: SIM115 - handed to the child, closed below
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(home),
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads yet in this process
        )
    finally:
        log.close()


def wait_healthy(api_url: str, server: subprocess.Popen | None, log: Path, timeout: float) -> None:
    """Poll /health until the server answers; fail early (with its log) if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise ServeError(f"the Prefect server exited with code {server.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise ServeError(f"the Prefect server did not answer {api_url}/health within {timeout:.0f}s:\n{_tail(log)}")


def stop_server(server: subprocess.Popen | None, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM the server's process group, SIGKILL what is left after `timeout` seconds."""
    if server is None or server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _tail(path: Path, n: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def _write_state(home: Path, api_url: str, server: subprocess.Popen | None) -> None:
    """Tell tools (and tests) where the API is while serve runs."""
    ui = api_url[: -len("/api")] if api_url.endswith("/api") else api_url
    (home / "serve.json").write_text(json.dumps({"pid": os.getpid(), "api_url": api_url, "ui_url": ui,
                                                 "server_pid": server.pid if server else None}), encoding="utf-8")


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[Callable[[], None]]:
    """Until Prefect's Runner installs its own handler, SIGTERM unwinds like Ctrl-C, so the
    local server is stopped even when serve is told to stop while it is still starting.

    SIGINT raises KeyboardInterrupt at once too. With Python's default handler in place,
    asyncio.run turns the first Ctrl-C into a cancellation of the Runner's task, which the
    Runner swallows while it is still starting (seen: serve ignored a SIGINT sent right after
    "is being served"); a handler of our own keeps asyncio from installing that one.

    A KeyboardInterrupt raised where Python cannot propagate it (a __del__, a callback from C:
    seen as "Exception ignored in: 'cls_name'", and serve ran on) is lost; Python reports it
    to sys.unraisablehook, which sends the signal again. Once the caller says it is stopping
    (the function yielded), stop signals are ignored, so nothing interrupts the clean-up."""
    stopping = threading.Event()
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            return
        received.append(signum)
        raise KeyboardInterrupt

    def lost(unraisable: sys.UnraisableHookArgs) -> None:
        if issubclass(unraisable.exc_type, KeyboardInterrupt) and received and not stopping.is_set():
            again = threading.Timer(REDELIVER, os.kill, (os.getpid(), received[-1]))
            again.daemon = True
            again.start()
        hook(unraisable)

    hook = sys.unraisablehook
    sys.unraisablehook = lost
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stopping.set
    finally:
        stopping.set()
        sys.unraisablehook = hook
        for sig, old in previous.items():
            signal.signal(sig, old)
