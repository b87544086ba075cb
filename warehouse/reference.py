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
from warehouse.insert import insert_rows
from warehouse.tx import first_row, transaction


def reference_checksum() -> str:
    h = hashlib.sha256()
    for name in [*SCHEME_FILES.values(), MAP_FILE]:
        h.update((REFERENCE_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def seed_reference(con: duckdb.DuckDBPyConnection) -> bool:
    """Replace the reference tables when the bundled CSVs differ from what was loaded last."""
    digest = reference_checksum()
    row = first_row(con, "SELECT value FROM warehouse_meta WHERE key = 'reference_checksum'")
    if row and row[0] == digest:
        return False
    codes = [
        {"scheme": scheme, "code": r["code"].strip(), "name": r["name"].strip(), "name_norm": normalise_name(r["name"]),
         "level": LEVEL_BY_NAME.get(r["level"].strip()), "parent_code": r["parent_code"].strip() or None,
         "edition": r.get("edition"), "evidence": r.get("evidence"), "note": r.get("note") or None}
        for scheme, name in SCHEME_FILES.items()
        for r in read_csv(name)
        if r.get("code", "").strip()
    ]
    pairs = [{"dept_code": r["dept_code"].strip(), "gov_code": r["gov_code"].strip(), "evidence": r.get("evidence")}
             for r in read_csv(MAP_FILE)]
    with transaction(con):  # one Arrow batch per table: executemany took 0.27 s for 300 rows
        con.execute("DELETE FROM code_reference")
        con.execute("DELETE FROM code_map")
        insert_rows(con, "code_reference", codes)
        insert_rows(con, "code_map", pairs)
        con.execute(
            "INSERT INTO warehouse_meta VALUES ('reference_checksum', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [digest],
        )
    return True
