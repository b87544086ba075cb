"""Walk a portal column: its pagination, the budget articles it lists, their attachments.

Portal layouts vary (TRS/WCM index_N.html pagers, "下一页" links, JavaScript pagers, attachments
linked from articles or straight from the column), so discovery is deliberately forgiving about
markup and strict about scope: articles must be on the column's site (for file:// portals: under
the column's directory), mention a keyword in the link text or the article <title>, and be at
most max_depth links from the column. Bytes decide what is a PDF later; here the URL, link text
and extension only decide what is worth fetching.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from flows.harvest.config import HarvestConfig, SourceConfig
from flows.harvest.download import FetchFailure, Page
from flows.harvest.html import Link, decode_html, parse_html
from flows.harvest.html import Page as HtmlPage
from flows.harvest.records import FetchRecord, HarvestEvent
from flows.harvest.urls import (
    WEB_SCHEMES,
    extension,
    file_name,
    in_directory,
    join,
    normalize,
    same_site,
    scheme_of,
)
from parsers.pdf import sniff

log = logging.getLogger(__name__)

PageGetter = Callable[[str], Page]  # raises FetchFailure
EventSink = Callable[[HarvestEvent], None]

PDF_EXTS = frozenset({".pdf"})
SKIPPED_EXTS = frozenset(
    {
        ".doc",
        ".docx",
        ".wps",
        ".xls",
        ".xlsx",
        ".et",
        ".csv",
        ".zip",
        ".rar",
        ".7z",
        ".gz",
        ".tar",
        ".ofd",
        ".ppt",
        ".pptx",
    }
)
PAGE_EXTS = frozenset(
    {"", ".html", ".htm", ".shtml", ".jhtml", ".xhtml", ".jsp", ".php", ".asp", ".aspx", ".do", ".action"}
)
_DOWNLOAD = re.compile(r"download|attach|getfile|fileid|file_id|filedown", re.I)
_PAGER = re.compile(r"^(index|default)(?:_(\d+))?\.(s?html?)$", re.I)
_NEXT = frozenset({"下一页", "下页", "后一页", "下一頁", "next", "nextpage", "next›", "›", "»", ">", ">>"})


@dataclass
class Attachment:
    """A link to (probably) a PDF, with where it was found."""

    url: str
    source: str
    article_url: str | None = None
    article_title: str | None = None
    link_text: str | None = None


@dataclass
class Discovery:
    source: str
    attachments: list[Attachment] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, why): xls/doc/zip links...
    failures: list[FetchRecord] = field(default_factory=list)  # pages that could not be read
    pages: list[str] = field(default_factory=list)  # listing and article pages read


@dataclass
class _Rules:
    keywords: list[str]
    patterns: list[re.Pattern[str]]
    max_depth: int
    max_pages: int
    column: str  # normalised column URL: the scope for "in the column" and pagination

    def mentions(self, *texts: str | None) -> bool:
        if not self.keywords:  # keywords: [] means take everything
            return True
        return any(k and t and k in t for k in self.keywords for t in texts)

    def allowed(self, url: str) -> bool:
        return not self.patterns or any(p.search(url) for p in self.patterns)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ValueError(f"invalid link_patterns regex {pattern!r}: {e}") from e


def rules_for(source: SourceConfig, cfg: HarvestConfig, column: str) -> _Rules:
    """Per-source overrides of the harvest defaults; an invalid regex raises ValueError."""
    return _Rules(
        keywords=list(source.keywords if source.keywords is not None else cfg.keywords),
        patterns=[_compile(p) for p in (source.link_patterns or [])],
        max_depth=source.max_depth if source.max_depth is not None else cfg.max_depth,
        max_pages=max(1, source.max_pages if source.max_pages is not None else cfg.max_pages),
        column=column,
    )


def pager_url(url: str, n: int) -> str | None:
    """index.html (or a directory URL) → index_n.html in the same directory; None otherwise."""
    parts = urlsplit(url)
    d, name = posixpath.split(parts.path)
    if not name:
        stem, ext = "index", "html"
    else:
        m = _PAGER.match(name)
        if not m:
            return None
        stem, ext = m.group(1), m.group(3)
    path = posixpath.join(d, f"{stem}_{n}.{ext}")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _index_aliases(url: str) -> list[str]:
    """A directory URL and its index.html are the same listing page."""
    if url.endswith("/"):
        return [url + n for n in ("index.html", "index.htm", "index.shtml")]
    d, name = url.rsplit("/", 1)
    return [d + "/"] if _PAGER.match(name) and "_" not in name else []


def _is_pager_link(url: str, column: str, link: Link) -> bool:
    if not in_directory(url, column):
        return False
    col = urlsplit(column).path
    if posixpath.dirname(urlsplit(url).path) != posixpath.dirname(col):
        return False
    text = link.text.replace(" ", "").lower()
    return bool(_PAGER.match(file_name(url))) or text in _NEXT


def classify(url: str, link: Link) -> str:
    """'pdf' (worth downloading), 'skipped' (xls/doc/zip...), 'page' (HTML to read) or 'other'."""
    ext = extension(url)
    label = (link.text or link.title).strip().lower()
    if ext in PDF_EXTS or label.endswith(".pdf") or link.tag in ("embed", "object"):
        return "pdf"
    if ext in SKIPPED_EXTS or any(label.endswith(e) for e in SKIPPED_EXTS):
        return "skipped"
    if ext in PAGE_EXTS:
        split = urlsplit(url)
        if ext in ("", ".jsp", ".php", ".asp", ".aspx", ".do", ".action") and _DOWNLOAD.search(
            split.path + "?" + split.query
        ):
            return "pdf"  # download.jsp?fileId=… : the bytes will tell
        return "page"
    return "other"  # images, css, js...


class Walker:
    """One column's discovery; `get_page` fetches (with retries/limits) or raises FetchFailure."""

    def __init__(
        self,
        source: SourceConfig,
        column: str,
        rules: _Rules,
        get_page: PageGetter,
        in_scope: Callable[[str], bool],
        emit: EventSink | None = None,
    ) -> None:
        self.source = source
        self.column = column
        self.rules = rules
        self.get_page = get_page
        self.in_scope = in_scope  # web: http/https only; file:// portals: under the column's directory
        self.emit = emit or (lambda e: None)
        self.out = Discovery(source=source.url)
        self._found: set[str] = set()  # attachment / skipped URLs already taken
        self._seen_pages: set[str] = set()  # pages read (or failed)
        self._listing_urls: set[str] = {column, *_index_aliases(column)}  # pagination pages

    # -- helpers ------------------------------------------------------------------------------

    def _fail(self, url: str, f: FetchFailure, text: str | None = None, article: str | None = None) -> None:
        rec = FetchRecord(
            source=self.source.url,
            url=url,
            outcome=f.outcome,  # type: ignore[arg-type]
            article_url=article or url,
            link_text=text,
            http_status=f.status,
            error=f.message,
        )
        self.out.failures.append(rec)
        self.emit(HarvestEvent("record", url, f.message, rec))

    def _skip(self, url: str, why: str) -> None:
        self.out.skipped.append((url, why))
        self.emit(HarvestEvent("skipped", url, why))

    def _read(self, url: str) -> tuple[Page, HtmlPage, list[tuple[str, Link]]]:
        """Fetch and parse a page; returns (page, parsed html, absolute links). May raise FetchFailure."""
        page = self.get_page(url)
        self._seen_pages.update((url, page.url))
        self.out.pages.append(url)
        doc = parse_html(decode_html(page.body, page.content_type)[0])
        base = (join(page.url, doc.base) if doc.base else None) or page.url
        links = [(u, lk) for lk in doc.links if (u := join(base, lk.href))]
        self.emit(HarvestEvent("page", url, doc.title))
        return page, doc, links

    def _add_attachment(self, url: str, label: str | None, page_url: str, title: str | None) -> None:
        if url in self._found:
            return
        self._found.add(url)
        if not self.in_scope(url):
            self._skip(url, f"attachment link outside the source's scope (linked from {page_url})")
            return
        self.out.attachments.append(Attachment(url, self.source.url, page_url, title or None, label or None))

    def _links(
        self, links: Iterable[tuple[str, Link]], page_url: str, title: str, relevant: bool, depth: int
    ) -> list[tuple[str, str]]:
        """Collect this page's attachments; return the article candidates one level deeper.

        On a page not known to be about budgets (a column page whose title has no keyword), an
        attachment must mention a keyword in its link text, title attribute or file name.
        """
        nxt: list[tuple[str, str]] = []
        for url, link in links:
            kind = classify(url, link)
            if kind in ("pdf", "skipped"):
                if url in self._found or not self.rules.allowed(url):
                    continue
                if not (relevant or self.rules.mentions(link.text, link.title, file_name(url))):
                    continue
                if kind == "pdf":
                    self._add_attachment(url, link.text or link.title or file_name(url), page_url, title)
                else:
                    self._found.add(url)
                    self._skip(url, f"not a PDF link ({extension(url) or link.text}), linked from {page_url}")
            elif kind == "page" and link.tag in ("a", "area") and depth < self.rules.max_depth:
                if url in self._seen_pages or url in self._listing_urls or not self.rules.allowed(url):
                    continue
                if _is_pager_link(url, self.column, link):
                    continue
                if not same_site(url, self.column) or not self.in_scope(url):
                    continue
                if self.rules.mentions(link.text, link.title) or in_directory(url, self.column):
                    nxt.append((url, link.text or link.title))
        return nxt

    # -- the walk -----------------------------------------------------------------------------

    def run(self) -> Discovery:
        articles = self._listing()
        depth = 1
        while articles and depth <= self.rules.max_depth:
            following: list[tuple[str, str]] = []
            for url, text in articles:
                if url in self._seen_pages:
                    continue
                try:
                    page, doc, links = self._read(url)
                except FetchFailure as f:
                    self._seen_pages.add(url)
                    if self.rules.mentions(text):  # a budget article we could not read: a fault
                        self._fail(url, f, text)
                    else:  # an unlabelled link in the column that was only worth a look
                        self._skip(url, f"could not read a possible article: {f.message}")
                    continue
                if sniff(page.body[:1024]) is None:  # an "article" link that serves a PDF
                    if self.rules.mentions(text):
                        self._add_attachment(url, text, url, None)
                    continue
                if not self.rules.mentions(text, doc.title):
                    self._skip(
                        url, f"article does not mention {'/'.join(self.rules.keywords)}: {doc.title or text}"
                    )
                    continue
                following += self._links(links, url, doc.title or text, True, depth)
            articles, depth = following, depth + 1
        return self.out

    def _listing(self) -> list[tuple[str, str]]:
        """Read the column and its pagination; returns article candidates (url, link text)."""
        queue: list[tuple[str, bool]] = [(self.column, False)]
        explicit = False
        guess_n = 0
        read = 0
        articles: dict[str, str] = {}
        while queue and read < self.rules.max_pages:
            url, guessed = queue.pop(0)
            try:
                page, doc, links = self._read(url)
            except FetchFailure as f:
                if guessed:
                    log.debug("no page %s (%s): end of pagination", url, f.message)
                else:
                    self._fail(url, f)
                continue
            read += 1
            if url == self.column and sniff(page.body[:1024]) is None:  # the "column" is itself a PDF
                self._add_attachment(url, self.source.name, url, None)
                return []
            pager = [u for u, lk in links if _is_pager_link(u, self.column, lk)]
            if doc.page_count and doc.pager_stem and doc.pager_ext:
                base = self.column if self.column.endswith("/") else self.column.rsplit("/", 1)[0] + "/"
                pager += [
                    normalize(f"{base}{doc.pager_stem}_{n}.{doc.pager_ext}")
                    for n in range(1, min(doc.page_count, self.rules.max_pages))
                ]
            pager = [u for u in dict.fromkeys(pager) if u not in self._listing_urls]
            self._listing_urls.update(pager)
            queue += [(u, False) for u in pager]
            explicit = explicit or bool(pager) or bool(doc.page_count)
            before = len(articles) + len(self._found)
            relevant = self.rules.mentions(doc.title)
            for u, text in self._links(links, url, doc.title, relevant, 0):
                articles.setdefault(u, text)
            grew = len(articles) + len(self._found) > before
            if not explicit and not queue and (not guessed or grew):
                guess_n += 1
                g = pager_url(self.column, guess_n)
                if g and g not in self._listing_urls:
                    self._listing_urls.add(g)
                    queue.append((g, True))
        return list(articles.items())


def _web_only(url: str) -> bool:
    return scheme_of(url) in WEB_SCHEMES


def discover(
    source: SourceConfig,
    cfg: HarvestConfig,
    get_page: PageGetter,
    column: str | None = None,
    in_scope: Callable[[str], bool] | None = None,
    emit: EventSink | None = None,
) -> Discovery:
    """Find the PDF links of one column source. Page faults become `failures` records.

    `link_patterns`, when set, are regexes that every article and attachment URL must match
    (re.search); pagination links are exempt. Raises ValueError for an invalid pattern.
    """
    col = normalize(column or source.url)
    rules = rules_for(source, cfg, col)
    return Walker(source, col, rules, get_page, in_scope or _web_only, emit).run()
