"""Document versions, sources and the harvest manifest: a URL that delivers new bytes supersedes
the old version in latest-only views while the old one stays queryable."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tests.fixtures.documents import all_truths, build_warehouse, source_url, truth_document
from warehouse import (
    connect,
    doc_id_for,
    finish_run,
    load_document,
    prior_fetches,
    record_fetches,
    start_run,
)

TRUTHS = all_truths()
KJJ = "xj-smg-kjj-2025"
URL = source_url(KJJ)
T0 = datetime(2025, 2, 1, tzinfo=UTC)


def revised_kjj() -> dict:
    """kjj with 行政运行 raised by 1 万元 (and its 款/类 and basic columns), as a re-upload would."""
    truth = copy.deepcopy(TRUTHS[KJJ])
    for table in ("t3_expenditure_by_function", "t5_gpb_expenditure_by_function"):
        for row in truth["tables"][table]:
            if row["code"] in ("206", "20601", "2060101"):
                row["total"] = round(row["total"] + 1, 2)
                row["basic"] = round(row["basic"] + 1, 2)
    return truth


@pytest.fixture
def versions(tmp_path):
    path = tmp_path / "w.duckdb"
    ids = build_warehouse(path)
    con = connect(path)
    old_doc, new_doc = truth_document(TRUTHS[KJJ]), truth_document(revised_kjj(), sha_seed="v2")
    # The fixture loaded without fetch times; give the old version one, then the new a later one.
    load_document(con, old_doc, source_url=URL, fetched_at=T0)
    load_document(con, new_doc, source_url=URL, fetched_at=T0 + timedelta(days=30))
    yield con, ids[KJJ], doc_id_for(new_doc, URL)
    con.close()


def summary_total(con, unit="乌鲁木齐市水磨沟区科学技术局"):
    return con.execute("SELECT total_expenditure, basic_expenditure FROM unit_year_summary WHERE unit = ?",
                       [unit]).fetchall()


def test_changed_version_replaces_figures_in_latest_views(versions):
    con, old, new = versions
    assert old != new
    assert summary_total(con) == [(Decimal("1154600.00"), Decimal("1046500.00"))]
    assert con.execute("SELECT count(*) FROM unit_year_summary").fetchone()[0] == 4
    got = con.execute("SELECT total_yuan FROM spend_by_function WHERE code = '2060101' AND unit_id LIKE '%科学技术局'").fetchall()
    assert got == [(Decimal("534000.00"),)]


def test_old_version_stays_queryable(versions):
    con, old, new = versions
    docs = con.execute("SELECT doc_id, superseded_by, is_latest FROM documents WHERE unit = '乌鲁木齐市水磨沟区科学技术局' "
                       "ORDER BY is_latest").fetchall()
    assert docs == [(old, new, False), (new, None, True)]
    sql = ("SELECT amount_yuan FROM budget_lines WHERE doc_id = ? AND table_kind = 'expenditure_by_function' "
           "AND code = '2060101' AND measure = 'total'")
    assert con.execute(sql, [old]).fetchall() == [(Decimal("524000.00"),)]
    assert con.execute(sql, [new]).fetchall() == [(Decimal("534000.00"),)]


def test_fetch_of_old_bytes_again_makes_it_current(versions):
    # The portal reverted to the first file: the harvester records it, nothing is re-parsed.
    con, old, new = versions
    old_sha = truth_document(TRUTHS[KJJ]).source.sha256
    record_fetches(con, "r3", [{"url": URL, "outcome": "changed", "sha256": old_sha,
                                "fetched_at": T0 + timedelta(days=60), "http_status": 200}])
    assert summary_total(con) == [(Decimal("1144600.00"), Decimal("1036500.00"))]
    assert con.execute("SELECT superseded_by FROM documents WHERE doc_id = ?", [new]).fetchone() == (old,)


def test_unloaded_new_bytes_do_not_hide_the_current_version(versions):
    # A changed file that was fetched but never loaded (parse crashed) supersedes nothing.
    con, old, new = versions
    record_fetches(con, "r4", [{"url": URL, "outcome": "changed", "sha256": "f" * 64,
                                "fetched_at": T0 + timedelta(days=90)}])
    assert summary_total(con) == [(Decimal("1154600.00"), Decimal("1046500.00"))]


def test_reloading_old_version_without_fetch_time_keeps_it_superseded(versions):
    con, old, new = versions
    load_document(con, truth_document(TRUTHS[KJJ]), source_url=URL)
    assert con.execute("SELECT is_latest FROM documents WHERE doc_id = ?", [old]).fetchone() == (False,)


def test_one_pdf_under_two_urls(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    doc = truth_document(TRUTHS[KJJ])
    load_document(con, doc, source_url="https://a.example/x.pdf", fetched_at=T0)
    load_document(con, doc, source_url="https://b.example/y.pdf", fetched_at=T0 + timedelta(days=1))
    row = con.execute("SELECT source_url, source_urls, fetched_at FROM documents").fetchall()
    assert row == [("https://a.example/x.pdf", ["https://a.example/x.pdf", "https://b.example/y.pdf"], T0)]
    assert con.execute("SELECT count(*) FROM document_sources").fetchone()[0] == 2
    con.close()


def test_local_file_replaced_in_place(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    path = str(tmp_path / "raw" / "kjj.pdf")
    load_document(con, truth_document(TRUTHS[KJJ]), source_url=path)
    load_document(con, truth_document(revised_kjj(), sha_seed="v2"), source_url=path)
    assert con.execute("SELECT count(*), count(*) FILTER (WHERE is_latest) FROM documents").fetchone() == (2, 1)
    assert summary_total(con) == [(Decimal("1154600.00"), Decimal("1046500.00"))]
    # the harvest reports local files as file:// URLs: same source, so a revert is seen
    record_fetches(con, "r9", [{"url": "file://" + path, "outcome": "changed", "fetched_at": datetime.now(UTC),
                                "sha256": truth_document(TRUTHS[KJJ]).source.sha256}])
    assert summary_total(con) == [(Decimal("1144600.00"), Decimal("1036500.00"))]
    assert con.execute("SELECT DISTINCT url FROM document_sources").fetchall() == [(path,)]
    con.close()


@dataclass
class FetchRecord:
    """The shape of the harvest package's records (only the attributes the warehouse reads)."""

    source: str
    url: str
    outcome: str
    fetched_at: datetime
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = 200
    bytes: int | None = None
    content_type: str | None = "application/pdf"
    article_url: str | None = None
    article_title: str | None = None
    link_text: str | None = None
    error: str | None = None


def test_record_and_prior_fetches(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    a, b, c = "https://x.example/a.pdf", "https://x.example/b.pdf", "https://x.example/c.pdf"
    record_fetches(con, "r1", [
        FetchRecord("portal", a, "new", T0, sha256="1" * 64, etag='"e1"', last_modified="Mon, 03 Feb 2025"),
        {"source": "portal", "url": b, "outcome": "http_error", "fetched_at": T0, "http_status": 503,
         "error": "503 Service Unavailable"},
        FetchRecord("portal", c, "new", T0, sha256="3" * 64, etag='"c1"'),
    ])
    record_fetches(con, "r2", [
        FetchRecord("portal", a, "unchanged", T0 + timedelta(days=1), http_status=304),  # bare 304
        FetchRecord("portal", c, "timeout", T0 + timedelta(days=1), http_status=None, error="read timeout"),
    ])
    assert prior_fetches(con) == {
        a: {"etag": '"e1"', "last_modified": "Mon, 03 Feb 2025", "sha256": "1" * 64},
        c: {"etag": '"c1"', "last_modified": None, "sha256": "3" * 64},
    }
    # the 304 inherited the previous sha256; a failed fetch does not replace the last success
    assert con.execute("SELECT sha256 FROM fetches WHERE run_id = 'r2' AND url = ?", [a]).fetchone() == ("1" * 64,)
    # recording a URL again in the same run (batches may overlap) replaces its row
    record_fetches(con, "r2", [FetchRecord("portal", a, "unchanged", T0 + timedelta(days=2), http_status=304)])
    assert con.execute("SELECT count(*) FROM fetches").fetchone() == (5,)
    assert con.execute("SELECT fetched_at FROM fetches WHERE run_id = 'r2' AND url = ?", [a]).fetchall() == [
        (T0 + timedelta(days=2),)]
    with pytest.raises(ValueError, match="unknown fetch outcome"):
        record_fetches(con, "r3", [{"url": a, "outcome": "ok"}])
    con.close()


def test_runs_and_run_summary(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    run = start_run(con, "2025-03-01-nightly", started_at=T0)
    record_fetches(con, run, [{"url": "u1", "outcome": "new", "sha256": "a" * 64, "fetched_at": T0},
                              {"url": "u2", "outcome": "too_large", "fetched_at": T0}])
    load_document(con, truth_document(TRUTHS[KJJ]), source_url="u1", run_id=run)
    finish_run(con, run, {"parsed": 1, "failed": 0}, finished_at=T0 + timedelta(minutes=5))
    got = con.execute("SELECT started_at, finished_at, status, counts::VARCHAR, urls_seen, new_files, failed_fetches, "
                      "documents_loaded FROM run_summary").fetchall()
    assert got == [(T0, T0 + timedelta(minutes=5), "ok", '{"parsed": 1, "failed": 0}', 2, 1, 1, 1)]
    con.close()
