"""The parse pool on its own: a worker that dies fails only its own call, and the pool
replaces itself for the next one; the cache is written atomically."""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from flows.orchestration.parallel import ParsePool, parse_bytes, parse_path, write_cache
from tests.test_flows_support import BROKEN, SAMPLES


def die(code: int) -> int:
    """Kill the worker process the hard way (as a segfault or the OOM killer would)."""
    os._exit(code)


def pid() -> int:
    return os.getpid()


def test_a_dying_worker_fails_its_call_and_the_pool_recovers() -> None:
    pool = ParsePool(2)
    try:
        first = pool.run(pid)
        with pytest.raises(BrokenProcessPool):
            pool.run(die, 3)  # tried twice, in two fresh pools
        assert pool.run(pid) != first  # a new pool, new workers
    finally:
        pool.close()


def env_and_cwd(name: str) -> tuple[str | None, str]:
    return os.environ.get(name), os.getcwd()


def test_a_pool_started_later_sees_the_environment_and_directory_of_then(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are forks of a fork server started with the first pool of this process: without
    handing them the head's environment, a later run's BUDGET_ETL_OCR or derived-files
    directory would be the first run's."""
    for value, cwd in (("first", tmp_path), ("second", tmp_path / "later")):
        cwd.mkdir(exist_ok=True)
        monkeypatch.setenv("BUDGET_ETL_TEST_VALUE", value)
        monkeypatch.chdir(cwd)
        pool = ParsePool(1)
        try:
            assert pool.run(env_and_cwd, "BUDGET_ETL_TEST_VALUE") == (value, str(cwd))
        finally:
            pool.close()
    monkeypatch.delenv("BUDGET_ETL_TEST_VALUE")
    pool = ParsePool(1)
    try:
        assert pool.run(env_and_cwd, "BUDGET_ETL_TEST_VALUE")[0] is None
    finally:
        pool.close()


def test_bytes_and_path_parses_are_the_same_document(tmp_path: Path) -> None:
    data = (SAMPLES / "corpus" / "xj-smg-zjj-2025.pdf").read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    archived = tmp_path / f"{sha}.pdf"
    archived.write_bytes(data)
    a, b = parse_path(str(archived), sha), parse_bytes(data, sha)
    strip = ('"parsed_at"', '"seconds"')
    assert a.status == b.status == "parsed"
    assert _without(a.text, strip) == _without(b.text, strip)

    broken = parse_bytes(BROKEN, "f" * 64)
    assert broken.status == "unreadable" and "truncated" in broken.text

    cache = tmp_path / "parsed" / f"{sha}.x.json"
    write_cache(cache, a.text)
    assert cache.read_text(encoding="utf-8") == a.text
    assert not list(cache.parent.glob("*.tmp"))


def _without(text: str, keys: tuple[str, ...]) -> dict:
    def scrub(x: object) -> object:
        if isinstance(x, dict):
            return {k: scrub(v) for k, v in x.items() if f'"{k}"' not in keys}
        if isinstance(x, list):
            return [scrub(v) for v in x]
        return x

    return scrub(json.loads(text))  # type: ignore[return-value]
