"""Pages to files: Jinja2 templates (autoescaped), charts inlined as SVG, page images as PNG.

Everything here runs in worker processes too, so it imports no Altair and no DuckDB.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from report.model import Page, PageImage, money, money_abs, pct, wan
from report.pageimg import PageImageError, render_pages
from report.svg import render_svg

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
RENDER_VERSION = "2"  # bump when page images or the HTML change in a way the data hash cannot see


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=money, money_abs=money_abs, wan=wan, pct=pct)
    return env


@cache
def design_hash() -> str:
    """Hash of the templates, the stylesheet and this module's version: a new design re-renders all."""
    h = hashlib.sha256(RENDER_VERSION.encode())
    for f in sorted([*TEMPLATES.glob("*.html"), *STATIC.glob("*")]):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


CHART_CACHE = ".cache/charts"  # in the output folder: drawn SVGs by spec hash (report/svg.py)


def render_html(page: Page, out_dir: Path) -> str:
    """Draw the page's charts (from the chart cache when drawn before) and write its HTML;
    returns the page's path."""
    svgs = {c.id: Markup(render_svg(c, out_dir / CHART_CACHE)) for c in page.charts}
    html = environment().get_template(page.template).render(
        page=page, root=page.root, title=page.title, svgs=svgs, **page.context)
    write_atomic(out_dir / page.path, html.encode("utf-8"))
    return page.path


def render_images(images: list[PageImage], raw_dir: Path, out_dir: Path) -> list[tuple[str, str | None]]:
    """Write the page images of one archived PDF (opened once); per image (path, error or None)."""
    pdf = raw_dir / f"{images[0].sha256}.pdf"
    results = render_pages(pdf, [(img.page, out_dir / img.path, list(img.terms)) for img in images])
    return [(img.path, str(r) if isinstance(r, PageImageError) else None)
            for img, r in zip(images, results, strict=True)]


def copy_static(out_dir: Path) -> None:
    for f in STATIC.glob("*"):
        target = out_dir / "static" / f.name
        data = f.read_bytes()
        if not target.exists() or target.read_bytes() != data:
            write_atomic(target, data)
