"""Natural keys on the fact tables (migration 009): a second copy of any per-document row is
refused, while re-loading a document (delete, then insert the same keys) still works."""

from __future__ import annotations

import duckdb
import pytest

from parsers.document import Check
from tests.fixtures.documents import all_truths, source_url, truth_document
from warehouse import connect, doc_id_for, load_document
from warehouse.load import PER_DOCUMENT_TABLES


def _loaded(tmp_path):
    name, truth = next(iter(all_truths().items()))
    doc = truth_document(truth)
    doc.checks = [Check(rule="sum", table="表3", passed=True, expected=1.0, actual=1.0)]
    doc.errors = ["表9: no rows"]
    con = connect(tmp_path / "w.duckdb")
    load_document(con, doc, source_url=source_url(name))
    return con, doc, doc_id_for(doc, source_url(name))


def _key_columns(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT table_name, sql FROM duckdb_indexes() WHERE is_unique").fetchall()
    return {t: sql for t, sql in rows}


def test_every_per_document_table_has_a_natural_key(tmp_path):
    con, _, _ = _loaded(tmp_path)
    keyed = _key_columns(con)
    missing = [t for t in PER_DOCUMENT_TABLES if t not in keyed]
    assert not missing, f"no unique key on {missing}"


def test_a_duplicate_row_is_refused(tmp_path):
    con, _, doc_id = _loaded(tmp_path)
    tried = []
    for table in PER_DOCUMENT_TABLES:
        if not con.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", [doc_id]).fetchone()[0]:
            continue
        before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        with pytest.raises(duckdb.ConstraintException):
            con.execute(f"INSERT INTO {table} SELECT * FROM {table} WHERE doc_id = ? LIMIT 1", [doc_id])
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == before
        tried.append(table)
    for table in ("doc_tables", "line_amounts", "table_totals", "summary_items", "quality_checks",
                  "parse_errors", "three_public_amounts", "staffing_counts", "subordinate_units"):
        assert table in tried, f"the fixture document has no {table} row to duplicate"


def test_reloading_replaces_rows_under_the_keys(tmp_path):
    con, doc, doc_id = _loaded(tmp_path)
    count = con.execute("SELECT count(*) FROM line_amounts WHERE doc_id = ?", [doc_id]).fetchone()[0]
    url = con.execute("SELECT source_url FROM document_versions WHERE doc_id = ?", [doc_id]).fetchone()[0]
    assert load_document(con, doc, source_url=url) == count
    assert con.execute("SELECT count(*) FROM line_amounts WHERE doc_id = ?", [doc_id]).fetchone()[0] == count
