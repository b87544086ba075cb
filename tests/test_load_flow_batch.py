"""The nightly load flow loads through warehouse.batch.load_documents, a batch a transaction
(flows/orchestration/load_flow.py): a document the warehouse refuses fails alone and leaves
nothing, the others of its batch load, re-running is idempotent, and a SIGKILL inside a batch's open transaction or between two
batches leaves no half document (the next run completes the work). That a batch writes the
same rows as one transaction a document is tests/test_speed_load.py's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.orchestration.load_flow import LOAD_BATCH_ENV, LOAD_HOLD_ENV, LOAD_PAUSE_ENV
from flows.orchestration.nightly import nightly
from tests.test_cli_run import Run, _gone
from tests.test_flows_support import SUBSET, query, snapshot, write_config
from warehouse.load import PER_DOCUMENT_TABLES

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("api_url")]

TABLES = (*PER_DOCUMENT_TABLES, "document_versions")  # document_sources is written by the harvest


def _rows_of(db: Path, doc_id: str) -> dict[str, int]:
    return {t: query(db, f"SELECT count(*) FROM {t} WHERE doc_id = ?", [doc_id])[0][0] for t in TABLES}


def _break(cache: Path) -> str:
    """Put an amount DECIMAL(18,2) cannot hold into a cached parse; return the original text.
    The document still prepares (the figure is finite), so only the batch's INSERT refuses it."""
    text = cache.read_text(encoding="utf-8")
    data = json.loads(text)
    table = next(t for t in data["document"]["tables"] if t["rows"])
    row = table["rows"][-1]
    row["values"][next(iter(row["values"]))] = 1e17
    cache.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return text


def test_a_refused_document_fails_alone_in_its_batch(corpus: Path, reference: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LOAD_BATCH_ENV, raising=False)  # all three documents in one batch
    cfg = write_config(tmp_path / "config.yaml", tmp_path / "data", [{"url": str(corpus), "name": "corpus"}], workers=1)
    db = tmp_path / "data" / "warehouse.duckdb"
    nightly(config=str(cfg), stages=["harvest", "parse"])
    caches = sorted((tmp_path / "data" / "parsed").glob("*.json"))
    assert len(caches) == len(SUBSET)
    bad = caches[1]
    bad_id = bad.name[:16]
    original = _break(bad)

    first = nightly(config=str(cfg), stages=["load"])
    assert first["counts"]["loaded"] == len(SUBSET) - 1 and first["counts"]["failed"] == 1
    assert any("load_failed" in f and "ConversionException" in f for f in first["failures"]), first["failures"]
    assert set(_rows_of(db, bad_id).values()) == {0}, "the refused document left rows behind"
    ref = snapshot(reference)
    loaded = query(db, "SELECT doc_id FROM document_versions ORDER BY doc_id")
    assert [d for (d,) in loaded] == sorted(d[0] for d in ref["documents"] if d[0] != bad_id)
    assert snapshot(db)["amounts"] == {k: v for k, v in ref["amounts"].items() if k != bad_id}
    state = snapshot(db)

    again = nightly(config=str(cfg), stages=["load"])  # the refused one is tried again and fails again
    assert again["counts"]["loaded"] == 0 and again["counts"]["failed"] == 1
    assert snapshot(db) == state

    bad.write_text(original, encoding="utf-8")
    fixed = nightly(config=str(cfg), stages=["load"])
    assert fixed["counts"]["loaded"] == 1 and fixed["counts"]["failed"] == 0
    mine = snapshot(db)
    assert mine["counts"] == ref["counts"] and mine["amounts"] == ref["amounts"]


def test_sigkill_inside_or_between_batches_leaves_no_half_document(api_url: str, corpus: Path, reference: Path,
                                                                   tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "config.yaml", tmp_path / "data", [{"url": str(corpus), "name": "corpus"}])
    db = tmp_path / "data" / "warehouse.duckdb"
    ref = snapshot(reference)
    ref_lines = dict(query(reference, "SELECT doc_id, count(*) FROM line_amounts GROUP BY ALL"))

    # killed while a batch of all three documents is written but not committed: none of them stays
    a = Run(cfg, api_url, tmp_path / "a.log", **{LOAD_HOLD_ENV: "60"})
    a.wait_for(f"writing a batch of {len(SUBSET)}")
    _gone(a.kill9())
    assert query(db, "SELECT count(*) FROM document_versions") == [(0,)]
    assert all(query(db, f"SELECT count(*) FROM {t}") == [(0,)] for t in PER_DOCUMENT_TABLES)

    # one document a transaction, killed after the first commit: exactly that document, whole
    b = Run(cfg, api_url, tmp_path / "b.log", **{LOAD_BATCH_ENV: "1", LOAD_PAUSE_ENV: "60"})
    b.wait_for("loaded 1/")
    _gone(b.kill9())
    assert "loaded 2/" not in b.text()
    docs = query(db, "SELECT doc_id FROM document_versions")
    assert len(docs) == 1
    (doc_id,) = docs[0]
    assert query(db, "SELECT count(*) FROM line_amounts WHERE doc_id = ?", [doc_id]) == [(ref_lines[doc_id],)]

    c = Run(cfg, api_url, tmp_path / "c.log")
    assert c.wait() == 0, c.text()[-3000:]
    mine = snapshot(db)
    assert mine["counts"] == ref["counts"] and mine["amounts"] == ref["amounts"]
    assert [s for (s,) in query(db, "SELECT status FROM runs ORDER BY started_at")] == ["interrupted", "interrupted", "ok"]
