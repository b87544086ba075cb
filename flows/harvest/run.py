"""The harvest entry point: sources in, one FetchRecord per URL out, never an exception.

Discovery of each source and every download run on one thread pool; per-host limits live in a
shared HostGate, so `workers` sizes overall parallelism while each host sees at most
`per_host` connections and `rate_limit` requests per second.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from flows.harvest.archive import Archive, inside, open_inside, walk_local
from flows.harvest.config import HarvestConfig, SourceConfig
from flows.harvest.discover import discover
from flows.harvest.download import Fetcher, Page
from flows.harvest.hosts import HostGate
from flows.harvest.local import copy_local, read_local_page
from flows.harvest.records import FetchRecord, HarvestEvent, PriorFetch
from flows.harvest.urls import (
    WEB_SCHEMES,
    BadURL,
    check_scheme,
    extension,
    host_key,
    normalize,
    scheme_of,
    to_path,
    to_url,
)
from parsers.pdf import sniff

log = logging.getLogger(__name__)

Progress = Callable[[HarvestEvent], None]
HTML_EXTS = frozenset({".html", ".htm", ".shtml", ".xhtml"})
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
PDF_ACCEPT = "application/pdf,*/*;q=0.5"


@dataclass
class _Task:
    """One URL to fetch: a web attachment, or a local file (with the directory it must stay in)."""

    url: str
    source: SourceConfig
    article_url: str | None = None
    article_title: str | None = None
    link_text: str | None = None
    path: Path | None = None
    root: Path | None = None


@dataclass
class _Plan:
    """What one source turned into: records already final (faults) and tasks to fetch, in order."""

    items: list[FetchRecord | _Task] = field(default_factory=list)


def _error(
    source: SourceConfig, url: str, message: str, outcome: str = "error", status: int | None = None
) -> FetchRecord:
    return FetchRecord(source=source.url, url=url, outcome=outcome, error=message, http_status=status)  # type: ignore[arg-type]


class _Harvest:
    def __init__(
        self,
        cfg: HarvestConfig,
        archive: Archive,
        prior: Mapping[str, PriorFetch],
        progress: Progress | None,
    ) -> None:
        self.cfg = cfg
        self.archive = archive
        self.prior = prior
        self._progress = progress
        self.gate = HostGate(cfg.rate_limit, cfg.per_host)
        self.fetcher = Fetcher(cfg, self.gate)

    def emit(self, event: HarvestEvent) -> None:
        if self._progress is None:
            return
        try:
            self._progress(event)
        except Exception:  # a broken progress bar must not break the harvest
            log.exception("progress callback failed")

    # -- planning: what does a source stand for? ---------------------------------------------

    def plan(self, source: SourceConfig) -> _Plan:
        raw = (source.url or "").strip()
        try:
            kind = check_scheme(raw)
            if kind in WEB_SCHEMES:
                return self._plan_web(source, normalize(raw))
            return self._plan_local(source, raw)
        except BadURL as e:
            return _Plan([_error(source, raw, f"source {e}")])
        except Exception as e:  # never let one source sink the run
            log.exception("planning %s failed", raw)
            return _Plan([_error(source, raw, f"source {raw}: internal error ({type(e).__name__}: {e})")])

    def _plan_web(self, source: SourceConfig, url: str) -> _Plan:
        if extension(url) == ".pdf":
            return _Plan([_Task(url, source, link_text=source.name)])
        headers = {"Accept": PAGE_ACCEPT, **source.headers}

        def get_page(u: str) -> Page:
            return self.fetcher.get_page(u, headers)

        return self._plan_column(source, url, get_page, None)

    def _plan_column(
        self, source: SourceConfig, column: str, get_page: Callable[[str], Page], root: Path | None
    ) -> _Plan:
        def in_scope(u: str) -> bool:
            if root is None:
                return scheme_of(u) in WEB_SCHEMES
            try:
                return scheme_of(u) == "file" and inside(to_path(u), root)
            except BadURL:
                return False

        try:
            found = discover(source, self.cfg, get_page, column=column, in_scope=in_scope, emit=self.emit)
        except ValueError as e:  # an invalid link_patterns regex
            return _Plan([_error(source, column, f"source {column}: {e}")])
        items: list[FetchRecord | _Task] = list(found.failures)
        for a in found.attachments:
            t = _Task(a.url, source, a.article_url, a.article_title, a.link_text)
            if root is not None:
                t.path, t.root = to_path(a.url), root
            items.append(t)
        if not found.attachments and not found.failures:
            log.warning("source %s: no PDF links found", column)
            self.emit(HarvestEvent("skipped", column, "no PDF links found"))
        return _Plan(items)

    def _plan_local(self, source: SourceConfig, raw: str) -> _Plan:
        path = to_path(raw)
        path = Path(os.path.abspath(path))
        if not path.exists():
            return _Plan([_error(source, raw, f"source {raw}: no such file or directory")])
        if path.is_dir():
            return self._plan_dir(source, path)
        if extension(path.as_uri()) in HTML_EXTS:  # an offline portal column
            root = path.resolve().parent

            def get_page(u: str) -> Page:
                return read_local_page(to_path(u), root)

            return self._plan_column(source, to_url(path), get_page, root)
        return _Plan([_Task(to_url(path), source, link_text=source.name, path=path, root=None)])

    def _plan_dir(self, source: SourceConfig, root: Path) -> _Plan:
        items: list[FetchRecord | _Task] = []
        real_root = root.resolve()
        for p, target, refusal in walk_local(root):
            if refusal:
                items.append(_error(source, to_url(p), refusal))
                continue
            assert target is not None
            if p.suffix.lower() != ".pdf" and not _looks_like_pdf(p, real_root):
                continue
            items.append(_Task(to_url(p), source, link_text=p.name, path=p, root=real_root))
        return _Plan(items)

    # -- fetching ---------------------------------------------------------------------------

    def fetch(self, t: _Task) -> FetchRecord:
        rec = FetchRecord(
            source=t.source.url,
            url=t.url,
            outcome="error",
            article_url=t.article_url,
            article_title=t.article_title,
            link_text=t.link_text,
        )
        prior = self.prior.get(t.url)
        try:
            if t.path is not None:
                copy_local(t.path, t.root, self.archive, prior, rec, self.cfg.max_bytes)
            else:
                headers = {"Accept": PDF_ACCEPT, **t.source.headers}
                if t.article_url and scheme_of(t.article_url) in WEB_SCHEMES:
                    headers.setdefault("Referer", t.article_url)
                self.fetcher.download(t.url, headers, self.archive, prior, rec)
        except Exception as e:  # a bug must still end as a record
            log.exception("fetching %s failed", t.url)
            rec.outcome, rec.error = "error", f"{t.url}: internal error ({type(e).__name__}: {e})"
            rec.sha256 = rec.archive_path = None
        self.emit(HarvestEvent("record", t.url, rec.outcome, rec))
        return rec


def _looks_like_pdf(path: Path, root: Path) -> bool:
    """Content check for files without a .pdf name in a local directory source."""
    try:
        fd = open_inside(path, root)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as f:
        return sniff(f.read(1024)) is None


def harvest(
    sources: list[SourceConfig],
    cfg: HarvestConfig,
    raw_dir: Path,
    prior: Mapping[str, PriorFetch],
    workers: int = 4,
    progress: Progress | None = None,
) -> list[FetchRecord]:
    """Fetch every source into `<raw_dir>/<sha256>.pdf`; one record per URL, in source order.

    Never raises for a bad URL, file or server: each fault is a record (outcome + readable error).
    A URL found by several sources/articles is fetched once (the first source in order keeps it).
    `prior` maps a URL to its last successful fetch (see FetchRecord.to_prior).
    """
    archive = Archive(Path(raw_dir))
    try:
        archive.open()
    except OSError as e:
        msg = f"archive directory {raw_dir} cannot be used ({e.strerror or e})"
        return [_error(s, s.url, msg) for s in sources]
    h = _Harvest(cfg, archive, prior, progress)
    for s in sources:
        h.gate.set_rate(host_key(s.url.strip()), s.rate_limit)
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="harvest") as pool:
            plans = [pool.submit(h.plan, s) for s in sources]
            claimed: set[str] = set()
            slots: list[FetchRecord | Future[FetchRecord]] = []
            for s, fut in zip(sources, plans, strict=True):
                try:
                    plan = fut.result()
                except Exception as e:  # pragma: no cover - plan() catches everything itself
                    plan = _Plan([_error(s, s.url, f"source {s.url}: internal error ({e})")])
                for item in plan.items:
                    if isinstance(item, FetchRecord):
                        slots.append(item)
                    elif item.url not in claimed:
                        claimed.add(item.url)
                        slots.append(pool.submit(h.fetch, item))
            return [x if isinstance(x, FetchRecord) else x.result() for x in slots]
    finally:
        archive.close()
