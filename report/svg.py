"""A chart as data + Vega-Lite spec, and its drawing to inline SVG by vl-convert (no Altair here,
so the processes that draw stay light). Drawing costs ~0.2 s a chart (text layout), so an
optional cache keyed by the spec's hash lets unchanged charts be reused."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any


@dataclass
class Chart:
    """One chart: an id unique in its page, a title, its data rows and the Vega-Lite spec."""

    id: str
    title: str
    data: list[dict[str, Any]]
    spec: dict[str, Any]

    def key(self) -> str:
        return hashlib.sha256(json.dumps(self.spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]


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
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(cached)
    return svg
