"""Natural keys of the fact tables (warehouse/keys.py, checked by the loader since migration
010 dropped 009's unique indexes): a batch that would write any key twice is refused and
leaves nothing, NULLs never collide, a hand-written duplicate is listed by key_violations,
and re-loading a document (delete, then insert the same keys) still works."""

from __future__ import annotations

import pyarrow as pa
import pytest

from parsers.document import Check
from tests.fixtures.documents import all_truths, source_url, truth_document
from warehouse import LoadError, connect, doc_id_for, load_document
from warehouse.columns import Columns
from warehouse.keys import KEYS, check_unique
from warehouse.load import PER_DOCUMENT_TABLES
from warehouse.prepare import prepare
from warehouse.tx import transaction
from warehouse.write import write_prepared


def _doc():
    name, truth = next(iter(all_truths().items()))
    doc = truth_document(truth)
    doc.checks = [Check(rule="sum", table="表3", passed=True, expected=1.0, actual=1.0)]
    doc.errors = ["表9: no rows"]
    return doc, source_url(name)


def _loaded(tmp_path):
    doc, url = _doc()
    con = connect(tmp_path / "w.duckdb")
    load_document(con, doc, source_url=url)
    return con, doc, doc_id_for(doc, url)


def test_every_per_document_table_has_a_natural_key_of_its_own_columns(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    assert sorted(KEYS) == sorted(PER_DOCUMENT_TABLES)
    for table, cols in KEYS.items():
        have = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                          [table]).fetchall()}
        assert cols[0] == "doc_id" and set(cols) <= have, (table, cols, have)
    assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE is_unique").fetchone() == (0,)


def _duplicate_one(records: dict, table: str) -> bool:
    rows = records.get(table)
    if isinstance(rows, Columns):
        if not rows.base:
            return False
        n = rows.counts[0]
        rows.add(rows.base[0], n)
        for name, col in rows.extra.items():
            rows.put(name, col[:n])
        return True
    if not rows:
        return False
    rows.append(dict(rows[0]))
    return True


def test_a_batch_writing_a_key_twice_is_refused_and_leaves_nothing(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    doc, url = _doc()
    doc_id = doc_id_for(doc, url)
    tried = []
    for table in PER_DOCUMENT_TABLES:
        p = prepare(doc, source_url=url)
        if table == "subordinate_units":  # built by the writer from the resolved subordinates
            ok = bool(p.subordinates)
            if ok:
                p.subordinates.append(p.subordinates[0])
        else:
            ok = _duplicate_one(p.records, table)
        if not ok:
            continue
        with pytest.raises(LoadError, match=f"document {doc_id}: {table} holds the key"), transaction(con):
            write_prepared(con, [p])
        for t in (*PER_DOCUMENT_TABLES, "document_versions"):
            assert con.execute(f"SELECT count(*) FROM {t}").fetchone() == (0,), f"{t} kept rows after {table}"
        tried.append(table)
    for table in ("doc_tables", "line_amounts", "table_totals", "summary_items", "quality_checks",
                  "parse_errors", "three_public_amounts", "staffing_counts", "subordinate_units"):
        assert table in tried, f"the fixture document has no {table} row to duplicate"
    load_document(con, doc, source_url=url)  # the same document without the duplicate loads
    assert con.execute("SELECT count(*) FROM document_versions").fetchone() == (1,)


def test_nulls_never_collide_but_values_do():
    rows = {"doc_id": ["a", "a", "a"], "key": ["k", "k", "k"], "source": ["table"] * 3, "rank": [None, None, 1]}
    check_unique("disclosure_figures", pa.table(rows))  # NULL ranks are distinct, as under UNIQUE
    rows["rank"] = [None, 1, 1]
    with pytest.raises(LoadError, match=r"disclosure_figures holds the key \(key='k', source='table', rank=1\) 2 times"):
        check_unique("disclosure_figures", pa.table(rows))


def test_a_hand_written_duplicate_is_listed_and_a_reload_clears_it(tmp_path):
    con, doc, doc_id = _loaded(tmp_path)
    assert con.execute("SELECT count(*) FROM key_violations").fetchone() == (0,)
    con.execute("INSERT INTO line_amounts SELECT * FROM line_amounts WHERE doc_id = ? ORDER BY ALL LIMIT 1", [doc_id])
    got = con.execute("SELECT table_name, doc_id, copies FROM key_violations").fetchall()
    assert got == [("line_amounts", doc_id, 2)]
    url = con.execute("SELECT source_url FROM document_versions WHERE doc_id = ?", [doc_id]).fetchone()[0]
    load_document(con, doc, source_url=url)
    assert con.execute("SELECT count(*) FROM key_violations").fetchone() == (0,)


def test_reloading_replaces_rows_under_the_keys(tmp_path):
    con, doc, doc_id = _loaded(tmp_path)
    count = con.execute("SELECT count(*) FROM line_amounts WHERE doc_id = ?", [doc_id]).fetchone()[0]
    url = con.execute("SELECT source_url FROM document_versions WHERE doc_id = ?", [doc_id]).fetchone()[0]
    assert load_document(con, doc, source_url=url) == count
    assert con.execute("SELECT count(*) FROM line_amounts WHERE doc_id = ?", [doc_id]).fetchone()[0] == count
