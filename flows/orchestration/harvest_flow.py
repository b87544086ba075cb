"""The harvest flow: discover and download every source, record every URL (table fetches).

Retries only where a retry can help: every URL is retried with backoff inside the downloader,
and a web source whose column page was unreachable (timeout, connection refused, 5xx) is
harvested again by a Prefect task with retries.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.config import SourceConfig
from flows.orchestration.context import RunContext
from flows.orchestration.opaque import Opaque


class SourcesUnreachable(RuntimeError):
    """Some web sources could not be reached at all; carries the records of the last attempt."""

    def __init__(self, records: list[dict], sources: list[str]) -> None:
        super().__init__(f"unreachable: {', '.join(sources)}")
        self.records = records
        self.sources = sources


def _network_failure(r: dict) -> bool:
    if r["outcome"] == "timeout":
        return True
    if r["outcome"] == "http_error":
        return (r.get("http_status") or 500) >= 500
    return r["outcome"] == "error" and "cannot connect" in (r.get("error") or "")


def unreachable_sources(sources: list[SourceConfig], records: list[dict]) -> list[str]:
    """Web sources that delivered nothing and failed for a reason a later retry may not have."""
    out = []
    for s in sources:
        if "://" not in s.url or s.url.startswith("file:"):
            continue
        mine = [r for r in records if r.get("source") == s.url]
        if mine and not any(r["outcome"] in ("new", "changed", "unchanged") for r in mine) \
                and any(_network_failure(r) for r in mine):
            out.append(s.url)
    return out


def _retry_when_unreachable(task_: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except SourcesUnreachable:
        return True
    except Exception:
        return False
    return False


@task(name="harvest-sources", cache_policy=NO_CACHE, retry_condition_fn=_retry_when_unreachable)
def harvest_sources(ctx: RunContext, urls: list[str], prior: Opaque[dict],
                    strict: bool = False) -> Opaque[list[dict]]:
    """Discover and download these sources; with `strict`, raise (and so retry) when a web
    source was unreachable as a whole. Prior fetches in and records out are Opaque: one task
    for every file of the sources, and Prefect does not walk them (flows/orchestration/opaque.py)."""
    from flows.harvest import harvest

    log = get_run_logger()
    cfg, sources = ctx.load()
    chosen = [s for s in sources if s.url in urls]
    records = [r.as_dict() for r in harvest(chosen, cfg.harvest, cfg.raw_dir, prior.value,
                                            workers=cfg.concurrency.download_workers,
                                            progress=lambda ev: log.debug("%s %s %s", ev.kind, ev.url,
                                                                          ev.message))]
    down = unreachable_sources(chosen, records)
    if strict and down:
        raise SourcesUnreachable(records, down)
    return Opaque(records)


@flow(name="harvest")
def harvest_flow(ctx: RunContext, run_id: str) -> Opaque[list[dict]]:
    """Discover and download; record every URL in the warehouse manifest (table fetches).
    Returns the records Opaque (a flow's result is walked like a task's)."""
    from flows.harvest import PriorFetch
    from warehouse import prior_fetches, record_fetches, writer

    log = get_run_logger()
    cfg, sources = ctx.load()
    with writer(cfg.warehouse_path) as con:
        prior = Opaque({url: PriorFetch(etag=p.get("etag"), last_modified=p.get("last_modified"), sha256=p.get("sha256"))
                 for url, p in prior_fetches(con).items()})
    records = harvest_sources(ctx, [s.url for s in sources], prior).value
    down = unreachable_sources(sources, records)
    if down:
        delay = max(cfg.harvest.backoff, 0.0) * 30
        log.warning("unreachable, retrying in %.0fs: %s", delay, ", ".join(down))
        retry = harvest_sources.with_options(retries=2, retry_delay_seconds=[delay, delay * 4])
        try:
            again = retry(ctx, down, prior, strict=True).value
        except SourcesUnreachable as e:
            again = e.records
        records = [r for r in records if r.get("source") not in down] + again
    with writer(cfg.warehouse_path) as con:
        record_fetches(con, run_id, records)
    for r in records:
        if r["outcome"] not in ("new", "unchanged", "changed"):
            log.warning("%s: %s (%s)", r["url"], r["outcome"], r.get("error"))
    return Opaque(records)
