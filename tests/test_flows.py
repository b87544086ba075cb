"""The Prefect flows end to end: real PDFs, a real HTTP portal on 127.0.0.1, real DuckDB files
and real flow runs against the Prefect test server of the session (tests/conftest.py), which
also holds `corpus` and the `reference` warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.config import load_config
from flows.orchestration.nightly import nightly, nightly_flow
from flows.orchestration.pipeline import plan
from tests.fixtures.portal.portal_server import PortalServer
from tests.test_flows_support import SUBSET, query, serve_portal, snapshot, write_config

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("api_url")]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)



def test_portal_run_records_the_broken_pdf_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    with PortalServer() as srv:
        urls = serve_portal(srv)
        cfg = write_config(tmp_path / "config.yaml", tmp_path / "data",
                           [{"url": urls["column"], "name": "水磨沟区 portal", "region": ["新疆维吾尔自治区", "乌鲁木齐市"]}])
        state = nightly_flow(config=str(cfg), return_state=True)
        first = state.result()
        db = tmp_path / "data" / "warehouse.duckdb"

        # the run completed, and its final state says that two documents failed
        assert state.is_completed() and state.name == "CompletedWithFailures"
        assert state.message.startswith("2 failed")
        c = first["counts"]
        assert (c["new"], c["failed"], c["parsed"], c["loaded"]) == (3, 2, 3, 3)
        assert first["by_source"] == {"水磨沟区 portal": {"new": 3, "failed": 2}}
        assert any("broken.pdf" in f and "unreadable" in f and "truncated" in f for f in first["failures"])
        assert any("html.pdf" in f and "not_pdf" in f for f in first["failures"])

        # the good documents are loaded, the truncated one is a document with a readable error
        docs = {u: (s, e) for u, s, e in query(db, "SELECT source_url, status, errors FROM documents")}
        assert docs[urls["kjj"]][0] == "parsed" and docs[urls["zjj"]][0] == "parsed"
        status, errors = docs[urls["broken"]]
        assert status == "unreadable" and "truncated" in errors[0]
        assert query(db, "SELECT outcome, error FROM fetches WHERE url = ?", [urls["html"]])[0][0] == "not_pdf"
        assert query(db, "SELECT count(*) FROM budget_lines")[0][0] == c["rows_loaded"] > 0
        assert query(db, "SELECT status FROM runs WHERE run_id = ?", [first["run_id"]]) == [("failed_documents",)]

        # the report is also a markdown artifact with the same table
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

        with get_client(sync_client=True) as client:  # this run's: the server is shared with other tests
            arts = client.read_artifacts(artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["nightly-run-report"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])))
        assert any("| 水磨沟区 portal | 3 | 0 | 0 | 2 |" in (a.data or "") for a in arts)

        parsed_at = query(db, "SELECT doc_id, parsed_at, parsed_at_iso FROM documents ORDER BY doc_id")
        caches = {p: p.stat().st_mtime_ns for p in (tmp_path / "data" / "parsed").glob("*.json")}
        assert len(caches) == 3

        second = nightly(config=str(cfg))

    c = second["counts"]
    assert (c["unchanged"], c["new"], c["parsed"], c["from_cache"], c["loaded"], c["rows_loaded"]) == (3, 0, 0, 0, 0, 0)
    # the HTML page is still not a PDF, and the truncated PDF is still failing (issue 16 item 5)
    assert c["up_to_date"] == 3 and c["failed"] == 2
    assert any("broken.pdf" in f and "unreadable (still failing" in f for f in second["failures"])
    assert query(db, "SELECT doc_id, parsed_at, parsed_at_iso FROM documents ORDER BY doc_id") == parsed_at
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "data" / "parsed").glob("*.json")} == caches


def test_stages_run_alone_and_add_up_to_a_whole_run(corpus: Path, reference: Path, tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "config.yaml", tmp_path / "data", [{"url": str(corpus), "name": "corpus"}])
    db = tmp_path / "data" / "warehouse.duckdb"

    h = nightly(config=str(cfg), stages=["harvest"])
    assert h["counts"]["new"] == len(SUBSET) and h["stage_seconds"].keys() == {"harvest"}
    assert query(db, "SELECT count(*) FROM document_versions")[0][0] == 0

    p = nightly(config=str(cfg), stages=["parse"])
    assert p["counts"]["parsed"] == len(SUBSET) and p["counts"]["loaded"] == 0
    assert len(list((tmp_path / "data" / "parsed").glob("*.json"))) == len(SUBSET)
    assert query(db, "SELECT count(*) FROM document_versions")[0][0] == 0

    ld = nightly(config=str(cfg), stages=["load"])
    assert ld["counts"]["parsed"] == 0 and ld["counts"]["loaded"] == len(SUBSET)
    assert "parse" not in ld["stage_seconds"]

    assert snapshot(db)["counts"] == snapshot(reference)["counts"]
    assert snapshot(db)["amounts"] == snapshot(reference)["amounts"]


def test_a_parser_version_bump_plans_every_document_again(reference: Path, corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from warehouse import connect

    data = reference.parent
    cfg = load_config(data.parent / "config.yaml")
    with connect(reference, read_only=False) as con:
        work, current = plan(con, cfg, cfg.sources)
    assert (len(work), current) == (0, len(SUBSET))

    monkeypatch.setattr("flows.orchestration.pipeline.PARSER_VERSION", "999.0.0")
    with connect(reference, read_only=False) as con:
        work, current = plan(con, cfg, cfg.sources)
    assert (len(work), current) == (len(SUBSET), 0)
    assert all(w.cache.endswith(".999.0.0.json") and not Path(w.cache).exists() for w in work)


def test_an_unreachable_portal_is_harvested_again_by_prefect_retries(tmp_path: Path) -> None:
    from tests.fixtures.portal.portal_server import ZJJ, Request

    head = "<!DOCTYPE html><html><head><title>{}</title></head><body>"
    with PortalServer() as srv:
        srv.page("/down/index.html", head.format("财政预决算") + '<a href="a.html">2025年部门预算公开</a></body></html>')
        page = srv.routes["/down/index.html"]
        hits = {"n": 0}

        def busy_then_up(r: Request) -> None:  # 503 for the first four requests (two harvest attempts)
            hits["n"] += 1
            if hits["n"] <= 4:
                r.reply(503, b"<html>busy</html>", "text/html")
            else:
                page(r)

        srv.route("/down/index.html", busy_then_up)
        srv.page("/down/a.html", head.format("2025年部门预算公开") + '<a href="zjj.pdf">附件</a></body></html>')
        srv.pdf("/down/zjj.pdf", ZJJ)
        cfg = write_config(tmp_path / "config.yaml", tmp_path / "data", [{"url": srv.url("/down/index.html")}])
        report = nightly(config=str(cfg))
    # harvest.retries=1: two requests per attempt; the first harvest and the retry task's first
    # try get 503s, Prefect's retry (after backoff × 30 = 0.3 s) reaches the portal
    assert hits["n"] == 5
    assert (report["counts"]["new"], report["counts"]["failed"], report["counts"]["loaded"]) == (1, 0, 1)
