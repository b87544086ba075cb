"""Bundled classification code lists (warehouse/reference/*.csv) → code_reference, code_map.

They are partial (see reference/SOURCES.md): codes missing here are learned from the reports
themselves by the classification_codes view. Reloaded only when the CSVs change.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb

from warehouse.names import normalise_name
from warehouse.tx import first_row, transaction

REFERENCE_DIR = Path(__file__).parent / "reference"
SCHEME_FILES = {
    "function": "func_classification_partial.csv",
    "econ_dept": "econ_classification_dept_compiled.csv",
    "econ_gov": "econ_classification_gov_compiled.csv",
}
MAP_FILE = "econ_dept_to_gov_map_partial.csv"
LEVELS = {"类": 1, "款": 2, "项": 3}


def _read(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


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
        (scheme, r["code"].strip(), r["name"].strip(), normalise_name(r["name"]), LEVELS.get(r["level"].strip()),
         r["parent_code"].strip() or None, r.get("edition"), r.get("evidence"), r.get("note") or None)
        for scheme, name in SCHEME_FILES.items()
        for r in _read(name)
        if r.get("code", "").strip()
    ]
    pairs = [(r["dept_code"].strip(), r["gov_code"].strip(), r.get("evidence")) for r in _read(MAP_FILE)]
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
