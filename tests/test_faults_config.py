"""Issue 16, items 2 and 3: a config.yaml that cannot be used is one line and exit 2.

The CLI cases run the real `budget-etl` executable; the others call load_config, which is
what every command calls first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows.config import ConfigError, load_config
from tests.test_flows_support import clean_env

BIN = Path(sys.executable).parent / "budget-etl"


def _cli(tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(text, encoding="utf-8")
    return subprocess.run([str(BIN), *args, "--config", str(cfg)], capture_output=True, text=True, timeout=120,
                          env=clean_env(), cwd=tmp_path)


def _error(tmp_path: Path, text: str) -> str:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    msg = str(e.value)
    assert "\n" not in msg, msg
    assert msg.startswith(str(cfg)), msg
    return msg


def test_wrong_type_is_one_line_and_exit_2(tmp_path: Path) -> None:
    r = _cli(tmp_path, "harvest: {read_timeout: abc}\n", "run")
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().splitlines() == [f"{tmp_path / 'config.yaml'}: harvest.read_timeout = 'abc': "
                                             "expected a number"]
    assert "Traceback" not in r.stderr + r.stdout


def test_yaml_syntax_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    r = _cli(tmp_path, "harvest:\n  read_timeout: 3\n bad: [\n", "sql", "SELECT 1")
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"{tmp_path / 'config.yaml'} line 3, column 2: YAML syntax error: ")


def test_unknown_keys_name_the_closest_valid_key(tmp_path: Path) -> None:
    assert _error(tmp_path, "harvest:\n  read_timout: 3\n").endswith(
        "unknown key 'harvest.read_timout'; did you mean 'harvest.read_timeout'?")
    assert _error(tmp_path, "sources:\n  - url: x\n    nme: y\n").endswith(
        "unknown key 'sources[0].nme'; did you mean 'sources[0].name'?")
    assert _error(tmp_path, "warehous: w.duckdb\n").endswith("did you mean 'warehouse'?")
    msg = _error(tmp_path, "concurrency: {zzz: 1}\n")
    assert msg.endswith("unknown key 'concurrency.zzz'; valid keys here: dask_scheduler, download_workers, "
                        "parse_workers"), msg


def test_every_error_is_named_on_the_one_line(tmp_path: Path) -> None:
    msg = _error(tmp_path, "sources: 5\nconcurrency: {parse_workers: 2.5}\nschedule: {cron: [1]}\n")
    assert "sources = 5: expected a list" in msg
    assert "concurrency.parse_workers = 2.5: expected a whole number" in msg
    assert "schedule.cron = [1]: expected text" in msg
    assert _error(tmp_path, "- a\n- b\n").endswith("at the top level, found list")
    assert _error(tmp_path, "harvest: {deadline: soon}\n").endswith("harvest.deadline = 'soon': expected a number")


def test_a_valid_config_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("harvest: {read_timeout: 5, deadline: 30}\nsources: [{url: x, name: y}]\n", encoding="utf-8")
    c = load_config(cfg)
    assert (c.harvest.read_timeout, c.harvest.deadline, c.sources[0].name) == (5.0, 30.0, "y")
    monkeypatch.chdir(tmp_path / "..")
    assert load_config(None).harvest.deadline == 600.0  # no config.yaml here: the defaults
