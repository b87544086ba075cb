"""The warehouse takes scheme, level and name keys from parsers/normalise: revenue (1xx) codes
load with their scheme and level, the views read the loaded columns, and the SQL backfill of
migration 003 spells names exactly as normalise_name does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from parsers.document import Document, DocumentMeta, Row, Source, Table
from parsers.normalise.codes import LEVEL_BY_NAME, level_of, scheme_of
from parsers.normalise.names import normalise_name
from parsers.normalise.reference import SCHEME_FILES, read_csv
from warehouse import connect, load_document

ROOT = Path(__file__).resolve().parents[1]
MIGRATION_003 = ROOT / "warehouse" / "migrations" / "003_dimensions.sql"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "w.duckdb")
    yield c
    c.close()


def _doc(sha: str, tables: list[Table]) -> Document:
    return Document(source=Source(file=f"{sha}.pdf", sha256=sha * 64), tables=tables,
                    document=DocumentMeta(unit="乌鲁木齐市水磨沟区财政局", year=2025, kind="budget",
                                          scope="department", region=["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"]))


def test_revenue_codes_load_with_scheme_and_level(con):
    rows = [Row(code="101", name="税收收入", values={"total": 10.0}),
            Row(code="10101", name="国内增值税", values={"total": 10.0}),
            Row(code="2010101", name="行政运行", values={"total": 5.0})]
    load_document(con, _doc("r", [Table(kind="revenue_summary", rows=rows)]), source_url="u")
    got = con.execute("SELECT code, scheme, level FROM line_amounts ORDER BY code").fetchall()
    assert got == [("101", "revenue", 1), ("10101", "revenue", 2), ("2010101", "function", 3)]
    codes = dict((r[0], r[1:]) for r in con.execute(
        "SELECT code, scheme, level, parent_code FROM classification_codes WHERE code IN ('101', '10101')").fetchall())
    assert codes == {"101": ("revenue", 1, None), "10101": ("revenue", 2, "101")}
    crosswalk = con.execute("SELECT code, level FROM code_crosswalk WHERE scheme = 'revenue' ORDER BY code").fetchall()
    assert crosswalk == [("101", 1), ("10101", 2)]


def test_views_take_the_level_from_the_loaded_column(con):
    """A level the parser decided (here deliberately not the code's length) is what the views show."""
    rows = [Row(code="2060199", level=2, scheme="function", name="其他科学技术管理事务支出", values={"total": 1.0})]
    load_document(con, _doc("s", [Table(kind="expenditure_by_function", rows=rows)]), source_url="u")
    assert con.execute("SELECT level FROM classification_codes WHERE code = '2060199'").fetchone() == (2,)
    assert con.execute("SELECT level FROM code_crosswalk WHERE code = '2060199'").fetchone() == (2,)


def test_reference_lists_agree_with_the_code_rule():
    for scheme, fname in SCHEME_FILES.items():
        for r in read_csv(fname):
            assert (scheme_of(r["code"]), level_of(r["code"])) == (scheme, LEVEL_BY_NAME[r["level"]]), (fname, r)


def _fixture_names() -> set[str]:
    """Every string of the truth files and every name of the reference lists, plus hard cases."""
    names: set[str] = set()

    def walk(o: object) -> None:
        if isinstance(o, str):
            names.add(o)
        elif isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    for p in sorted(FIXTURES.rglob("*.truth.json")):
        walk(json.loads(p.read_text(encoding="utf-8")))
    for fname in SCHEME_FILES.values():
        names.update(r["name"] for r in read_csv(fname))
    names.update([" 水磨沟区 卫生健康委员会(本级)", "维修(护)费\u3000", "a\u00a0b\tc\nd", "(一)工资福利支出"])
    return names


def test_sql_name_backfill_mirrors_normalise_name():
    sql = MIGRATION_003.read_text(encoding="utf-8")
    expr = re.search(r"SET name_norm = (.+);", sql).group(1)
    names = sorted(_fixture_names())
    assert len(names) > 200  # the truth files were found
    db = duckdb.connect()
    db.execute("CREATE TABLE n (name VARCHAR)")
    db.executemany("INSERT INTO n VALUES (?)", [[n] for n in names])
    got = dict(db.execute(f"SELECT name, {expr} FROM n").fetchall())
    mismatched = {n: (got[n], normalise_name(n)) for n in names if (got[n] or None) != normalise_name(n)}
    assert mismatched == {}
