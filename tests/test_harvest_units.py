"""Harvest building blocks without a network: decoding, link parsing, URLs, metadata, limits."""

from __future__ import annotations

import threading
import time

import pytest

from flows.harvest import guess_meta
from flows.harvest.discover import classify, pager_url
from flows.harvest.hosts import HostGate
from flows.harvest.html import Link, decode_html, parse_html
from flows.harvest.urls import BadURL, check_scheme, join, normalize, same_site, to_path, to_url

# -- decoding -------------------------------------------------------------------------------

PAGE = (
    '<html><head>{meta}<title>2025年部门预算公开</title></head><body><a href="a.pdf">附件</a></body></html>'
)


def test_decode_http_charset_wins() -> None:
    body = PAGE.format(meta="").encode("gbk")
    text, enc = decode_html(body, "text/html; charset=GBK")
    assert enc == "gb18030" and "部门预算" in text


def test_decode_meta_charset_when_header_has_none() -> None:
    body = PAGE.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode(
        "gb2312"
    )
    text, enc = decode_html(body, "text/html")
    assert enc == "gb18030" and "部门预算" in text
    body5 = PAGE.format(meta='<meta charset="GBK">').encode("gbk")
    assert "部门预算" in decode_html(body5, None)[0]


def test_decode_wrong_declaration_falls_back() -> None:
    # declared UTF-8 but really GBK (a common portal misconfiguration)
    body = PAGE.format(meta='<meta charset="utf-8">').encode("gbk")
    text, enc = decode_html(body, "text/html; charset=utf-8")
    assert enc == "gb18030" and "部门预算" in text


def test_decode_undeclared_utf8_and_gbk() -> None:
    assert decode_html(PAGE.format(meta="").encode("utf-8"))[1] == "utf-8"
    text, enc = decode_html(PAGE.format(meta="").encode("gbk"))
    assert enc == "gb18030" and "部门预算" in text


def test_decode_bom_and_garbage_never_raise() -> None:
    assert decode_html(b"\xef\xbb\xbf" + "预算".encode())[0] == "预算"
    text, _ = decode_html(b"\xff\xfe\x00\x81\x30", "text/html; charset=nonsense")
    assert isinstance(text, str)


# -- parsing ---------------------------------------------------------------------------------


def test_parse_links_titles_entities_and_pager() -> None:
    html = """<html><head><title> 财政 &amp; 预算 </title><base href="http://x.gov.cn/col/"></head><body>
    <a href="t1.html" title="乌鲁木齐市2025年部门预算公开">乌鲁木齐市2025年…</a>
    <a href="f.pdf?a=1&amp;b=2"><img alt="附件"> 下载 </a>
    <a href="a.html">unclosed <a href="b.html">second</a>
    <iframe src="viewer.pdf"></iframe>
    <script>createPageHTML(7, 0, "index", "shtml");</script></body></html>"""
    page = parse_html(html)
    assert page.title == "财政 & 预算"
    assert page.base == "http://x.gov.cn/col/"
    hrefs = [(lk.href, lk.text, lk.title) for lk in page.links]
    assert ("t1.html", "乌鲁木齐市2025年…", "乌鲁木齐市2025年部门预算公开") in hrefs
    assert ("f.pdf?a=1&b=2", "附件 下载", "") in hrefs
    assert ("a.html", "unclosed", "") in hrefs and ("b.html", "second", "") in hrefs
    assert any(lk.href == "viewer.pdf" and lk.tag == "iframe" for lk in page.links)
    assert (page.page_count, page.pager_stem, page.pager_ext) == (7, "index", "shtml")


def test_parse_broken_markup_does_not_raise() -> None:
    page = parse_html("<a href='x.pdf'>预算<<<</div></a><title>t")
    assert [lk.href for lk in page.links] == ["x.pdf"]


@pytest.mark.parametrize(
    ("href", "text", "kind"),
    [
        ("http://x/a/b.PDF", "", "pdf"),
        ("http://x/a/download.jsp?id=3", "附件", "pdf"),
        ("http://x/a/getfile?id=3", "附件", "pdf"),
        ("http://x/a/show.aspx?id=3", "2025年预算.pdf", "pdf"),
        ("http://x/a/b.xlsx", "", "skipped"),
        ("http://x/a/b.zip", "", "skipped"),
        ("http://x/a/b.doc", "", "skipped"),
        ("http://x/a/t1.html", "", "page"),
        ("http://x/a/", "", "page"),
        ("http://x/a/logo.png", "", "other"),
    ],
)
def test_classify(href: str, text: str, kind: str) -> None:
    assert classify(href, Link(href, text)) == kind


# -- URLs ------------------------------------------------------------------------------------


def test_raw_and_percent_encoded_chinese_normalise_to_one_key() -> None:
    base = "http://x.gov.cn/col/2025/t1.html"
    a = join(base, "附件/2025年预算.pdf")
    b = join(base, "./%E9%99%84%E4%BB%B6/2025%E5%B9%B4%E9%A2%84%E7%AE%97.pdf#page=2")
    assert a == b == "http://x.gov.cn/col/2025/%E9%99%84%E4%BB%B6/2025%E5%B9%B4%E9%A2%84%E7%AE%97.pdf"
    assert join(base, "javascript:void(0)") is None and join(base, "#top") is None
    assert normalize("HTTP://X.GOV.CN") == "http://x.gov.cn/"
    assert join(base, "..\\up.pdf") == "http://x.gov.cn/col/up.pdf"


def test_scheme_allow_list_and_file_urls(tmp_path) -> None:
    for bad in ("ftp://x/a.pdf", "javascript:alert(1)", "gopher://x/", "http:///nohost"):
        with pytest.raises(BadURL):
            check_scheme(bad)
    assert check_scheme("https://x/a.pdf") == "https" and check_scheme(str(tmp_path)) == "path"
    p = tmp_path / "预算 1.pdf"
    assert to_path(to_url(p)) == p
    with pytest.raises(BadURL):
        to_path("file://evil.example/share/a.pdf")
    assert same_site("http://x/a", "https://x/b") and not same_site("http://x/a", "http://y/a")


def test_pager_url() -> None:
    assert pager_url("http://x/col/index.html", 2) == "http://x/col/index_2.html"
    assert pager_url("http://x/col/", 1) == "http://x/col/index_1.html"
    assert pager_url("http://x/col/list.jsp", 1) is None


# -- metadata --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("乌鲁木齐市水磨沟区科学技术局2025年部门预算公开", (2025, "budget", "department")),
        ("水磨沟区财政局2024年度单位决算", (2024, "final_accounts", "unit")),
        ("2023年部门预决算公开", (2023, None, "department")),
        ("关于开展安全生产检查的通知", (None, None, None)),
        ("t20250110_123 部门预算", (None, "budget", "department")),
        ("某局所属单位2026年预算", (2026, "budget", "unit")),
        (None, (None, None, None)),
    ],
)
def test_guess_meta(text: str | None, expected: tuple) -> None:
    m = guess_meta(text)
    assert (m["year"], m["kind"], m["scope"]) == expected


# -- per-host limits -------------------------------------------------------------------------


def test_host_gate_rate_limit_spaces_requests() -> None:
    gate = HostGate(rate=20.0, per_host=4)
    starts: list[float] = []
    for _ in range(5):
        with gate.slot("a.example"):
            starts.append(time.monotonic())
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    # 20/s → slots scheduled 50 ms apart. A thread woken late on a busy machine shortens the
    # next observed gap, never the span: five requests cover at least four intervals.
    assert starts[-1] - starts[0] >= 4 * 0.05 - 0.005
    assert min(gaps) >= 0.025
    t0 = time.monotonic()
    with gate.slot("b.example"):  # another host has its own budget
        pass
    assert time.monotonic() - t0 < 0.04


def test_host_gate_caps_concurrency_per_host() -> None:
    gate = HostGate(rate=0, per_host=2)
    active, peak, lock = [0], [0], threading.Lock()

    def work() -> None:
        with gate.slot("a.example"):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.05)
            with lock:
                active[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2


def test_host_gate_slower_source_rate_wins() -> None:
    gate = HostGate(rate=100.0, per_host=1)
    gate.set_rate("h", 5.0)
    gate.set_rate("h", 50.0)
    assert gate._rate("h") == 5.0
