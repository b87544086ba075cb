"""What a harvest reports: one FetchRecord per URL tried, and what the caller knew before.

Records, not exceptions, are the harvest's output: the warehouse manifest is built from them, so
every fault (bad URL, 404, timeout, HTML saved as .pdf) must end up here with a readable error.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Outcome = Literal["new", "unchanged", "changed", "not_pdf", "http_error", "too_large", "timeout", "error"]

OUTCOMES: tuple[str, ...] = (
    "new",  # first PDF this URL delivered (no prior fetch); archive_path may be shared with another URL
    "unchanged",  # 304 Not Modified, or the same sha256 as the prior fetch of this URL
    "changed",  # a PDF with a different sha256 than the prior fetch (the old archive file stays)
    "not_pdf",  # the body is not a PDF (HTML error page, Word file...); never archived
    "http_error",  # a 4xx/5xx answer (5xx only after the retries ran out)
    "too_large",  # Content-Length or the streamed body exceeded max_bytes
    "timeout",  # connect/read timeout after the retries ran out
    "error",  # anything else: connection refused, truncated body, redirect loop, refused path...
)
ARCHIVED: frozenset[str] = frozenset({"new", "unchanged", "changed"})


@dataclass(frozen=True)
class PriorFetch:
    """The last successful fetch of a URL, built by the caller from the warehouse manifest.

    It lets the harvest send a conditional GET and tell `unchanged` from `changed`.
    """

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None


@dataclass
class FetchRecord:
    """What happened to one URL in one harvest run."""

    source: str  # the configured source url this came from
    url: str  # the attachment / PDF / file:// URL (the key for PriorFetch)
    outcome: Outcome
    article_url: str | None = None
    article_title: str | None = None
    link_text: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    http_status: int | None = None
    sha256: str | None = None
    bytes: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # names the URL and what went wrong; None when archived
    archive_path: str | None = None
    file_name: str | None = None  # the file's own name (Content-Disposition, URL, local path)

    @property
    def ok(self) -> bool:
        """True when the URL's PDF is in the archive (new, unchanged or changed)."""
        return self.outcome in ARCHIVED

    def to_prior(self) -> PriorFetch | None:
        """The PriorFetch the next run should get for this URL, or None if nothing was archived."""
        if not self.ok or not self.sha256:
            return None
        return PriorFetch(etag=self.etag, last_modified=self.last_modified, sha256=self.sha256)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly dict (fetched_at as ISO 8601 UTC)."""
        d = asdict(self)
        d["fetched_at"] = self.fetched_at.isoformat()
        return d


@dataclass(frozen=True)
class HarvestEvent:
    """Progress note for a UI: a page was read, a link was skipped, or a record is final."""

    kind: Literal["page", "skipped", "record"]
    url: str
    message: str = ""
    record: FetchRecord | None = None


def decide(prior: PriorFetch | None, sha256: str) -> Outcome:
    """new / unchanged / changed for a PDF this URL just delivered, given its prior fetch."""
    if prior is None or not prior.sha256:
        return "new"
    return "unchanged" if prior.sha256 == sha256 else "changed"
