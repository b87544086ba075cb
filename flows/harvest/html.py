"""Read a portal page: decode GBK/GB2312/UTF-8 bytes, then pull out title, links and pagination.

Chinese government portals mix encodings (and sometimes declare the wrong one), so decoding tries
the HTTP charset, then <meta charset>, then UTF-8, then gb18030 (a superset of GBK and GB2312).
The standard library html.parser is enough for links and titles and adds no dependency.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# TRS/WCM portals write their pager with JavaScript: createPageHTML(total, current, "index", "html")
_TRS_PAGER = re.compile(
    r"""createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"]"""
)
_TRS_COUNT = re.compile(r"""countPage\s*=\s*['"]?(\d+)""")
_GB_ALIASES = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "ms936", "euc-cn", "x-euc-cn", "csgb2312"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _codec(label: str | None) -> str | None:
    """A Python codec for a charset label (GBK family → gb18030), None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    m = _CT_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, codec used). Order: BOM, HTTP charset, <meta charset>, utf-8, gb18030.

    A declared charset that does not decode cleanly is skipped (portals often declare UTF-8 for
    GBK pages); the last resort is gb18030 with replacement characters, so this never raises.
    """
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(enc, errors="replace"), enc
    meta = _META_CHARSET.search(body[:8192])
    candidates = [
        _codec(charset_from_content_type(content_type)),
        _codec(meta.group(1).decode("ascii", "ignore")) if meta else None,
        "utf-8",
        "gb18030",
    ]
    seen: set[str] = set()
    for enc in candidates:
        if not enc or enc in seen:
            continue
        seen.add(enc)
        try:
            return body.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("gb18030", errors="replace"), "gb18030"


@dataclass
class Link:
    href: str  # as written in the page (relative, entities already decoded)
    text: str  # visible text, whitespace collapsed
    title: str = ""  # the title="" attribute: portals put the untruncated headline there
    tag: str = "a"


@dataclass
class Page:
    title: str = ""
    base: str | None = None
    links: list[Link] = field(default_factory=list)
    page_count: int | None = None  # from a TRS createPageHTML()/countPage pager
    pager_stem: str | None = None  # "index" in index_1.html
    pager_ext: str | None = None


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


class _Parser(HTMLParser):
    """Collects <title>, <base>, <a>/<area>/<iframe>/<embed> targets and pager scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False
        self._in_script = False
        self._title: list[str] = []
        self._script: list[str] = []
        self._a: Link | None = None
        self._a_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "script":
            self._in_script = True
        elif tag == "base" and a.get("href") and self.page.base is None:
            self.page.base = a["href"]
        elif tag == "a":
            self._close_a()
            if a.get("href"):
                self._a = Link(href=a["href"], text="", title=_squash(a.get("title", "")))
                self._a_text = []
        elif tag == "area" and a.get("href"):
            self.page.links.append(
                Link(a["href"], _squash(a.get("alt", "")), _squash(a.get("title", "")), tag)
            )
        elif tag in ("iframe", "embed") and a.get("src"):
            self.page.links.append(Link(a["src"], "", _squash(a.get("title", "")), tag))
        elif tag == "object" and a.get("data"):
            self.page.links.append(Link(a["data"], "", _squash(a.get("title", "")), tag))
        elif tag == "img" and self._a is not None and a.get("alt"):
            self._a_text.append(" " + a["alt"] + " ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "script":
            self._in_script = False
            self._pager("".join(self._script))
            self._script = []
        elif tag == "a":
            self._close_a()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif self._in_script:
            self._script.append(data)
        elif self._a is not None:
            self._a_text.append(data)

    def close(self) -> None:
        super().close()
        self._close_a()
        if self._script:
            self._pager("".join(self._script))
        self.page.title = _squash("".join(self._title))

    def _close_a(self) -> None:
        if self._a is not None:
            self._a.text = _squash("".join(self._a_text))
            self.page.links.append(self._a)
            self._a = None

    def _pager(self, js: str) -> None:
        m = _TRS_PAGER.search(js)
        if m:
            self.page.page_count = int(m.group(1))
            self.page.pager_stem, self.page.pager_ext = m.group(3), m.group(4)
            return
        m2 = _TRS_COUNT.search(js)
        if m2 and self.page.page_count is None:
            self.page.page_count = int(m2.group(1))


def parse_html(text: str) -> Page:
    """Title, links and pager of a decoded page; tolerant of broken markup (never raises)."""
    p = _Parser()
    try:
        p.feed(text)
        p.close()
    except Exception:  # html.parser is lenient, but a page must never abort a harvest
        p._close_a()
    return p.page
