"""The disclosure score of one document without a warehouse (for `budget-etl inspect`).

Same parts and weights as the disclosure_score view (README "Disclosure quality"), from the
rows warehouse/disclosure.py builds; only the checks against other documents (last year's
report, the budget of a 决算) are left out, as inspect sees one file at a time.
"""

from __future__ import annotations

from typing import Any

from parsers.document import Document
from warehouse.disclosure import disclosure_records


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def document_score(doc: Document) -> dict[str, Any]:
    """score (0-100 or None), tables_missing, inconsistencies, checks, ruleset."""
    rec = disclosure_records(doc, "inspect")
    meta = rec["disclosure_docs"][0]
    items = rec["disclosure_items"]
    checks = rec["disclosure_checks"]
    parts = [
        (meta["w_tables"], _mean([i["credit"] for i in items if i["item_type"] == "table"])),
        (meta["w_sections"], _mean([i["credit"] for i in items if i["item_type"] == "section"])),
        (meta["w_consistency"], _mean([1.0 if c["passed"] else 0.0 for c in checks])),
    ]
    have = [(w, p) for w, p in parts if p is not None]
    weight = sum(w for w, _ in have)
    score = round(100 * sum(w * p for w, p in have) / weight, 1) if weight else None
    return {"score": score, "ruleset": meta["ruleset"], "checks": len(checks),
            "tables_missing": sum(1 for i in items if i["item_type"] == "table" and i["status"] == "missing"),
            "inconsistencies": sum(1 for c in checks if not c["passed"])}
