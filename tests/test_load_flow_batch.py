"""The nightly load flow loads through warehouse.batch.load_documents, a batch a transaction
(flows/orchestration/load_flow.py): a document the warehouse refuses fails alone and leaves
nothing, the others of its batch load, and re-running is idempotent. That a SIGKILL inside a batch's
open transaction or between two batches leaves no half document is tests/test_cli_run.py's;
that a batch writes the same rows as one transaction a document is tests/test_speed_load.py's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.orchestration.load_flow import LOAD_BATCH_ENV
from flows.orchestration.nightly import nightly
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
    cfg = write_config(tmp_path / "config.yaml", tmp_path / "data", [{"url": str(corpus), "name": "corpus"}])
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
