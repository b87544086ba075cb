"""Versioned schema migrations: warehouse/migrations/NNN_name.sql, applied in order, once.

Each migration runs in its own transaction together with its schema_migrations row, so a file
is either fully upgraded to a version or left at the previous one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.tx import first_row, transaction

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{3})_(\w+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()[:16]


def available() -> list[Migration]:
    """All migration files, sorted by version; duplicate numbers are a packaging bug."""
    found: dict[int, Migration] = {}
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            continue
        version = int(m.group(1))
        if version in found:
            raise RuntimeError(f"two migrations numbered {version:03d} in {MIGRATIONS_DIR}")
        found[version] = Migration(version, m.group(2), path.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def latest_version() -> int:
    return max((m.version for m in available()), default=0)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Highest applied version; 0 for a new file (no schema_migrations table yet)."""
    exists = first_row(
        con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND schema_name = 'main'"
    )[0]
    if not exists:
        return 0
    return first_row(con, "SELECT coalesce(max(version), 0) FROM schema_migrations")[0]


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """Apply pending migrations (up to `upto`, default all); return the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "checksum VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    # every version not yet applied, not only those above the highest: a migration merged
    # with a lower number than one already applied (parallel branches) still runs
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied: list[int] = []
    for mig in available():
        if mig.version in done or (upto is not None and mig.version > upto):
            continue
        with transaction(con):
            con.execute(mig.sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                [mig.version, mig.name, mig.checksum],
            )
        applied.append(mig.version)
    return applied
