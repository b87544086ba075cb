"""camelot's own accuracy and whitespace scores are kept on every table read from a camelot
grid (the worst page's), next to the project's verification, in the document JSON."""

from __future__ import annotations

import json

from parsers import parse_pdf
from tests.fixtures.synthetic import synthetic_pdf


def test_every_camelot_table_keeps_its_scores():
    doc = parse_pdf(synthetic_pdf("xj-smg-kjj-2025"))
    read = [t for t in doc.tables if not t.empty and t.flavor in ("lattice", "stream", "network")]
    assert len(read) >= 8
    for t in read:
        assert t.camelot_accuracy is not None and 0 <= t.camelot_accuracy <= 100, (t.label, t.camelot_accuracy)
        assert t.camelot_whitespace is not None and 0 <= t.camelot_whitespace <= 100, (t.label, t.camelot_whitespace)
    # a ruled table whose cells camelot filled cleanly scores high
    assert max(t.camelot_accuracy for t in read) > 90
    tables = json.loads(doc.to_json())["tables"]
    assert all("camelot_accuracy" in t and "camelot_whitespace" in t for t in tables)
