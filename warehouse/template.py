"""New warehouses start as a copy of an empty one built once by this code.

Building the schema from nothing costs ~0.5 CPU-s, nearly all of it DuckDB binding the sixty
views; copying a built file takes milliseconds. The nightly job creates one warehouse per data
directory, but the load benches and the test suite create hundreds. The empty warehouse is kept
under BUDGET_ETL_CACHE (default ~/.cache/budget-etl), named by a digest of everything that goes
into it (migrations, views, reference lists, DuckDB version), so a change to any of them builds
a new one and a stale file is never used; the few most recent are kept. Any failure falls
back to building in place. (schema_migrations.applied_at of a copy is when the empty one was built.)
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)
KEEP = 4  # empty warehouses kept (a few checkouts of different versions side by side)


def cache_dir() -> Path:
    return Path(os.environ.get("BUDGET_ETL_CACHE") or Path.home() / ".cache" / "budget-etl")


def copy_empty(target: Path, digest_parts: list[str], build: Callable[[duckdb.DuckDBPyConnection], None]) -> bool:
    """Copy the empty warehouse for `digest_parts` to `target` (building it first if needed);
    False when that was not possible and the caller builds the schema itself."""
    h = hashlib.sha256(duckdb.__version__.encode())
    for part in digest_parts:
        h.update(part.encode())
    empty = cache_dir() / f"empty-warehouse-{h.hexdigest()[:16]}.duckdb"
    building = empty.with_name(f"{empty.stem}.{os.getpid()}.tmp")
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if not empty.exists():
            empty.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(building))
            try:
                build(con)
            finally:
                con.close()
            os.replace(building, empty)  # whole or not at all: two processes may build it at once
            _prune(empty.parent)
        shutil.copyfile(empty, staged)
        try:  # a hard link never replaces a file another process has just created and opened
            os.link(staged, target)
        except FileExistsError:
            pass
        except OSError:  # no hard links on this filesystem
            if not target.exists():
                os.replace(staged, target)
        return True
    except (OSError, duckdb.Error) as e:
        log.warning("building the warehouse in place (no empty copy at %s: %s)", empty, e)
        return False
    finally:
        for leftover in (building, staged):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    old = sorted(folder.glob("empty-warehouse-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
    for p in old:
        p.unlink(missing_ok=True)
