"""The file's own name, for documents.source_file: the archive names files by sha256, which
tells a reader nothing. Content-Disposition wins (portals serve `download.jsp?fileId=7`),
then the last segment of the URL the body came from; a local file keeps its own name."""

from __future__ import annotations

from email.message import Message
from urllib.parse import unquote, urlsplit

ENCODINGS = ("utf-8", "gb18030")  # raw bytes in a quoted filename, as Chinese portals send them


def disposition_name(header: str | None) -> str | None:
    """The filename of a Content-Disposition header (RFC 6266 `filename*` or `filename`)."""
    if not header:
        return None
    msg = Message()
    msg["Content-Disposition"] = header
    try:
        name = msg.get_filename()
    except (ValueError, LookupError):
        name = None
    if not name:
        return None
    return _clean(_redecode(unquote(name)))


def url_name(url: str | None) -> str | None:
    """The last path segment of a URL, percent-decoded ('' and '/' give None)."""
    if not url:
        return None
    segment = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return _clean(unquote(segment))


def file_name(disposition: str | None, url: str | None) -> str | None:
    return disposition_name(disposition) or url_name(url)


def _redecode(name: str) -> str:
    """http.client hands header bytes over as latin-1: undo that for UTF-8 or GBK names."""
    try:
        raw = name.encode("latin-1")
    except UnicodeEncodeError:
        return name
    for enc in ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return name


def _clean(name: str) -> str | None:
    """A bare file name: no directories (a header may say `../../x.pdf`), no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    return name or None
