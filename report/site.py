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
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from report.data import Filters, SiteData, read_site_data
from report.model import Evidence, Page
from report.pageimg import PageImageError
from report.pages_compare import category_pages, code_pages, compare_index, series_pages
from report.pages_disclosure import disclosure_page
from report.pages_index import index_page, quality_page
from report.pages_unit import unit_page
from report.render import copy_static, design_hash, render_html, render_image, write_atomic

MANIFEST = "manifest.json"
INLINE_LIMIT = 12  # fewer tasks than this are drawn in this process (a pool costs ~2 s to start)


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


def _draw(pages: list[Page], images: list[Any], raw_dir: Path, out_dir: Path, workers: int,
          result: BuildResult) -> None:
    """Draw pages and images, in a spawn pool when there is enough to do (PDFium is not thread-safe)."""
    tasks: list[tuple[Any, ...]] = [(render_image, img, raw_dir, out_dir) for img in images]
    tasks += [(render_html, p, out_dir) for p in sorted(pages, key=lambda p: -len(p.charts))]
    if workers <= 1 or len(tasks) < INLINE_LIMIT:
        outcomes = [_run(t) for t in tasks]
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            outcomes = list(pool.map(_run, tasks, chunksize=4))
    for task, (ok, value) in zip(tasks, outcomes, strict=True):
        if not ok:
            result.errors.append(value)
        elif task[0] is render_html:
            result.rendered.append(value)
        else:
            result.images_rendered += 1


def _run(task: tuple[Any, ...]) -> tuple[bool, Any]:
    fn, *args = task
    try:
        return True, fn(*args)
    except PageImageError as e:
        return False, str(e)
    except Exception as e:  # one page failing must not lose the others; say which
        what = getattr(args[0], "path", "?")
        return False, f"{what}: {type(e).__name__}: {e}"


def build_site(db_path: Path, raw_dir: Path, out_dir: Path, filters: Filters | None = None,
               workers: int = 2) -> BuildResult:
    """Write (or bring up to date) the site for the warehouse at db_path into out_dir."""
    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BuildResult(index=out_dir / "index.html")
    data = read_site_data(db_path)
    pages = describe_site(data, raw_dir, filters or Filters())
    design = design_hash()
    old = _read_manifest(out_dir)
    old_pages: dict[str, str] = old.get("pages", {}) if isinstance(old.get("pages"), dict) else {}
    hashes = {p.path: page_hash(p, design) for p in pages}
    changed = [p for p in pages if old_pages.get(p.path) != hashes[p.path] or not (out_dir / p.path).exists()]
    images = {img.path: img for p in pages for img in p.images}
    missing = [img for path, img in sorted(images.items()) if not (out_dir / path).exists()]
    copy_static(out_dir)
    _draw(changed, missing, raw_dir, out_dir, workers, result)
    failed = {e.split(":", 1)[0] for e in result.errors}
    for stale in set(old_pages) - set(hashes) | set(old.get("images", [])) - set(images):
        target = out_dir / stale
        if target.is_file():
            target.unlink()
            result.removed += 1
    kept = {path: h for path, h in hashes.items() if path not in failed}
    write_atomic(out_dir / MANIFEST, json.dumps({"pages": kept, "images": sorted(images)}, ensure_ascii=False,
                                                indent=0).encode("utf-8"))
    result.pages, result.images = len(pages), len(images)
    result.seconds = time.perf_counter() - start
    return result
