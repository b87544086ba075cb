"""compare and export on the command line: distinct one-line errors and exit codes, --sort,
--category, --region as part of a path, --format."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flows.cli.main import app
from tests.comparable_support import build

FIXTURES = ["central_guojia-xinfangju_2026_yusuan.pdf", "changsha_xinfangju_2026_yusuan.pdf"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    build(d / "warehouse.duckdb", FIXTURES).close()
    return d


def run(*args):
    return CliRunner().invoke(app, list(args))


def test_compare_sorts_filters_and_formats(data_dir):
    r = run("compare", "--year", "2026", "--code", "201", "--category", "信访", "--sort", "share",
            "--format", "json", "--data-dir", str(data_dir))
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {x["unit"] for x in rows} == {"国家信访局", "长沙市信访局"}
    shares = [x["share"] for x in rows]
    assert shares == sorted(shares, reverse=True) and [x["rank"] for x in rows] == [1, 2]
    r = run("compare", "--year", "2026", "--code", "201", "--region", "长沙", "--format", "csv",
            "--data-dir", str(data_dir))
    assert r.exit_code == 0 and r.stdout.splitlines()[1].split(",")[1] == "长沙市信访局"


@pytest.mark.parametrize(("args", "code", "words"), [
    (["--year", "1999", "--code", "201"], 3, "no budget report for year 1999"),
    (["--year", "2026", "--code", "299999"], 4, "no unit reports code 299999"),
    (["--year", "2026", "--code", "201", "--region", "西藏"], 5, "region contains '西藏'"),
    (["--year", "2026", "--code", "201", "--category", "公安"], 6, "category '公安'"),
    (["--year", "2026", "--code", "201", "--format", "xlsx"], 1, "unknown format"),
    (["--year", "2026", "--code", "201", "--sort", "size"], 1, "unknown sort"),
])
def test_compare_errors_are_one_line_with_their_exit_code(data_dir, args, code, words):
    r = run("compare", *args, "--data-dir", str(data_dir))
    assert r.exit_code == code and words in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_missing_warehouse_and_bad_export_format(tmp_path, data_dir):
    for args in (["compare", "--year", "2026", "--code", "201"], ["export", str(tmp_path / "x")]):
        r = run(*args, "--data-dir", str(tmp_path / "nowhere"))
        assert r.exit_code == 1 and "no warehouse" in r.output and len(r.output.strip().splitlines()) == 1
    r = run("export", str(tmp_path / "y"), "--format", "xlsx", "--data-dir", str(data_dir))
    assert r.exit_code == 1 and "unknown export format" in r.output
