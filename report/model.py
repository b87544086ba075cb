"""What a page is before it is HTML: template, context, charts and the page images it links.

Pages are described first and drawn later, so the site can hash each description, skip the
pages whose hash is unchanged, and draw the rest (charts and images are the slow part).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from report.svg import Chart


def slug(key: str) -> str:
    """A file-name-safe, stable id for a unit, category or code key (names are Chinese)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class PageImage:
    """One page of one archived PDF, optionally with a row boxed (terms: what to look for)."""

    sha256: str
    doc_id: str
    page: int
    terms: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        tail = f"-{slug('|'.join(self.terms))[:8]}" if self.terms else ""
        return f"pages/{self.doc_id}-p{self.page}{tail}.png"


@dataclass
class Page:
    """One HTML file of the site; `root` is the relative way back to the site root."""

    path: str
    template: str
    title: str
    context: dict[str, Any]
    charts: list[Chart] = field(default_factory=list)
    images: list[PageImage] = field(default_factory=list)

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


class Evidence:
    """Collects page images as pages ask for them; knows each document's sha256."""

    def __init__(self, sha_by_doc: dict[str, str], pages_by_doc: dict[str, int] | None = None) -> None:
        self.sha_by_doc = sha_by_doc
        self.pages_by_doc = pages_by_doc or {}
        self._seen: dict[int, set[PageImage]] = {}  # per page (by id): its images, for a fast membership test

    def image(self, page: Page, doc_id: str | None, page_no: int | None, terms: tuple[str, ...] = ()) -> str | None:
        """Register the image on `page` and return its link relative to that page (None when
        the figure has no page or its document has no archived file)."""
        sha = self.sha_by_doc.get(doc_id or "")
        if not sha or not page_no or int(page_no) > self.pages_by_doc.get(doc_id or "", int(page_no)):
            return None  # a page number past the file's end (an excerpt keeping the report's numbering)
        img = PageImage(sha, doc_id or "", int(page_no), tuple(t for t in terms if t))
        seen = self._seen.get(id(page))
        if seen is None:
            seen = self._seen[id(page)] = set(page.images)
        if img not in seen:
            seen.add(img)
            page.images.append(img)
        return page.root + img.path


def money(value: Decimal | float | int | None) -> str:
    """An amount in 元 as printed in the warehouse: thousands separators, two decimals."""
    if value is None:
        return ""
    return f"{Decimal(str(value)):,.2f}"


def money_abs(value: Decimal | float | int | None) -> str:
    """An amount without its sign, where the words already say 增加 / 减少."""
    return "" if value is None else money(abs(Decimal(str(value))))


def wan(value: Decimal | float | int | None) -> str:
    """An amount in 万元, for the headline figures."""
    if value is None:
        return ""
    return f"{Decimal(str(value)) / 10000:,.2f}"


def pct(value: float | Decimal | None, already_percent: bool = False) -> str:
    if value is None:
        return ""
    v = float(value) if already_percent else float(value) * 100
    return f"{v:.2f}%"
