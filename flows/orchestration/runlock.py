"""One run at a time per warehouse: an OS file lock next to it, taken without waiting.

Why a file lock (filelock, fcntl underneath): the OS drops it when the process dies, even
with kill -9, so a killed run never blocks the next one and no stale-lock cleanup is needed.
The lock is re-entrant within a process: `budget-etl run` takes it before Prefect starts
(a refused run then costs no Prefect server start-up), and the nightly flow takes it again,
which is what protects runs started by `budget-etl serve` in their own processes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_NAME = ".nightly.lock"

_guard = threading.Lock()
_held: dict[str, tuple[FileLock, int]] = {}


class RunLocked(RuntimeError):
    """Another run holds this warehouse's lock."""


def lock_path(data_path: Path) -> Path:
    return Path(data_path) / LOCK_NAME


@contextmanager
def run_lock(data_path: Path) -> Iterator[Path]:
    """Hold the data directory's run lock, or raise RunLocked at once saying who to wait for."""
    path = lock_path(data_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = str(path.resolve())
    with _guard:
        held = _held.get(key)
        if held is not None:
            _held[key] = (held[0], held[1] + 1)
        else:
            lock = FileLock(key, thread_local=False)
            try:
                lock.acquire(timeout=0)
            except Timeout as e:
                raise RunLocked(f"another budget-etl run is using {Path(data_path)} (lock file {key}"
                                f"{_holder(path)}); wait for it to finish or stop it first") from e
            _record_holder(path)
            _held[key] = (lock, 1)
    try:
        yield path
    finally:
        with _guard:
            lock, n = _held[key]
            if n > 1:
                _held[key] = (lock, n - 1)
            else:
                del _held[key]
                lock.release()


def _record_holder(path: Path) -> None:
    """Write our pid beside the lock so the refusal message can name the running process."""
    with suppress(OSError):
        path.with_suffix(".pid").write_text(str(os.getpid()), encoding="utf-8")


def _holder(path: Path) -> str:
    try:
        pid = int(path.with_suffix(".pid").read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return ""
    return f", held by process {pid}"
