"""Issue 16, items 6 (source_file) and 7, through a real HTTP server, the real parser and a
real DuckDB file: a reused URL that starts serving another unit's report keeps the old one
latest; a new version of the same unit, year and kind supersedes it; the file keeps its name."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from flows.harvest import PriorFetch, harvest
from flows.harvest.config import HarvestConfig, SourceConfig
from parsers.parse import parse_pdf
from tests.fixtures.portal.portal_server import KJJ, ZJJ, PortalServer, Request, sha
from tests.test_flows_support import BROKEN
from warehouse import connect, load_document, prior_fetches, record_fetches, start_run
from warehouse.fetches import file_name_for

CFG = HarvestConfig(connect_timeout=2, read_timeout=2, retries=0, rate_limit=0, per_host=4)
KJJ_REVISED = KJJ + b"\n% re-uploaded\n"  # other bytes, the same report


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


class Site:
    """URLs whose body (and Content-Disposition name) a test changes between harvests."""

    def __init__(self, srv: PortalServer) -> None:
        self.srv = srv
        self.bodies: dict[str, tuple[bytes, str | None]] = {}

    def serve(self, path: str, body: bytes, name: str | None = None) -> None:
        self.bodies[path] = (body, name)

        def handle(r: Request) -> None:
            data, cd = self.bodies[path]
            r.reply(200, data, "application/pdf",
                    {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(cd)}"} if cd else None)

        self.srv.route(path, handle)


def harvest_and_load(con, site: Site, raw: Path) -> dict[str, str]:
    """One harvest of every served URL, recorded and loaded as the nightly flow does; {url: sha}."""
    prior = {u: PriorFetch(**p) for u, p in prior_fetches(con).items()}
    records = harvest([SourceConfig(url=site.srv.url(p)) for p in site.bodies], CFG, raw, prior)
    run_id = start_run(con)
    record_fetches(con, run_id, records)
    for r in records:
        assert r.ok, r
        if r.outcome != "unchanged":
            load_document(con, parse_pdf(Path(r.archive_path)), source_url=r.url, fetched_at=r.fetched_at,
                          run_id=run_id, source_file=file_name_for(con, r.url, r.sha256))
    return {r.url: r.sha256 for r in records}


def latest(con) -> dict[str, tuple]:
    return {d: (u, y, k) for d, u, y, k in con.execute(
        "SELECT doc_id, unit, year, kind FROM latest_documents ORDER BY doc_id").fetchall()}


def test_a_reused_url_supersedes_only_the_same_report(tmp_path: Path) -> None:
    with PortalServer() as srv:
        site = Site(srv)
        con = connect(tmp_path / "warehouse.duckdb")
        site.serve("/reused.pdf", KJJ)
        site.serve("/download.jsp", BROKEN, name="科技局2025年部门预算.pdf")
        harvest_and_load(con, site, tmp_path / "raw")
        kjj, broken = sha(KJJ)[:16], sha(BROKEN)[:16]
        assert set(latest(con)) == {kjj, broken}

        site.serve("/reused.pdf", ZJJ)  # the URL now serves another unit's report
        site.serve("/download.jsp", ZJJ, name="财政局2025年单位预算.pdf")  # the broken file replaced
        harvest_and_load(con, site, tmp_path / "raw")
        zjj = sha(ZJJ)[:16]
        now = latest(con)
        assert set(now) == {kjj, zjj}, now  # kjj stays latest; the unreadable file is superseded
        assert now[kjj][0] != now[zjj][0]

        site.serve("/reused.pdf", KJJ_REVISED)  # back to kjj's unit, year and kind: a new version
        harvest_and_load(con, site, tmp_path / "raw")
        revised = sha(KJJ_REVISED)[:16]
        assert set(latest(con)) == {revised, zjj}
        lineage = dict(con.execute("SELECT doc_id, superseded_by FROM documents").fetchall())
        assert lineage == {kjj: revised, broken: zjj, zjj: None, revised: None}

        names = dict(con.execute("SELECT doc_id, source_file FROM documents").fetchall())
        assert names[kjj] == names[revised] == "reused.pdf"
        assert names[broken] == "科技局2025年部门预算.pdf"
        assert names[zjj] in ("reused.pdf", "财政局2025年单位预算.pdf")
        assert not any(n.startswith(sha(b)) for n, b in ((names[kjj], KJJ), (names[zjj], ZJJ)))
        con.close()
