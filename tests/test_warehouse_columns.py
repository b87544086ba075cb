"""Row tuples into Arrow columns (warehouse/columns.py): with the declared types the table is
the one Arrow infers, repeated rows are repeated in order, and a value of another type falls
back to inference. (The declared int64 columns hold what the Document model types as int:
Arrow would truncate a float there, so only such fields are declared.)"""

from __future__ import annotations

import pyarrow as pa

from warehouse.columns import Columns, merged

NAMES = ("doc_id", "row_idx", "name", "page")
TYPES = (pa.string(), pa.int64(), pa.string(), pa.int64())


def _filled(types) -> Columns:
    c = Columns(NAMES, ("measure", "amount_yuan"), types)
    c.add(("d1", 0, "行政运行", 3), 2)
    c.put("measure", ["total", "basic"])
    c.put("amount_yuan", [1.5, 2.0])
    c.add(("d1", 1, None, None), 1)
    c.put("measure", ["total"])
    c.put("amount_yuan", [7.25])
    return c


def test_typed_equals_inferred_and_repeats_in_order():
    typed, inferred = _filled(TYPES), _filled(None)
    assert typed.arrow().to_pylist() == inferred.arrow().to_pylist()
    assert typed.arrow().schema.field("page").type == pa.int64()
    assert typed.rows() == [
        {"doc_id": "d1", "row_idx": 0, "name": "行政运行", "page": 3, "measure": "total", "amount_yuan": 1.5},
        {"doc_id": "d1", "row_idx": 0, "name": "行政运行", "page": 3, "measure": "basic", "amount_yuan": 2.0},
        {"doc_id": "d1", "row_idx": 1, "name": None, "page": None, "measure": "total", "amount_yuan": 7.25},
    ]
    assert len(typed) == 3


def test_a_value_of_another_type_falls_back_to_inference():
    c = Columns(NAMES, ("measure", "amount_yuan"), TYPES)
    c.add(("d2", 2, 5, 4), 1)  # an int where the type says string
    c.put("measure", ["total"])
    c.put("amount_yuan", [1.0])
    got = c.arrow()
    assert got.schema.field("name").type == pa.int64()
    assert got.to_pylist() == [{"doc_id": "d2", "row_idx": 2, "name": 5, "page": 4, "measure": "total",
                                "amount_yuan": 1.0}]


def test_merged_keeps_document_order():
    a, b = _filled(TYPES), _filled(TYPES)
    b.base = [("d2", *row[1:]) for row in b.base]
    both = merged([a, b])
    assert [r["doc_id"] for r in both.rows()] == ["d1"] * 3 + ["d2"] * 3
    assert merged([[{"x": 1}], [{"x": 2}]]) == [{"x": 1}, {"x": 2}]
