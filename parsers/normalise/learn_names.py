"""Function-classification names learned from reports that print their codes.

The bundled MoF list (func_classification_partial.csv) is partial. Reports that print codes
name hundreds more: 2080501 行政单位离退休, 2101102 事业单位医疗. A report printed without codes
(杭州) gets its codes by name from these (parsers/codes.py), narrowed by level and the
parent's code as always. A pair is kept when at least MIN_REPORTS reports print it, so one
misread row never teaches a name.

    python -m parsers.normalise.learn_names DIR...   # parsed JSON (budget-etl parse) or PDFs

rewrites reference/func_names_learned.csv (code, name, reports).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from parsers.normalise.names import normalise_name
from parsers.normalise.reference import LEARNED_FILE, REFERENCE_DIR

MIN_REPORTS = 2  # distinct reports that must print a (code, name) pair
NOTE = re.compile(r"注[:：]|\d")  # a name with a note or digits glued to it is a misreading


def pairs_of(doc: dict) -> set[tuple[str, str]]:
    """(code, name) of every function row a report prints with its code."""
    out = set()
    for t in doc.get("tables") or []:
        for r in t.get("rows") or []:
            code, name = r.get("code"), normalise_name(r.get("name"))
            if code and name and r.get("code_source") == "printed" and r.get("scheme") == "function" \
                    and len(code) in (3, 5, 7) and not NOTE.search(name):
                out.add((code, name))
    return out


def _documents(paths: list[Path]):
    for p in paths:
        for f in sorted(p.glob("*.json")) + sorted(p.glob("*.pdf")) if p.is_dir() else [p]:
            if f.suffix == ".json":
                yield json.loads(f.read_text(encoding="utf-8"))
            elif f.suffix == ".pdf":
                from parsers.parse import parse_pdf
                yield json.loads(parse_pdf(f).to_json())


def learn(paths: list[Path]) -> list[tuple[str, str, int]]:
    """(code, name, reports) printed by at least MIN_REPORTS reports, by code."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for doc in _documents(paths):
        for pair in pairs_of(doc):
            seen[pair] += 1
    return sorted((c, n, k) for (c, n), k in seen.items() if k >= MIN_REPORTS)


def main(argv: list[str]) -> None:
    rows = learn([Path(a) for a in argv])
    with open(REFERENCE_DIR / LEARNED_FILE, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "reports"])
        w.writerows(rows)
    print(f"{len(rows)} (code, name) pairs → {REFERENCE_DIR / LEARNED_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
