"""A chart as data + Vega-Lite spec, and its drawing to inline SVG by vl-convert (no Altair here,
so the processes that draw stay light).

Drawing costs ~0.1 s a chart (text layout) and starting vl-convert ~1 s, so drawn charts are
kept in an on-disk cache keyed by the hash of the spec and the vl-convert version: a page
drawn again (its data moved, or the design) reuses every chart whose spec did not change,
and a re-run that needs no new chart never starts vl-convert at all.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.metadata import version
from pathlib import Path
from typing import Any

SVG_VERSION = "2"  # bump when the SVG post-processing below changes


@cache
def _salt() -> str:
    return f"{SVG_VERSION}|{version('vl-convert-python')}"


@dataclass
class Chart:
    """One chart: an id unique in its page, a title, its data rows and the Vega-Lite spec."""

    id: str
    title: str
    data: list[dict[str, Any]]
    spec: dict[str, Any]

    def key(self) -> str:
        body = json.dumps([_salt(), self.title, self.spec], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()[:24]


def render_svg(chart: Chart, cache_dir: Path | None = None) -> str:
    """The chart as an inline <svg> element (cached by spec hash in cache_dir when given)."""
    cached = cache_dir / f"{chart.key()}.svg" if cache_dir else None
    if cached and cached.exists():
        return cached.read_text(encoding="utf-8")
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.spec)
    svg = svg[svg.index("<svg"):].replace("<svg ", f'<svg role="img" aria-label="{escape(chart.title)}" ', 1)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")  # two workers may draw one spec
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(cached)
    return svg


def prune_cache(cache_dir: Path, keep: set[str]) -> int:
    """Remove cached charts the site no longer shows (only *.svg files this module wrote)."""
    removed = 0
    for f in cache_dir.glob("*.svg") if cache_dir.is_dir() else ():
        if f.stem not in keep:
            f.unlink(missing_ok=True)
            removed += 1
    return removed
