"""The site in a real browser (headless Chromium over the DevTools protocol): every kind of page
loads from disk with no console error and no broken link or image, and the charts are drawn."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from tests.parse_cache import run_root
from tests.report_browser import Browser
from tests.report_support import shared_site

pytestmark = pytest.mark.slow

KINDS = ("index.html", "units/", "compare/index.html", "compare/cat-", "compare/code-", "compare/series-",
         "quality.html")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return shared_site(str(run_root(tmp_path_factory) / "report-shared"))


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


def pick(site: Path, prefix: str) -> Path:
    pages = sorted(p for p in site.rglob("*.html") if str(p.relative_to(site)).startswith(prefix))
    assert pages, f"no page {prefix}*"
    return pages[0]


@pytest.mark.parametrize("kind", KINDS)
def test_page_loads_clean_with_working_links_and_images(site, browser, kind):
    page = pick(site, kind)
    problems = browser.load(page.as_uri())
    assert problems == [], f"{page.relative_to(site)}: {problems}"
    assert browser.eval("document.querySelector('h1').textContent.trim().length") > 0
    links = browser.eval("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert links
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme == "file", f"{page.name}: {link} leaves the site"
        assert Path(unquote(parts.path)).is_file(), f"{page.relative_to(site)}: broken link {link}"
    if kind == "quality.html":
        assert browser.eval("document.images.length") >= 3
        assert browser.eval("[...document.images].every(i => i.naturalWidth > 500)")


def non_white_share(png: bytes) -> float:
    pixels = Image.open(io.BytesIO(png)).convert("L").tobytes()
    return sum(1 for v in pixels if v < 240) / len(pixels)


@pytest.mark.parametrize("kind", ("units/", "compare/code-", "index.html"))
def test_charts_are_drawn(site, browser, kind):
    page = pick(site, kind)
    assert browser.load(page.as_uri()) == []
    rects = browser.eval("[...document.querySelectorAll('figure.chart svg')].map(s => { const r = "
                         "s.getBoundingClientRect(); return {x: r.x + scrollX, y: r.y + scrollY, "
                         "width: r.width, height: r.height}; })")
    assert rects, f"{page.name}: no chart"
    for rect in rects:
        assert rect["width"] > 100 and rect["height"] > 40, rect
        share = non_white_share(browser.screenshot(rect))
        assert share > 0.03, f"{page.name}: chart at {rect} is blank ({share:.1%} ink)"
    # the chart's text is Chinese and rendered with a CJK font (glyphs, not boxes): a label's width is real
    assert browser.eval("[...document.querySelectorAll('figure.chart svg text')].some("
                        "t => /[\\u4e00-\\u9fff]/.test(t.textContent) && t.getComputedTextLength() > 10)")


def test_unit_page_screenshot_shows_the_bars(site, browser, tmp_path):
    """A whole unit page: the function chart's bars are coloured (Vega's default blue/orange)."""
    page = next(p for p in sorted((site / "units").glob("*.html")) if "chart-functions" in p.read_text("utf-8"))
    assert browser.load(page.as_uri()) == []
    rect = browser.eval("(() => { const s = document.querySelector('figure[id^=chart-functions] svg'); const r = "
                        "s.getBoundingClientRect(); return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, "
                        "height: r.height}; })()")
    rgb = Image.open(io.BytesIO(browser.screenshot(rect))).convert("RGB").tobytes()
    coloured = sum(1 for i in range(0, len(rgb), 3) if max(rgb[i:i + 3]) - min(rgb[i:i + 3]) > 60)
    assert coloured > 200, f"only {coloured} coloured pixels in the function chart"
