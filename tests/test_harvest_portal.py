"""Harvest against a real HTTP portal on 127.0.0.1: discovery, faults, re-runs, limits."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flows.harvest import FetchRecord, HarvestEvent, PriorFetch, harvest
from flows.harvest.config import HarvestConfig, SourceConfig
from parsers.pdf import sha256_file
from tests.fixtures.portal.portal_server import KJJ, WJW, ZJJ, PortalServer, key, sha
from tests.fixtures.portal.portal_site import FLAKY, JSP, MOVED, TITLE_ONLY, build_portal, mini_pdf

GOOD = {
    "kjj": KJJ,
    "dup": KJJ,
    "wjw": WJW,
    "zjj": ZJJ,
    "title_only": TITLE_ONLY,
    "flaky": FLAKY,
    "moved": MOVED,
    "jsp": JSP,
}
FAULTS = {
    "slow": ("timeout", "read timed out"),
    "stall_body": ("timeout", "read timed out"),
    "truncated": ("error", "truncated"),
    "html": ("not_pdf", "HTML page"),
    "missing": ("http_error", "HTTP 404"),
    "loop": ("error", "redirect loop"),
    "to_ftp": ("error", "refused redirect"),
    "big": ("too_large", "Content-Length"),
    "big_stream": ("too_large", "exceeds max_bytes"),
}


def cfg(**kw: object) -> HarvestConfig:
    base: dict[str, object] = dict(
        connect_timeout=2.0,
        read_timeout=1.0,
        retries=1,
        backoff=0.01,
        max_bytes=150_000,
        rate_limit=0,  # unlimited: the limit has its own test
        per_host=4,
    )
    base.update(kw)
    return HarvestConfig(**base)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def srv():
    with PortalServer() as s:
        yield s


def by_url(records: list[FetchRecord]) -> dict[str, FetchRecord]:
    out: dict[str, FetchRecord] = {}
    for r in records:
        assert r.url not in out, f"two records for {r.url}"
        out[r.url] = r
    return out


def archived(raw: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in raw.glob("*.pdf")}


def test_portal_harvest_rerun_and_faults(srv: PortalServer, tmp_path: Path) -> None:
    p = build_portal(srv)
    raw = tmp_path / "raw"
    sources = [SourceConfig(url=srv.url(p["gbk"]), name="GBK column"), SourceConfig(url=srv.url(p["utf8"]))]
    events: list[HarvestEvent] = []
    t0 = time.monotonic()
    records = harvest(sources, cfg(), raw, prior={}, workers=4, progress=events.append)
    assert time.monotonic() - t0 < 15
    recs = by_url(records)

    # every good PDF: archived under its sha256, exactly once
    for name, body in GOOD.items():
        r = recs[srv.url(p[name])]
        assert r.outcome == "new", (name, r.error)
        assert r.sha256 == sha(body) and r.bytes == len(body) and r.error is None
        assert r.archive_path == str(raw / f"{sha(body)}.pdf")
        assert sha256_file(Path(r.archive_path)) == r.sha256
        assert r.fetched_at.tzinfo is not None
    assert sorted(archived(raw)) == sorted({f"{sha(b)}.pdf" for b in GOOD.values()})
    assert len(archived(raw)) == 7  # kjj and its copy under /dup share one file
    assert list(raw.glob("*.part")) == []

    # where it was found
    kjj = recs[srv.url(p["kjj"])]
    assert kjj.source == sources[0].url
    assert kjj.article_url == srv.url("/gbk/202401/t20240110_1.html")
    assert kjj.article_title == "乌鲁木齐市水磨沟区科学技术局2025年部门预算公开"  # GBK page decoded
    assert kjj.link_text == "水磨沟区科学技术局2025年部门预算.pdf"
    assert (kjj.http_status, kjj.content_type) == (200, "application/pdf") and kjj.etag and kjj.last_modified
    assert recs[srv.url(p["wjw"])].link_text == "卫健委2024年部门决算"  # percent-encoded name
    assert recs[srv.url(p["zjj"])].article_title == "水磨沟区财政局2025年单位预算公开"  # raw Chinese href
    assert recs[srv.url(p["title_only"])].article_title == "水磨沟区审计局2025年单位预算"
    assert len(srv.requests_for(p["flaky"])) == 2  # 500, then retried
    pages = [h.path for h in srv.hits if h.path.endswith(".html")]
    assert len(pages) == len(set(pages)) == 10  # 4 listing pages + 6 articles, each read once
    assert srv.requests_for("/gbk/index_1.html") and srv.requests_for("/utf8/index_1.html")

    # every fault: its own record, a readable error naming the URL, nothing archived
    for name, (outcome, words) in FAULTS.items():
        r = recs[srv.url(p[name])]
        assert r.outcome == outcome, (name, r.outcome, r.error)
        assert r.error and words in r.error and srv.url(p[name]) in r.error, (name, r.error)
        assert r.sha256 is None and r.archive_path is None
    assert recs[srv.url(p["missing"])].http_status == 404
    assert len(srv.requests_for(p["missing"])) == 1  # 4xx: no retry
    assert len(srv.requests_for(p["slow"])) == 2  # timeout: retried once
    assert "Content-Length is 98112 bytes but only 40000 arrived" in recs[srv.url(p["truncated"])].error
    assert srv.requests_for(p["big"])[0].status == 200  # refused on the header, body not read
    assert len(records) == len(GOOD) + len(FAULTS)

    # scope: off-topic, off-column, non-PDF links are never fetched
    for name in ("home", "other_column", "minutes", "safety_pdf", "xls", "docx"):
        assert srv.requests_for(p[name]) == [], name
    assert srv.requests_for(p["safety"])  # read, then rejected by its <title>
    skipped = {e.url for e in events if e.kind == "skipped"}
    assert srv.url(p["xls"]) in skipped and srv.url(p["docx"]) in skipped
    assert {e.record.url for e in events if e.kind == "record" and e.record} == set(recs)

    # second run with prior: nothing new downloaded, everything unchanged
    prior = {r.url: r.to_prior() for r in records if r.ok}
    before = archived(raw)
    hits_before = len(srv.hits)
    records2 = harvest(sources, cfg(), raw, prior=prior, workers=4)
    recs2 = by_url(records2)
    for name in GOOD:
        assert recs2[srv.url(p[name])].outcome == "unchanged", name
        assert recs2[srv.url(p[name])].sha256 == recs[srv.url(p[name])].sha256
    assert archived(raw) == before
    new_hits = srv.hits[hits_before:]
    status = {h.path: h.status for h in new_hits}
    for name in ("kjj", "wjw", "zjj", "title_only", "moved_target"):  # ETag and/or Last-Modified
        assert status[key(p[name])] == 304, name
    assert any(h.headers.get("if-none-match") for h in new_hits if h.path == key(p["wjw"]))
    assert any(h.headers.get("if-modified-since") for h in new_hits if h.path == key(p["zjj"]))
    assert status[key(p["dup"])] == 200  # no validators: same hash → unchanged
    for name, (outcome, _) in FAULTS.items():
        assert recs2[srv.url(p[name])].outcome == outcome


def test_changed_file_keeps_old_archive(srv: PortalServer, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    srv.pdf("/budget.pdf", KJJ)
    src = [SourceConfig(url=srv.url("/budget.pdf"))]
    (r1,) = harvest(src, cfg(), raw, prior={})
    assert r1.outcome == "new" and r1.sha256 == sha(KJJ)
    srv.pdf("/budget.pdf", ZJJ)  # republished: new bytes, new ETag
    (r2,) = harvest(src, cfg(), raw, prior={r1.url: r1.to_prior()})
    assert r2.outcome == "changed" and r2.sha256 == sha(ZJJ) and r2.error is None
    assert srv.requests_for("/budget.pdf")[-1].headers["if-none-match"] == r1.etag
    assert (raw / f"{sha(KJJ)}.pdf").is_file() and (raw / f"{sha(ZJJ)}.pdf").is_file()
    # same bytes as the prior fetch but no validators → still unchanged (hash compare)
    srv.pdf("/budget.pdf", ZJJ, etag=False, last_modified=False)
    (r3,) = harvest(src, cfg(), raw, prior={r2.url: r2.to_prior()})
    assert r3.outcome == "unchanged" and srv.requests_for("/budget.pdf")[-1].status == 200


def test_304_without_archived_copy_fetches_again(srv: PortalServer, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    srv.pdf("/a.pdf", KJJ)
    url = srv.url("/a.pdf")
    prior = {url: PriorFetch(etag=f'"{sha(KJJ)[:16]}"', sha256=sha(KJJ))}
    (r,) = harvest([SourceConfig(url=url)], cfg(), raw, prior=prior)
    # the archive lost the file: no conditional GET, the bytes come back, and they match the prior
    assert "if-none-match" not in srv.requests_for("/a.pdf")[0].headers
    assert r.outcome == "unchanged" and (raw / f"{sha(KJJ)}.pdf").is_file()


def test_unreachable_and_bad_sources_become_one_record_each(srv: PortalServer, tmp_path: Path) -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed_port = s.getsockname()[1]
    s.close()  # nothing listens there now
    srv.stall("/stuck/index.html", 5.0)
    sources = [
        SourceConfig(url=f"http://127.0.0.1:{closed_port}/col/index.html"),
        SourceConfig(url=srv.url("/nope/index.html")),
        SourceConfig(url=srv.url("/stuck/index.html")),
        SourceConfig(url="ftp://127.0.0.1/budget.pdf"),
        SourceConfig(url="javascript:alert(1)"),
        SourceConfig(url=str(tmp_path / "does-not-exist")),
        SourceConfig(url=srv.url("/gbk/index.html"), link_patterns=["(unclosed"]),
    ]
    records = harvest(sources, cfg(retries=0), tmp_path / "raw", prior={})
    assert [r.source for r in records] == [s.url for s in sources]
    outcomes = [r.outcome for r in records]
    assert outcomes == ["error", "http_error", "timeout", "error", "error", "error", "error"]
    assert "cannot connect" in records[0].error and str(closed_port) in records[0].error
    assert records[1].http_status == 404 and "HTTP 404" in records[1].error
    assert "scheme 'ftp' is not allowed" in records[3].error
    assert "no such file or directory" in records[5].error
    assert "invalid link_patterns regex '(unclosed'" in records[6].error
    assert all(r.error and r.sha256 is None for r in records)


def test_direct_pdf_url_and_not_pdf_by_content(srv: PortalServer, tmp_path: Path) -> None:
    srv.pdf("/report.pdf", ZJJ)
    srv.pdf("/column-that-is-a-pdf", WJW)  # no .pdf name: the bytes decide
    srv.pdf("/fake.pdf", b"PK\x03\x04 this is a zip file" * 20)
    srv.pdf("/empty.pdf", b"")
    recs = by_url(
        harvest(
            [
                SourceConfig(url=srv.url(u))
                for u in ("/report.pdf", "/column-that-is-a-pdf", "/fake.pdf", "/empty.pdf")
            ],
            cfg(),
            tmp_path / "raw",
            prior={},
        )
    )
    assert recs[srv.url("/report.pdf")].outcome == "new"
    assert recs[srv.url("/column-that-is-a-pdf")].outcome == "new"
    assert recs[srv.url("/column-that-is-a-pdf")].sha256 == sha(WJW)
    assert recs[srv.url("/fake.pdf")].outcome == "not_pdf" and "%PDF-" in recs[srv.url("/fake.pdf")].error
    assert recs[srv.url("/empty.pdf")].outcome == "not_pdf" and "empty" in recs[srv.url("/empty.pdf")].error
    assert len(list((tmp_path / "raw").glob("*.pdf"))) == 2


def test_pagination_limits_depth_and_guessing(srv: PortalServer, tmp_path: Path) -> None:
    p = build_portal(srv)
    col = [SourceConfig(url=srv.url(p["gbk"]), max_pages=1)]
    recs = by_url(harvest(col, cfg(), tmp_path / "r1", prior={}))
    assert srv.url(p["kjj"]) in recs and srv.url(p["wjw"]) not in recs  # wjw is on page 2
    assert not srv.requests_for("/gbk/index_1.html")

    n = len(srv.hits)
    recs = harvest([SourceConfig(url=srv.url(p["gbk"]), max_depth=0)], cfg(), tmp_path / "r2", prior={})
    assert recs == [] and {h.path for h in srv.hits[n:]} == {"/gbk/index.html", "/gbk/index_1.html"}

    # per-source keywords: only the 决算 article (which also links the kjj file)
    recs = by_url(
        harvest([SourceConfig(url=srv.url(p["gbk"]), keywords=["决算"])], cfg(), tmp_path / "r3", prior={})
    )
    assert set(recs) == {srv.url(p["wjw"]), srv.url(p["kjj"])}
    assert recs[srv.url(p["kjj"])].article_title == "卫健委2024年部门决算"

    # link_patterns: every article/attachment URL must match one
    src = SourceConfig(url=srv.url(p["gbk"]), link_patterns=[r"/202402/"])
    recs = by_url(harvest([src], cfg(), tmp_path / "r4", prior={}))
    assert set(recs) == {srv.url(p["wjw"]), srv.url(p["title_only"])}

    # no pager on the page: index_1.html is guessed; the 404 on index_2.html is not a fault
    srv.page("/plain/index.html", "<title>x</title><a href='a1.html'>2025年预算公开</a>")
    srv.page("/plain/index_1.html", "<title>x</title><a href='a2.html'>2024年决算公开</a>")
    srv.page("/plain/a1.html", "<title>2025年预算公开</title><a href='1.pdf'>附件</a>")
    srv.page("/plain/a2.html", "<title>2024年决算公开</title><a href='2.pdf'>附件</a>")
    srv.pdf("/plain/1.pdf", mini_pdf("plain 1"))
    srv.pdf("/plain/2.pdf", mini_pdf("plain 2"))
    recs = by_url(harvest([SourceConfig(url=srv.url("/plain/index.html"))], cfg(), tmp_path / "r5", prior={}))
    assert {r.outcome for r in recs.values()} == {"new"} and len(recs) == 2
    assert srv.requests_for("/plain/index_2.html")[0].status == 404


def test_rate_limit_and_per_host_cap(srv: PortalServer, tmp_path: Path) -> None:
    for i in range(6):
        body = mini_pdf(f"slow {i}")

        def handle(r, body: bytes = body) -> None:
            time.sleep(0.15)
            r.reply(200, body, "application/pdf")

        srv.route(f"/s/{i}.pdf", handle)
    sources = [SourceConfig(url=srv.url(f"/s/{i}.pdf")) for i in range(6)]
    records = harvest(sources, cfg(per_host=2, rate_limit=0), tmp_path / "a", prior={}, workers=6)
    assert all(r.outcome == "new" for r in records)
    assert srv.max_active == 2  # 6 workers, but only 2 connections to this host

    srv.hits.clear()
    srv.max_active = 0
    limited = [s.model_copy(update={"rate_limit": 10.0}) for s in sources]
    harvest(limited, cfg(per_host=6), tmp_path / "b", prior={}, workers=6)
    starts = sorted(h.at for h in srv.hits)
    assert len(starts) == 6
    # ≤ 10 requests/s: 6 requests span ≥ 0.5 s (less scheduling jitter); unlimited they'd all start at once
    assert starts[-1] - starts[0] >= 0.4


def test_unreadable_article_pages(srv: PortalServer, tmp_path: Path) -> None:
    srv.page(
        "/col/index.html",
        "<title>栏目</title><a href='gone.html'>2025年部门预算公开</a> <a href='more.html'>更多</a>"
        "<a href='broken.html'>2024年部门决算公开</a>",
    )
    srv.route("/col/broken.html", lambda r: r.reply(500, b"oops", "text/html"))
    events: list[HarvestEvent] = []
    recs = harvest(
        [SourceConfig(url=srv.url("/col/index.html"))], cfg(), tmp_path / "raw", {}, progress=events.append
    )
    # budget articles that cannot be read are faults; an unlabelled link that 404s is not
    assert [(r.url, r.outcome, r.http_status) for r in recs] == [
        (srv.url("/col/gone.html"), "http_error", 404),
        (srv.url("/col/broken.html"), "http_error", 500),
    ]
    assert recs[0].article_url == srv.url("/col/gone.html") and recs[0].link_text == "2025年部门预算公开"
    assert "HTTP 500" in recs[1].error and "after 2 attempts" in recs[1].error
    assert len(srv.requests_for("/col/broken.html")) == 2
    assert any(e.kind == "skipped" and e.url == srv.url("/col/more.html") for e in events)
