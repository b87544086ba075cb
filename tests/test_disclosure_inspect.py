"""The disclosure column of `budget-etl inspect`: the same score as the disclosure_score view
for a report seen alone, and a dash for files that are not parsed reports."""

from __future__ import annotations

import shutil
from pathlib import Path

from flows.cli.inspect import inspect_dir, summarise
from parsers.parse import parse_pdf
from warehouse import connect, load_document
from warehouse.disclosure_score import document_score

REAL = Path(__file__).parent / "fixtures" / "real"
TEXT_ONLY = REAL / "beijing_caizhengju_2026_yusuan_text.pdf"
NOT_BUDGET = REAL / "jinan_yingjiju_yishenqing-liuchengtu_NOT-BUDGET.pdf"


def test_inspect_score_equals_the_view(tmp_path):
    path = REAL / "changsha_xinfangju_2026_yusuan.pdf"
    doc = parse_pdf(path)
    con = connect(tmp_path / "w.duckdb")
    load_document(con, doc, source_url=path.as_uri())
    view = con.execute("SELECT score, tables_missing, inconsistencies FROM disclosure_score").fetchall()
    own = document_score(doc)
    assert view == [(own["score"], own["tables_missing"], own["inconsistencies"])]
    assert own["tables_missing"] == 1  # no 国有资本经营预算支出表
    removed = doc.model_copy(deep=True)
    removed.tables = [t for t in removed.tables if t.kind != "three_public"]
    assert document_score(removed)["tables_missing"] == 2 and document_score(removed)["score"] < own["score"]


def test_inspect_prints_the_disclosure_column(tmp_path, capsys):
    for f in (TEXT_ONLY, NOT_BUDGET):
        shutil.copy(f, tmp_path / f.name)
    assert summarise(str(tmp_path / NOT_BUDGET.name))["disclosure"] is None
    assert inspect_dir(tmp_path) == 0
    out = capsys.readouterr().out
    assert "disclosure" in out
    line = next(ln for ln in out.splitlines() if "beijing_caizhengju" in ln)
    assert "33.3 −10t 0≠" in line
