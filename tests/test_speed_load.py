"""Batched loading (warehouse/batch.py): several documents a transaction, the same rows as one
transaction each, and a broken document in a batch fails alone and leaves nothing behind."""

from __future__ import annotations

import hashlib

import duckdb

from tests.fixtures.documents import all_truths, source_url, truth_document
from warehouse import connect, doc_id_for, load_document
from warehouse.batch import load_documents
from warehouse.load import PER_DOCUMENT_TABLES

TABLES = (*PER_DOCUMENT_TABLES, "document_versions", "document_sources")


def _docs(n: int) -> list[dict]:
    """n distinct documents made from the synthetic truths (own sha256 and URL each)."""
    truths = list(all_truths().items())
    out = []
    for i in range(n):
        name, truth = truths[i % len(truths)]
        doc = truth_document(truth)
        doc.source.sha256 = hashlib.sha256(f"{doc.source.sha256}:{i}".encode()).hexdigest()
        out.append({"doc": doc, "source_url": source_url(f"{name}-{i}")})
    return out


def _state(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _lines(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT doc_id, table_idx, row_idx, code, measure, amount_yuan FROM line_amounts "
                       "ORDER BY ALL").fetchall()


def test_batch_equals_one_transaction_each(tmp_path):
    items = _docs(6)
    one, batch = connect(tmp_path / "one.duckdb"), connect(tmp_path / "batch.duckdb")
    counts_one = [load_document(one, **it) for it in items]
    counts_batch = load_documents(batch, items)
    assert counts_batch == counts_one and all(n > 0 for n in counts_one)
    assert _state(batch) == _state(one) and _lines(batch) == _lines(one)
    assert _state(batch)["document_versions"] == 6
    again = load_documents(batch, items)  # a re-load replaces, never duplicates
    assert again == counts_one and _state(batch) == _state(one)


def test_broken_document_in_a_batch_fails_alone(tmp_path):
    items = _docs(5)
    bad = items[2]["doc"]
    bad.tables[1].rows[-1].values["total"] = 1e17  # too large for DECIMAL(18,2): DuckDB refuses the insert
    con = connect(tmp_path / "w.duckdb")
    results = load_documents(con, items)
    assert isinstance(results[2], duckdb.Error)
    assert all(isinstance(r, int) and r > 0 for i, r in enumerate(results) if i != 2)
    bad_id = doc_id_for(bad, items[2]["source_url"])
    for table in TABLES:
        n = con.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", [bad_id]).fetchone()[0]
        assert n == 0, f"{table} keeps {n} rows of the refused document"
    assert _state(con)["document_versions"] == 4
