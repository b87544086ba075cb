"""Helpers of the tests on real page cuts (tests/fixtures/real): the parsed document, one of
its tables, rows and items by what the page prints, and a table built afresh with its location
and layouts so a test can change it and verify it against the page again."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from parsers.extract import iter_pages
from parsers.locate import locate
from parsers.tables import Context, build_table
from tests.parse_cache import cached_parse

REAL = Path(__file__).parent / "fixtures" / "real"


@cache
def doc(name: str | Path):
    """A fixture of tests/fixtures/real by name (or any PDF by path), parsed once per run."""
    return cached_parse(REAL / name)


def table(d, kind):
    found = [t for t in d.tables if t.kind == kind and not t.empty]
    assert found, f"no {kind} table in {d.source.file}"
    return found[0]


def row(t, code):
    found = [r for r in t.rows if r.code == code]
    assert found, f"{code} not in {t.kind}"
    return found[0]


def item(t, label):
    found = [i for i in t.items if i.label == label]
    assert found, f"{label} not in {t.kind}"
    return found[0]


def fresh(pdf: str | Path, kind: str, year: int = 2026):
    """The first non-empty table of that kind, newly built (tests mutate it), with its
    location and the layouts to verify it again."""
    layouts = list(iter_pages(REAL / pdf))
    for loc in locate(layouts)[0]:
        t = build_table(loc, Context(year=year))
        if t.kind == kind and not t.empty:
            return t, loc, {pl.number: pl for pl in layouts}
    raise AssertionError(f"no {kind} table in {pdf}")


def text_failures(checks):
    """The failed checks of printed lines against the table."""
    return [c for c in checks if not c.passed and c.rule == "text layer: printed line read"]
