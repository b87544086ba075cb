"""Inputs a harvester meets in the wild: each ends in the contract status and an error a
person can act on, never an exception."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parsers import parse_pdf
from tests.fixtures.synthetic import synthetic_pdf

BROKEN = Path(__file__).parent / "fixtures" / "broken"


@pytest.mark.parametrize("name,status,words", [
    ("truncated.pdf", "unreadable", "truncated"),
    ("empty.pdf", "unreadable", "empty"),
    ("html-error-page.pdf", "unreadable", "HTML"),
    ("encrypted.pdf", "unreadable", "password"),
    ("scanned-image-only.pdf", "no_text_layer", "scanned"),
])
def test_broken_inputs(name, status, words):
    d = parse_pdf(BROKEN / name)
    assert d.status == status
    assert len(d.errors) == 1 and name in d.errors[0] and words in d.errors[0]
    assert not d.tables and not d.checks
    assert d.source.sha256 and len(d.source.sha256) == 64


def test_missing_file_is_reported_not_raised(tmp_path):
    d = parse_pdf(tmp_path / "nope.pdf")
    assert d.status == "unreadable" and "nope.pdf" in d.errors[0]


def test_cli_parse_prints_contract_json_without_prefect(tmp_path):
    pdf = synthetic_pdf("xj-smg-kjj-2025")
    code = ("import sys, runpy; sys.argv = ['budget-etl', 'parse', sys.argv[1], '--out', sys.argv[2]]\n"
            "from flows.cli.main import app\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "print('PREFECT_LOADED' if 'prefect' in sys.modules else 'NO_PREFECT')")
    out = tmp_path / "doc.json"
    p = subprocess.run([sys.executable, "-c", code, str(pdf), str(out)], capture_output=True, text=True, timeout=120)
    assert p.stdout.strip().endswith("NO_PREFECT"), p.stdout + p.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == "budget-document/1"
    assert set(doc) >= {"source", "document", "tables", "facts", "checks", "status", "errors"}
    t3 = next(t for t in doc["tables"] if t["kind"] == "expenditure_by_function")
    r = next(r for r in t3["rows"] if r["code"] == "2060101")
    assert r == {**r, "level": 3, "name": "行政运行", "page": 4,
                 "values": {"total": 524000.0, "basic": 524000.0, "project": 0.0}}
    assert t3["total"] == {"total": 1144600.0, "basic": 1036500.0, "project": 108100.0}
    assert doc["facts"]["staffing"]["authorized"] == 8
