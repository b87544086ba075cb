"""The site on disk: every page and link, the quality page's boxed images, incremental re-runs,
and the `report` / `show` commands with bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb
import pytest
from PIL import Image

from report.data import Filters, read_site_data
from report.site import build_site, describe_site
from tests.parse_cache import run_root
from tests.report_support import EXTRA, ROOT, add_document, data_dir_copy, shared_data_dir, shared_site


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return run_root(tmp_path_factory) / "report-shared"


@pytest.fixture(scope="module")
def site(base) -> Path:
    return shared_site(str(base))


class Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.refs.append((tag, value))


def refs(page: Path) -> list[tuple[str, str]]:
    p = Refs()
    p.feed(page.read_text(encoding="utf-8"))
    return p.refs


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_every_link_and_image_resolves_offline(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 10
    seen = 0
    for page in pages:
        for tag, ref in refs(page):
            parts = urlsplit(ref)
            assert not parts.scheme and not parts.netloc, f"{page}: {ref} is not a relative link"
            if not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)}: broken {tag} {ref}"
            seen += 1
    assert seen > 100


def test_unit_pages_have_charts_and_page_links(site):
    units = sorted((site / "units").glob("*.html"))
    assert len(units) == 6  # seven PDFs, two years of one unit
    for page in units:
        html = page.read_text(encoding="utf-8")
        assert html.count("<svg") >= 2, page
        assert any(r.startswith("../pages/") and r.endswith(".png") for _, r in refs(page)), page


def test_quality_page_shows_each_failed_check_with_its_row_boxed(site, base):
    con = duckdb.connect(str(shared_data_dir(base) / "warehouse.duckdb"), read_only=True)
    n_failed = con.execute("SELECT count(*) FROM quality_checks WHERE NOT passed").fetchone()[0]
    con.close()
    checks_part = (site / "quality.html").read_text(encoding="utf-8").split('id="unverified"')[0]
    parser = Refs()
    parser.feed(checks_part)
    imgs = [r for t, r in parser.refs if t == "img"]
    assert n_failed >= 3 and len(imgs) == n_failed
    for ref in imgs:
        image = Image.open(site / ref).convert("RGB")
        red = [(x, y) for x in range(0, image.width, 2) for y in range(0, image.height, 2)
               if image.getpixel((x, y)) == (220, 20, 20)]
        assert red, f"{ref}: no box"
        xs, ys = [x for x, _ in red], [y for _, y in red]
        assert max(xs) - min(xs) > 2 * (max(ys) - min(ys)), f"{ref}: the box is not a row"


def test_rerun_after_one_new_report_redraws_only_what_changed(tmp_path, base):
    data = data_dir_copy(tmp_path, base)
    out = tmp_path / "site"
    cpu = time.process_time()
    first = build_site(data / "warehouse.duckdb", data / "raw", out, workers=1)
    full_cpu = time.process_time() - cpu
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    again = build_site(data / "warehouse.duckdb", data / "raw", out)
    assert again.rendered == [] and again.images_rendered == 0 and again.pages == first.pages
    add_document(data, EXTRA)
    cpu = time.process_time()  # all drawing in this process: CPU seconds, whatever else the machine runs
    third = build_site(data / "warehouse.duckdb", data / "raw", out, workers=1)
    seconds = time.process_time() - cpu
    new_unit = [p for p in third.rendered if p.startswith("units/")]
    assert len(new_unit) == 1 and "index.html" in third.rendered
    untouched = [p for p in before if str(p.relative_to(out)) not in third.rendered]
    assert any(str(p.relative_to(out)).startswith("units/") for p in untouched)
    assert all(p.stat().st_mtime_ns == before[p] for p in untouched)  # not rewritten at all
    shared = {"index.html", "quality.html", "compare/index.html", "disclosure.html"}
    assert all(p in shared or p.startswith("units/") or "2026" in p for p in third.rendered), third.rendered
    # every other page drawn again is a comparison that now includes the new unit
    new_name = new_unit[0].removeprefix("units/")
    compared = [p for p in third.rendered if p not in shared and p != new_unit[0]]
    assert compared and all(new_name in (out / p).read_text(encoding="utf-8") for p in compared), compared
    cached = {p.stem for p in (out / ".cache/charts").glob("*.svg")}
    shown = {c.key() for p in describe_site(read_site_data(data / "warehouse.duckdb"), data / "raw", Filters())
             for c in p.charts}
    assert cached == shown  # every chart drawn once and kept; none the site no longer shows
    # CPU time, all in this process, against the full build's: wall time depends on the other work on
    # the machine (bench/report_speed.py measures it on the real corpus)
    assert seconds < full_cpu / 2, f"incremental re-render took {seconds:.1f}s of CPU, the full site {full_cpu:.1f}s"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["pages"]) == {str(p.relative_to(out)) for p in out.rglob("*.html")}


def test_report_command_writes_the_site_and_prints_its_index(tmp_path, base):
    data = shared_data_dir(base)
    out = tmp_path / "site"
    r = cli("report", str(out), "--data-dir", str(data), "--region", "湖南", "--region", "上海")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == str((out / "index.html").resolve())
    units = sorted(p.read_text(encoding="utf-8").split("<h1>")[1].split("</h1>")[0]
                   for p in (out / "units").glob("*.html"))
    assert units == ["上海市普陀区人民政府办公室", "上海市普陀区司法局", "长沙市信访局"]


def test_report_without_a_warehouse_says_so(tmp_path):
    r = cli("report", str(tmp_path / "site"), "--data-dir", str(tmp_path / "nothing"))
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "no warehouse" in r.stderr and "Traceback" not in r.stderr


def red_box(png: Path) -> tuple[int, int, int, int] | None:
    image = Image.open(png).convert("RGB")
    red = [(x, y) for x in range(0, image.width, 2) for y in range(0, image.height, 2)
           if image.getpixel((x, y)) == (220, 20, 20)]
    if not red:
        return None
    return min(x for x, _ in red), min(y for _, y in red), max(x for x, _ in red), max(y for _, y in red)


def test_show_boxes_a_row_on_a_rotated_page(tmp_path, base):
    data = shared_data_dir(base)
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    doc_id, page, code = con.execute(
        "SELECT doc_id, page, code FROM budget_lines WHERE year = 2018 AND unit LIKE '%省委办公厅' "
        "AND table_kind = 'gpb_expenditure_by_function' AND level = 3 ORDER BY row_idx LIMIT 1").fetchone()
    con.close()
    out = tmp_path / "p.png"
    r = cli("show", doc_id, "--page", str(page), "--code", code, "--out", str(out), "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    image = Image.open(out)
    assert image.width > image.height  # the /Rotate 90 page is drawn landscape, as printed
    box = red_box(out)
    assert box and box[2] - box[0] > 3 * (box[3] - box[1]) and box[2] - box[0] > image.width / 3


@pytest.mark.parametrize("args, message", [
    (["ffffffffffff", "--page", "1"], "no document"),
    (["{doc}", "--page", "999"], "no page 999"),
    (["{doc}", "--page", "1", "--code", "9999999"], "not found on the page"),
])
def test_show_bad_input_is_one_clear_line(tmp_path, base, args, message):
    data = shared_data_dir(base)
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    doc = con.execute("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 1").fetchone()[0]
    con.close()
    r = cli("show", *[a.format(doc=doc) for a in args], "--out", str(tmp_path / "x.png"), "--data-dir", str(data))
    assert r.returncode == 1
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
