"""Bundled classification code lists → code_reference, code_map.

The lists are the one copy in parsers/normalise/reference/ (the parser matches names against
the same files). They are partial (see warehouse/reference/SOURCES.md): codes missing there are learned
from the reports themselves by the classification_codes view. Reloaded only when the CSVs change.
"""

from __future__ import annotations

import hashlib

import duckdb

from parsers.normalise.codes import LEVEL_BY_NAME
from parsers.normalise.names import normalise_name
from parsers.normalise.reference import MAP_FILE, REFERENCE_DIR, SCHEME_FILES, read_csv
from warehouse.tx import first_row, transaction


def _checksum() -> str:
    h = hashlib.sha256()
    for name in [*SCHEME_FILES.values(), MAP_FILE]:
        h.update((REFERENCE_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def seed_reference(con: duckdb.DuckDBPyConnection) -> bool:
    """Replace the reference tables when the bundled CSVs differ from what was loaded last."""
    digest = _checksum()
    row = first_row(con, "SELECT value FROM warehouse_meta WHERE key = 'reference_checksum'")
    if row and row[0] == digest:
        return False
    codes = [
        (scheme, r["code"].strip(), r["name"].strip(), normalise_name(r["name"]), LEVEL_BY_NAME.get(r["level"].strip()),
         r["parent_code"].strip() or None, r.get("edition"), r.get("evidence"), r.get("note") or None)
        for scheme, name in SCHEME_FILES.items()
        for r in read_csv(name)
        if r.get("code", "").strip()
    ]
    pairs = [(r["dept_code"].strip(), r["gov_code"].strip(), r.get("evidence")) for r in read_csv(MAP_FILE)]
    with transaction(con):
        con.execute("DELETE FROM code_reference")
        con.execute("DELETE FROM code_map")
        con.executemany("INSERT INTO code_reference VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", codes)
        con.executemany("INSERT INTO code_map VALUES (?, ?, ?)", pairs)
        con.execute(
            "INSERT INTO warehouse_meta VALUES ('reference_checksum', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [digest],
        )
    return True
