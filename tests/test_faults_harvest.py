"""Issue 16, items 4 and 6 (harvest side), against a real HTTP server on 127.0.0.1:
the per-file deadline, exact byte counts, http_status after too many redirects, a corrupt
gzip body in plain words, and the file's own name from Content-Disposition or the URL."""

from __future__ import annotations

import gzip
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from flows.harvest import FetchRecord, harvest
from flows.harvest.config import HarvestConfig, SourceConfig
from tests.fixtures.portal.portal_server import KJJ, PortalServer, Request, sha


def cfg(**kw: object) -> HarvestConfig:
    base: dict[str, object] = dict(connect_timeout=2.0, read_timeout=1.0, retries=0, backoff=0.01,
                                   max_bytes=1_000_000, rate_limit=0, per_host=4)
    base.update(kw)
    return HarvestConfig(**base)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def srv() -> PortalServer:
    with PortalServer() as s:
        yield s


def fetch(srv: PortalServer, path: str, raw: Path, **kw: object) -> FetchRecord:
    (rec,) = harvest([SourceConfig(url=srv.url(path))], cfg(**kw), raw, prior={})
    return rec


def _head(r: Request, headers: dict[str, str]) -> None:
    r.send_status(200)
    for k, v in headers.items():
        r.send_header(k, v)
    r.end_headers()


def test_a_trickling_body_ends_at_the_deadline_with_the_bytes_received(srv: PortalServer, tmp_path: Path) -> None:
    sent = {"n": 0}

    def trickle(r: Request) -> None:  # one byte every 0.1 s: never silent for read_timeout
        _head(r, {"Content-Type": "application/pdf", "Content-Length": str(len(KJJ))})
        for b in KJJ:
            if srv.stop.is_set():
                return
            r.wfile.write(bytes([b]))
            r.wfile.flush()
            sent["n"] += 1
            time.sleep(0.1)

    srv.route("/trickle.pdf", trickle)
    t0 = time.monotonic()
    rec = fetch(srv, "/trickle.pdf", tmp_path / "raw", deadline=1.5, retries=2)
    elapsed = time.monotonic() - t0
    assert rec.outcome == "timeout", rec
    assert 1.4 < elapsed < 3.0, elapsed
    assert rec.bytes is not None and 5 <= rec.bytes <= sent["n"], (rec.bytes, sent)
    assert f"not finished within the 1.5 s deadline (harvest.deadline; {rec.bytes} bytes received)" in rec.error
    assert len(srv.requests_for("/trickle.pdf")) == 1  # a deadline is not retried
    assert rec.sha256 is None and not list((tmp_path / "raw").glob("*.p*"))


def test_a_silent_server_is_cut_off_at_the_deadline_not_the_read_timeout(srv: PortalServer, tmp_path: Path) -> None:
    srv.stall("/silent.pdf", 30, KJJ, after_bytes=100)
    t0 = time.monotonic()
    rec = fetch(srv, "/silent.pdf", tmp_path / "raw", deadline=1.0, read_timeout=20)
    assert rec.outcome == "timeout"
    assert time.monotonic() - t0 < 3.0
    assert rec.bytes == 100 and "(harvest.deadline; 100 bytes received)" in rec.error


def test_read_timeout_counts_every_byte_that_arrived(srv: PortalServer, tmp_path: Path) -> None:
    srv.stall("/stall.pdf", 10, KJJ, after_bytes=4096)
    rec = fetch(srv, "/stall.pdf", tmp_path / "raw")
    assert rec.outcome == "timeout"
    assert rec.bytes == 4096
    assert rec.error.endswith("read timed out after 1 s (4096 bytes received)"), rec.error


def test_too_many_redirects_keeps_the_http_status(srv: PortalServer, tmp_path: Path) -> None:
    for i in range(15):
        srv.redirect(f"/hop/{i}.pdf", f"/hop/{i + 1}.pdf", code=307)
    rec = fetch(srv, "/hop/0.pdf", tmp_path / "raw")
    assert rec.outcome == "error"
    assert "too many redirects (more than 10)" in rec.error
    assert rec.http_status == 307


def test_a_corrupt_gzip_body_is_a_plain_sentence(srv: PortalServer, tmp_path: Path) -> None:
    body = b"this is not gzip data at all " * 200
    srv.route("/bad-gzip.pdf", lambda r: (_head(r, {"Content-Type": "application/pdf", "Content-Encoding": "gzip",
                                                     "Content-Length": str(len(body))}), r.wfile.write(body)))
    rec = fetch(srv, "/bad-gzip.pdf", tmp_path / "raw")
    assert rec.outcome == "error" and rec.http_status == 200
    assert rec.error == (f"GET {srv.url('/bad-gzip.pdf')}: the server says the body is gzip-encoded, but it "
                         "does not decode (corrupt, or not gzip at all; 0 bytes decoded); not archived")


def test_gzip_and_chunked_bodies_still_arrive_whole(srv: PortalServer, tmp_path: Path) -> None:
    packed = gzip.compress(KJJ)
    srv.route("/good-gzip.pdf", lambda r: (_head(r, {"Content-Type": "application/pdf", "Content-Encoding": "gzip",
                                                      "Content-Length": str(len(packed))}), r.wfile.write(packed)))

    def chunked(r: Request) -> None:
        _head(r, {"Content-Type": "application/pdf", "Transfer-Encoding": "chunked"})
        for i in range(0, len(KJJ), 7000):
            part = KJJ[i:i + 7000]
            r.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        r.wfile.write(b"0\r\n\r\n")

    srv.route("/chunked.pdf", chunked)
    for path in ("/good-gzip.pdf", "/chunked.pdf"):
        rec = fetch(srv, path, tmp_path / "raw")
        assert (rec.outcome, rec.sha256, rec.bytes) == ("new", sha(KJJ), len(KJJ)), rec


def test_the_file_keeps_its_own_name(srv: PortalServer, tmp_path: Path) -> None:
    name = "水磨沟区科技局2025年部门预算.pdf"
    srv.route("/download.jsp", lambda r: (_head(r, {
        "Content-Type": "application/pdf", "Content-Length": str(len(KJJ)),
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}), r.wfile.write(KJJ)))
    srv.route("/raw-header.jsp", lambda r: (_head(r, {  # UTF-8 bytes in a plain quoted filename
        "Content-Type": "application/pdf", "Content-Length": str(len(KJJ)),
        "Content-Disposition": 'attachment; filename="' + name.encode().decode("latin-1") + '"'}), r.wfile.write(KJJ)))
    srv.pdf("/files/卫健委2024年部门决算.pdf", KJJ)
    assert fetch(srv, "/download.jsp", tmp_path / "raw").file_name == name
    assert fetch(srv, "/raw-header.jsp", tmp_path / "raw").file_name == name
    assert fetch(srv, "/files/卫健委2024年部门决算.pdf", tmp_path / "raw").file_name == "卫健委2024年部门决算.pdf"
    local = tmp_path / "local" / "本地文件.pdf"
    local.parent.mkdir()
    local.write_bytes(KJJ)
    (rec,) = harvest([SourceConfig(url=str(local))], cfg(), tmp_path / "raw", prior={})
    assert (rec.outcome, rec.file_name) == ("new", "本地文件.pdf")
