"""A document refused inside a batch (warehouse/batch.py) reports DuckDB's own reason, not the
"transaction is aborted" that a clean-up statement after the failed INSERT would raise."""

from __future__ import annotations

import hashlib

import duckdb

from tests.fixtures.documents import all_truths, source_url, truth_document
from warehouse import connect
from warehouse.batch import load_documents


def test_the_refused_documents_error_is_the_inserts_own(tmp_path):
    items = []
    for i, (name, truth) in enumerate(list(all_truths().items())[:3]):
        doc = truth_document(truth)
        doc.source.sha256 = hashlib.sha256(f"{doc.source.sha256}:{i}".encode()).hexdigest()
        items.append({"doc": doc, "source_url": source_url(f"{name}-{i}")})
    items[1]["doc"].tables[1].rows[-1].values["total"] = 1e17  # finite, but not a DECIMAL(18,2)
    con = connect(tmp_path / "w.duckdb")
    results = load_documents(con, items)
    assert isinstance(results[1], duckdb.ConversionException), repr(results[1])
    assert "aborted" not in str(results[1])
    assert isinstance(results[0], int) and isinstance(results[2], int) and results[0] > 0
    assert con.execute("SELECT count(*) FROM document_versions").fetchone() == (2,)
    # the connection is usable again after the refusal
    assert load_documents(con, items[:1]) == results[:1]
