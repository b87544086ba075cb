"""URL hygiene: one spelling per URL, a scheme allow-list, and file:// ↔ path.

The URL string is the key of PriorFetch and of the manifest, so the same link must normalise to
the same string on every run (raw Chinese, percent-encoded, or with a #fragment).
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit
from urllib.request import url2pathname

from requests.utils import requote_uri

ALLOWED_SCHEMES = frozenset({"http", "https", "file"})
WEB_SCHEMES = frozenset({"http", "https"})
_IGNORED_HREF = re.compile(r"^\s*(?:javascript:|mailto:|tel:|data:|#)", re.I)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


class BadURL(ValueError):
    """A URL we refuse to fetch (scheme, host or path); the message says why."""


def scheme_of(url: str) -> str:
    """Lower-case scheme, '' for a plain path (Windows drive letters count as paths)."""
    m = _SCHEME.match(url.strip())
    if not m or len(m.group(1)) == 1:
        return ""
    return m.group(1).lower()


def normalize(url: str) -> str:
    """Canonical spelling: no fragment, lower-case scheme/host, non-ASCII and spaces %-encoded."""
    parts = urlsplit(url.strip())
    path = parts.path or ("/" if parts.scheme in WEB_SCHEMES else "")
    return requote_uri(urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, "")))


def join(base: str, href: str | None) -> str | None:
    """Absolute, normalised URL for a link on page `base`; None for javascript:/mailto:/#anchors."""
    if not href or _IGNORED_HREF.match(href):
        return None
    href = href.strip().replace("\\", "/")
    try:
        return normalize(urljoin(base, href))
    except ValueError:  # e.g. an invalid IPv6 literal in a hand-typed link
        return None


def host_key(url: str) -> str:
    """Host used for rate limits and 'same site' checks ('' for file:// and paths)."""
    if scheme_of(url) not in WEB_SCHEMES:
        return ""
    return (urlsplit(url).hostname or "").lower()


def same_site(a: str, b: str) -> bool:
    """Same host (http and https count as the same site); for file:// both must be local."""
    sa, sb = scheme_of(a), scheme_of(b)
    if (sa == "file") != (sb == "file"):
        return False
    return host_key(a) == host_key(b)


def url_path(url: str) -> str:
    """The decoded path component ('/附件/2024年预算.pdf')."""
    return unquote(urlsplit(url).path)


def extension(url: str) -> str:
    """Lower-case extension of the URL path ('.pdf'), '' when none."""
    return posixpath.splitext(url_path(url))[1].lower()


def file_name(url: str) -> str:
    """Decoded last path segment, for keyword matching on attachment names."""
    return posixpath.basename(url_path(url))


def in_directory(url: str, dir_url: str) -> bool:
    """Is `url` at or below the directory of `dir_url` (same site)?"""
    if not same_site(url, dir_url):
        return False
    d = urlsplit(dir_url).path
    d = d if d.endswith("/") else posixpath.dirname(d) + "/"
    return urlsplit(url).path.startswith(d)


def to_path(url: str) -> Path:
    """Local path for a file:// URL or a plain path; BadURL for a remote file:// host."""
    if scheme_of(url) == "file":
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise BadURL(f"{url}: file:// URLs must be local (host {parts.netloc!r} refused)")
        return Path(url2pathname(parts.path))
    if scheme_of(url):
        raise BadURL(f"{url}: not a local path")
    return Path(os.path.expanduser(url))


def to_url(path: Path) -> str:
    """file:// URL of an absolute local path, normalised like web URLs."""
    return normalize(Path(os.path.abspath(path)).as_uri())


def check_scheme(url: str) -> str:
    """The scheme if we accept it (http, https, file or a plain path), else BadURL."""
    s = scheme_of(url)
    if s and s not in ALLOWED_SCHEMES:
        raise BadURL(f"{url}: scheme {s!r} is not allowed (only http, https, file)")
    if s in WEB_SCHEMES and not urlsplit(url).hostname:
        raise BadURL(f"{url}: no host name")
    return s or "path"
