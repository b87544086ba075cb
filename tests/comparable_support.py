"""Shared by tests/test_comparable_*.py: real fixture PDFs parsed once per session and loaded
into a real DuckDB warehouse, the way the nightly load does it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from parsers.document import Document
from tests.parse_cache import cached_parse
from warehouse import connect, load_document

REAL = Path(__file__).parent / "fixtures" / "real"


@cache
def parsed(name: str) -> Document:
    return cached_parse(REAL / name)


def build(path: Path, names: list[str]):
    """A warehouse at `path` holding the given fixtures (each under its own file:// URL)."""
    con = connect(path)
    for name in names:
        load_document(con, parsed(name), source_url=f"file:///fixtures/{name}")
    return con
