"""One spelling per source: local files are known by their path, whether the harvest reports
them as file:// URLs or the orchestrator passes the path, so both sides link to one version."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def canonical_url(url: str) -> str:
    """file:///a/b.pdf → /a/b.pdf; anything else unchanged (minus surrounding whitespace)."""
    url = url.strip()
    if url.lower().startswith("file://"):
        parts = urlsplit(url)
        return unquote(parts.path) or url
    return url
