"""Build the static site: describe every page, hash it, draw only what changed.

manifest.json in the output folder holds each page's content hash (its data, chart specs and
the design) and the page images written. A re-run draws the pages whose hash moved and the
images not yet on disk, removes what the site no longer has (only files the manifest lists,
never anything else in the folder), and writes the manifest last, so a killed run is simply
finished by the next one. Drawing is spread over worker processes when there is much to do.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from report.data import Filters, SiteData, read_site_data
from report.model import Evidence, Page, PageImage
from report.pageimg import PageImageError
from report.pages_compare import category_pages, code_pages, compare_index, series_pages
from report.pages_disclosure import disclosure_page
from report.pages_index import index_page, quality_page
from report.pages_unit import unit_page
from report.render import CHART_CACHE, copy_static, design_hash, render_html, render_images, write_atomic
from report.svg import prune_cache

MANIFEST = "manifest.json"
# CPU seconds, measured on the real corpus: a chart not in the cache, a page image, a worker's start
CHART_COST, IMAGE_COST, WORKER_COST = 0.12, 0.03, 2.0
IMAGES_PER_TASK = 24  # one task opens its PDF once; big documents are split so workers stay balanced


@dataclass
class BuildResult:
    index: Path
    pages: int = 0
    rendered: list[str] = field(default_factory=list)
    images: int = 0
    images_rendered: int = 0
    removed: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _by_unit(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r["unit_id"]].append(r)
    return out


def describe_site(data: SiteData, raw_dir: Path, filters: Filters) -> list[Page]:
    """Every page of the site, with its charts and page images, nothing drawn yet."""
    rows = data.rows
    docs = [d for d in rows["documents"] if filters.keep(d["unit"], d["region"], d["year"])]
    archived = {d["doc_id"]: d["sha256"] for d in docs if d["sha256"] and (raw_dir / f"{d['sha256']}.pdf").exists()}
    ev = Evidence(archived, {d["doc_id"]: d["pages"] for d in docs if d["pages"]})
    summaries = [s for s in rows["summaries"] if filters.keep(s["unit"], s["region"], s["year"])]
    units = {s["unit_id"] for s in summaries}
    names = {s["unit_id"]: s["unit"] for s in summaries}
    failed = [f for f in rows["failed_checks"] if filters.keep(f["unit"], f["region"], f["year"])]
    unverified = [u for u in data.unverified if filters.keep(u["unit"], u["region"], u["year"])]
    cats = category_pages(summaries, data.categories)
    codes = code_pages(rows["functions"], summaries)
    series = series_pages(rows["series"], names)
    idx: dict[str, Any] = {name: _by_unit(rows[name]) for name in
                           ("functions", "three_public", "yoy", "projects", "targets", "procurement", "assets")}
    idx["docs"] = {d["doc_id"]: d for d in docs}
    idx["series_pages"] = {p.context["unit_id"]: "../" + p.path for p in series}
    idx["category_links"] = defaultdict(list)
    for p in cats:
        for r in p.context["rows"]:
            idx["category_links"][r["unit_id"]].append({"title": p.title, "href": "../" + p.path})
    per_unit = _by_unit(summaries)
    pages = [unit_page(uid, sorted(ss, key=lambda s: (s["year"], s["kind"])), data, idx, ev)
             for uid, ss in sorted(per_unit.items())]
    checks = {r["doc_id"]: r for r in rows["check_counts"]}
    pages += [index_page(docs, summaries, failed, unverified, data.has_verification, checks),
              quality_page(failed, unverified, data.has_verification, ev, units),
              compare_index(cats, codes, series), *cats, *codes, *series,
              disclosure_page(rows["disclosure_scores"], rows["disclosure_issues"], filters, ev, units)]
    return pages


def page_hash(page: Page, design: str) -> str:
    body = {"design": design, "title": page.title, "template": page.template, "context": page.context,
            "charts": [c.spec for c in page.charts], "images": [i.path for i in page.images]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _read_manifest(out_dir: Path) -> dict[str, Any]:
    try:
        m = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return m if isinstance(m, dict) else {}
    except (OSError, ValueError):
        return {}


def _tasks(pages: list[Page], images: list[PageImage], raw_dir: Path, out_dir: Path) -> list[tuple[Any, ...]]:
    """Page images grouped by PDF (each opened once per task), then pages, the slowest first."""
    by_pdf: dict[str, list[PageImage]] = defaultdict(list)
    for img in images:
        by_pdf[img.sha256].append(img)
    groups = [imgs[i:i + IMAGES_PER_TASK] for imgs in by_pdf.values() for i in range(0, len(imgs), IMAGES_PER_TASK)]
    tasks: list[tuple[Any, ...]] = [(render_images, g, raw_dir, out_dir) for g in sorted(groups, key=len, reverse=True)]
    return tasks + [(render_html, p, out_dir) for p in sorted(pages, key=lambda p: -len(p.charts))]


def _draw(pages: list[Page], images: list[PageImage], raw_dir: Path, out_dir: Path, workers: int,
          result: BuildResult) -> None:
    """Draw pages and images; in a spawn pool (PDFium is not thread-safe) only when the work
    is worth more than starting the workers (each imports the renderers and starts vl-convert)."""
    tasks = _tasks(pages, images, raw_dir, out_dir)
    cache = out_dir / CHART_CACHE
    cost = IMAGE_COST * len(images) + CHART_COST * sum(
        1 for p in pages for c in p.charts if not (cache / f"{c.key()}.svg").exists())
    if workers <= 1 or cost < WORKER_COST * 2:
        outcomes = [_run(t) for t in tasks]
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            outcomes = list(pool.map(_run, tasks, chunksize=1))
    for task, (ok, value) in zip(tasks, outcomes, strict=True):
        if not ok:
            result.errors.append(value)
        elif task[0] is render_html:
            result.rendered.append(value)
        else:
            for path, error in value:
                if error:
                    result.errors.append(f"{path}: {error}")
                else:
                    result.images_rendered += 1


def _run(task: tuple[Any, ...]) -> tuple[bool, Any]:
    fn, *args = task
    try:
        return True, fn(*args)
    except PageImageError as e:
        return False, str(e)
    except Exception as e:  # one page failing must not lose the others; say which
        what = getattr(args[0], "path", None) or getattr(args[0][0], "path", "?")
        return False, f"{what}: {type(e).__name__}: {e}"


def _warehouse_stamp(db_path: Path) -> list[int]:
    """Size and mtime of the warehouse and its WAL: any write moves one of them."""
    return [v for f in (db_path, db_path.with_name(db_path.name + ".wal")) if f.exists()
            for v in (f.stat().st_size, f.stat().st_mtime_ns)]


def _warm_converter() -> None:
    """Start vl-convert (~1 s of V8 and fonts) with a trivial chart; errors surface when drawing."""
    try:
        import vl_convert as vlc

        vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}})
    except Exception:  # noqa: BLE001 - the real drawing reports any problem with a page named
        pass


def build_site(db_path: Path, raw_dir: Path, out_dir: Path, filters: Filters | None = None,
               workers: int = 2) -> BuildResult:
    """Write (or bring up to date) the site for the warehouse at db_path into out_dir."""
    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BuildResult(index=out_dir / "index.html")
    old = _read_manifest(out_dir)
    stamp = _warehouse_stamp(Path(db_path))
    warm = None
    if old and old.get("warehouse") != stamp:  # new data on a built site: a few pages, drawn here
        warm = threading.Thread(target=_warm_converter, daemon=True)
        warm.start()  # while DuckDB reads (it releases the GIL)
    data = read_site_data(db_path)
    pages = describe_site(data, raw_dir, filters or Filters())
    design = design_hash()
    old_pages: dict[str, str] = old.get("pages", {}) if isinstance(old.get("pages"), dict) else {}
    hashes = {p.path: page_hash(p, design) for p in pages}
    changed = [p for p in pages if old_pages.get(p.path) != hashes[p.path] or not (out_dir / p.path).exists()]
    images = {img.path: img for p in pages for img in p.images}
    missing = [img for path, img in sorted(images.items()) if not (out_dir / path).exists()]
    copy_static(out_dir)
    if warm:
        warm.join()
    _draw(changed, missing, raw_dir, out_dir, workers, result)
    failed = {e.split(":", 1)[0] for e in result.errors}
    for stale in set(old_pages) - set(hashes) | set(old.get("images", [])) - set(images):
        target = out_dir / stale
        if target.is_file():
            target.unlink()
            result.removed += 1
    prune_cache(out_dir / CHART_CACHE, {c.key() for p in pages for c in p.charts})
    kept = {path: h for path, h in hashes.items() if path not in failed}
    manifest = {"pages": kept, "images": sorted(images), "warehouse": stamp}
    write_atomic(out_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=0).encode("utf-8"))
    result.pages, result.images = len(pages), len(images)
    result.seconds = time.perf_counter() - start
    return result
