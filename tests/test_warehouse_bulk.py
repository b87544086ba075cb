"""The bulk loader (warehouse/prepare.py, write.py, unitbook.py, insert.py): amounts stored
exactly as Decimal(str(x)) rounded half-up, units resolved for a whole batch exactly as one
document at a time, and a bad figure refused with where it is."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from parsers.document import Check
from tests.fixtures.documents import all_truths, truth_document
from warehouse import LoadError, connect, load_document
from warehouse.batch import load_documents

TRICKY = (1.005, -1.005, 2.675, 811.5649999999999, 0.1 * 3, 1e15 + 0.5, 123456789.125, 5e-324)
REGION = ["新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区"]


def _doc(i: int, unit: str, region: list[str] | None = None, subordinates: tuple[str, ...] = ()):
    truth = list(all_truths().values())[i % 4]
    doc = truth_document(truth, sha_seed=f"{i}:{unit}")
    doc.document.unit = unit
    doc.document.region = list(region or [])
    doc.facts["subordinate_units"] = list(subordinates)
    return doc


def test_amounts_are_the_printed_figures_rounded_half_up(tmp_path):
    doc = _doc(0, "乌鲁木齐市水磨沟区科学技术局", REGION)
    row = doc.tables[1].rows[0]
    row.values = {f"m{i}": v for i, v in enumerate(TRICKY)}
    doc.checks = [Check(rule="sum", table="表3", passed=False, expected=v, actual=-v, tolerance=0.1 + 0.2)
                  for v in TRICKY]
    con = connect(tmp_path / "w.duckdb")
    load_document(con, doc, source_url="http://x.invalid/a.pdf")
    got = dict(con.execute("SELECT measure, amount_yuan FROM line_amounts WHERE row_idx = 0 AND table_idx = 1 "
                           "AND measure LIKE 'm%'").fetchall())
    want = {f"m{i}": Decimal(str(v)).quantize(Decimal("0.01"), ROUND_HALF_UP) for i, v in enumerate(TRICKY)}
    assert got == want
    assert got["m0"] == Decimal("1.01") and got["m3"] == Decimal("811.56")  # not the binary value's 1.00 / 811.57
    checks = con.execute("SELECT expected, actual, tolerance FROM quality_checks ORDER BY check_idx").fetchall()
    assert [c[0] for c in checks] == list(want.values())
    assert [c[1] for c in checks] == [-w for w in want.values()]
    assert all(c[2] == 0.1 + 0.2 for c in checks)  # a DOUBLE column gets the same float back


def _unit_state(con) -> dict[str, list[tuple]]:
    return {
        "dim_units": con.execute("SELECT * FROM dim_units ORDER BY ALL").fetchall(),
        "unit_aliases": con.execute("SELECT * FROM unit_aliases ORDER BY ALL").fetchall(),
        "versions": con.execute("SELECT doc_id, unit_id, region_path FROM document_versions ORDER BY ALL").fetchall(),
        "subordinates": con.execute("SELECT * FROM subordinate_units ORDER BY ALL").fetchall(),
    }


def _unit_items() -> list[dict]:
    """Spellings that take every rule: first seen without a region then adopted, with and
    without the region prefix, （本级）, one short name in two regions, a taken unit id."""
    other = ["新疆维吾尔自治区", "乌鲁木齐市", "天山区"]
    specs = [
        ("水磨沟区科学技术局", None, ()),
        ("乌鲁木齐市水磨沟区科学技术局", REGION, ("水磨沟区科技信息服务中心",)),
        ("水磨沟区科学技术局（本级）", REGION, ("水磨沟区科技信息服务中心", "水磨沟区档案馆")),
        ("科学技术局", other, ("天山区科技馆",)),
        ("科学技术局", REGION, ()),
        ("乌鲁木齐市天山区科学技术局", None, ()),
        ("教育局", None, ()),
        ("教育局", None, ("教育局附属中学",)),
        ("教育局", REGION, ()),
        ("科学技术局", None, ()),
    ]
    out = []
    for i, (unit, region, subs) in enumerate(specs):
        doc = _doc(i, unit, subordinates=subs)
        out.append({"doc": doc, "source_url": f"http://x.invalid/{i}.pdf", "region": region})
    return out


def test_a_batch_resolves_units_as_one_document_at_a_time(tmp_path):
    one, batch = connect(tmp_path / "one.duckdb"), connect(tmp_path / "batch.duckdb")
    for item in _unit_items():
        load_document(one, **item)
    assert all(isinstance(r, int) for r in load_documents(batch, _unit_items()))
    want = _unit_state(one)
    assert _unit_state(batch) == want
    units = {u[0]: u for u in want["dim_units"]}
    assert units["|教育局"][4] == "/".join(REGION)  # first seen without a region, then adopted one
    assert "|科学技术局" in units  # an alias of two regional units, printed without a region: a unit of its own
    assert len({v[1] for v in want["versions"]}) == 4


def test_a_batch_continues_an_existing_warehouse_like_single_loads(tmp_path):
    items = _unit_items()
    one, batch = connect(tmp_path / "one.duckdb"), connect(tmp_path / "batch.duckdb")
    for item in items:
        load_document(one, **item)
    for item in items[:3]:
        load_document(batch, **item)
    load_documents(batch, items[3:])
    assert _unit_state(batch) == _unit_state(one)


def test_one_doc_id_twice_in_a_batch_keeps_the_later(tmp_path):
    first, second = _doc(0, "乌鲁木齐市水磨沟区科学技术局", REGION), _doc(0, "乌鲁木齐市水磨沟区科学技术局", REGION)
    second.source.sha256 = first.source.sha256
    second.document.year = 2030
    con = connect(tmp_path / "w.duckdb")
    results = load_documents(con, [{"doc": first, "source_url": "http://x.invalid/a.pdf"},
                                   {"doc": second, "source_url": "http://x.invalid/a.pdf"}])
    assert all(isinstance(r, int) and r > 0 for r in results)
    assert con.execute("SELECT year FROM document_versions").fetchall() == [(2030,)]


def test_a_non_finite_figure_is_refused_naming_where_it_is(tmp_path):
    docs = [_doc(i, f"乌鲁木齐市水磨沟区第{i}局", REGION) for i in range(3)]
    bad = docs[1].tables[1].rows[2]
    bad.values["total"] = float("inf")
    con = connect(tmp_path / "w.duckdb")
    results = load_documents(con, [{"doc": d, "source_url": f"http://x.invalid/{i}.pdf"} for i, d in enumerate(docs)])
    assert isinstance(results[1], LoadError)
    message = str(results[1])
    assert docs[1].tables[1].label in message and bad.name in message and "total" in message and "\n" not in message
    assert [isinstance(r, int) and r > 0 for r in results] == [True, False, True]
    assert con.execute("SELECT count(*) FROM document_versions").fetchone()[0] == 2
    with pytest.raises(LoadError):
        load_document(con, docs[1], source_url="http://x.invalid/1.pdf")
