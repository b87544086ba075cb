"""The tests' shared parse cache (tests/parse_cache.py): the second ask reads back the very
document the first parsed, keyed by sha256 and parser version."""

from __future__ import annotations

from pathlib import Path

from parsers.document import PARSER_VERSION
from parsers.pdf import sha256_file
from tests.parse_cache import PARSES_ENV, cached_parse

PDF = Path(__file__).resolve().parents[1] / "samples" / "corpus" / "xj-smg-kjj-2025.pdf"


def test_the_second_parse_is_read_back_identical(tmp_path, monkeypatch):
    monkeypatch.setenv(PARSES_ENV, str(tmp_path / "parses"))
    first = cached_parse(PDF, ocr=False)
    cache = tmp_path / "parses" / f"{sha256_file(PDF)}.{PARSER_VERSION}.False.json"
    assert cache.is_file() and first.tables
    stamp = cache.stat().st_mtime_ns
    second = cached_parse(PDF, ocr=False)
    assert second.to_json() == first.to_json()
    assert cache.stat().st_mtime_ns == stamp  # read, not parsed and written again
    monkeypatch.delenv(PARSES_ENV)
    assert cached_parse(PDF, ocr=False).tables == first.tables  # no cache directory: a plain parse
