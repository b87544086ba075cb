"""What makes re-running the site cheap: charts drawn once per spec (an on-disk cache keyed by
the spec's hash) and page images drawn per PDF, opened once, each page rendered once."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from report import charts
from report.pageimg import BOX, PageImageError, render_pages
from report.svg import prune_cache, render_svg

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "samples/corpus/shanghai-putuo_qu-zhengfu-bgs_2025_yusuan_bumen.pdf"
ROWS = [{"unit": "甲单位", "amount": 1_500_000}, {"unit": "乙单位", "amount": 900_000}]


def test_a_drawn_chart_is_reused_from_the_cache(tmp_path):
    cache = tmp_path / "charts"
    chart = charts.ranking_chart(ROWS, "支出合计")
    svg = render_svg(chart, cache)
    assert svg.startswith("<svg") and "甲单位" in svg
    cached = cache / f"{chart.key()}.svg"
    assert cached.read_text(encoding="utf-8") == svg
    cached.write_text("<svg>from the cache</svg>", encoding="utf-8")
    assert render_svg(chart, cache) == "<svg>from the cache</svg>"  # not drawn again
    same = charts.ranking_chart([dict(r) for r in ROWS], "支出合计")
    assert same.key() == chart.key()
    moved = charts.ranking_chart([ROWS[0], dict(ROWS[1], amount=950_000)], "支出合计")
    assert moved.key() != chart.key()
    assert render_svg(moved, cache).startswith("<svg") and (cache / f"{moved.key()}.svg").exists()


def test_prune_removes_only_charts_no_longer_shown(tmp_path):
    cache = tmp_path / "charts"
    cache.mkdir()
    for name in ("keep.svg", "gone.svg", "notes.txt"):
        (cache / name).write_text("x", encoding="utf-8")
    assert prune_cache(cache, {"keep"}) == 1
    assert sorted(p.name for p in cache.iterdir()) == ["keep.svg", "notes.txt"]
    assert prune_cache(tmp_path / "absent", set()) == 0


def test_chart_labels_are_cut_by_characters_not_measured():
    spec = charts.function_chart([{"code": "201", "name": "一般公共服务支出", "level": 1, "basic": 1.0,
                                   "project": 2.0, "total": 3.0}]).spec
    assert spec["config"]["axis"]["labelLimit"] == 0 and spec["config"]["legend"]["labelLimit"] == 0
    assert "substring(datum.label" in spec["encoding"]["y"]["axis"]["labelExpr"]


def red_pixels(png: Path) -> int:
    image = Image.open(png).convert("RGB")
    return sum(1 for x in range(0, image.width, 2) for y in range(0, image.height, 2)
               if image.getpixel((x, y)) == BOX)


def test_one_pdf_many_images_each_request_answered(tmp_path):
    boxed, plain, missing, unfound = (tmp_path / f"{n}.png" for n in ("boxed", "plain", "missing", "unfound"))
    results = render_pages(PDF, [(9, boxed, ["合计"]), (9, plain, None), (999, missing, None),
                                 (3, unfound, ["没有这一行"])])
    assert results[0] is True and results[1] is False and results[3] is False
    assert isinstance(results[2], PageImageError) and "no page 999" in str(results[2])
    assert not missing.exists()
    assert Image.open(boxed).mode == "P" and red_pixels(boxed) > 100
    assert Image.open(plain).mode == "L" and red_pixels(plain) == 0
    assert Image.open(unfound).mode == "L"
    assert Image.open(boxed).size == Image.open(plain).size


def test_a_missing_pdf_fails_every_request_in_one_line(tmp_path):
    results = render_pages(tmp_path / "gone.pdf", [(1, tmp_path / "a.png", None), (2, tmp_path / "b.png", None)])
    assert all(isinstance(r, PageImageError) and "missing" in str(r) and "\n" not in str(r) for r in results)
