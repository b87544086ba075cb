"""HTTP fetching with the manners a government portal expects and the checks an archive needs.

Timeouts, retries with exponential backoff (5xx, timeouts, broken connections; never 4xx),
per-host rate/concurrency limits, conditional GET, a size cap, manual redirects (http/https only,
capped, loops detected), and streaming into the archive's `.part` file with a Content-Length
check. Every failure is a `FetchFailure` carrying the record outcome and a readable message.

read_timeout bounds only the silence between two reads, so a body trickling one byte at a
time could hold a URL forever: `harvest.deadline` bounds each file (or page) as a whole,
retries included; a timer shuts the socket when it passes, so a blocked read ends on time.
Bodies are read with read1 (whatever has arrived), so a failure names the exact bytes received.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import DecodeError, IncompleteRead, ProtocolError, ReadTimeoutError
from urllib3.exceptions import HTTPError as Urllib3Error

from flows.harvest.archive import HEAD_BYTES, Archive
from flows.harvest.config import HarvestConfig
from flows.harvest.filenames import file_name
from flows.harvest.hosts import HostGate
from flows.harvest.records import FetchRecord, PriorFetch, decide
from flows.harvest.urls import WEB_SCHEMES, host_key, join, scheme_of
from parsers.pdf import sniff

T = TypeVar("T")
CHUNK = 64 * 1024
MAX_REDIRECTS = 10  # not in HarvestConfig yet
PAGE_MAX_BYTES = 10 * 1024 * 1024  # an HTML page larger than this is not a listing we want
SNIFF_BYTES = 1024  # parsers.pdf.sniff looks for %PDF- in the first KiB
_PRIVATE_ON_HOST_CHANGE = ("authorization", "cookie", "proxy-authorization")


class FetchFailure(Exception):
    """A fetch that ended without a usable body; `outcome` is the FetchRecord outcome."""

    def __init__(self, outcome: str, message: str, status: int | None = None, retry: bool = False,
                 received: int | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message
        self.status = status
        self.retry = retry
        self.received = received  # body bytes that arrived before the fault, when known


@dataclass
class Page:
    """A fetched HTML page (discovery reads it whole, capped at PAGE_MAX_BYTES)."""

    url: str  # the URL after redirects: relative links resolve against it
    body: bytes
    content_type: str | None
    status: int | None


def _reason(e: BaseException) -> str:
    """A short human reason from a requests/urllib3 exception chain."""
    text = str(e)
    for marker in ("[Errno", "Connection refused", "Name or service not known", "timed out"):
        i = text.find(marker)
        if i >= 0:
            return text[i:].split("'))")[0].split('")')[0].rstrip("')\"")
    return text[:200] or type(e).__name__


class Fetcher:
    """Shared by all worker threads of one harvest: one requests.Session per thread."""

    def __init__(self, cfg: HarvestConfig, gate: HostGate, max_redirects: int = MAX_REDIRECTS) -> None:
        self.cfg = cfg
        self.gate = gate
        self.max_redirects = max_redirects
        self._local = threading.local()

    def session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            adapter = HTTPAdapter(
                pool_connections=8, pool_maxsize=max(4, self.cfg.per_host * 2), max_retries=0
            )
            s.mount("http://", adapter)
            s.mount("https://", adapter)
            s.headers["User-Agent"] = self.cfg.user_agent
            s.headers["Accept-Language"] = "zh-CN,zh;q=0.9,en;q=0.5"
            self._local.session = s
        return s

    # -- the request loop -------------------------------------------------------------------

    def request(self, url: str, headers: Mapping[str, str], handle: Callable[[requests.Response], T]) -> T:
        """GET with retries; `handle` consumes the final (non-redirect) response inside its host slot.

        `handle` raises FetchFailure(retry=True) for faults worth another attempt (5xx, a body cut
        short); timeouts and connection errors are retried here. Backoff doubles per attempt.
        """
        attempts = max(1, self.cfg.retries + 1)
        last: FetchFailure | None = None
        deadline = time.monotonic() + self.cfg.deadline if self.cfg.deadline > 0 else math.inf
        self._local.deadline = deadline
        tried = 0
        for i in range(attempts):
            tried += 1
            try:
                return self._attempt(url, headers, handle)
            except FetchFailure as f:
                if not f.retry:
                    raise
                last = f
            pause = self.cfg.backoff * (2**i)
            if i + 1 < attempts and time.monotonic() + pause >= deadline:
                break  # another attempt could not finish in time
            if i + 1 < attempts:
                time.sleep(pause)
        assert last is not None
        suffix = f" (after {tried} attempts)" if tried > 1 else ""
        raise FetchFailure(last.outcome, last.message + suffix, last.status, received=last.received)

    def _attempt(self, url: str, headers: Mapping[str, str], handle: Callable[[requests.Response], T]) -> T:
        chain = [url]
        current = url
        hdrs = dict(headers)
        origin = host_key(url)
        status: int | None = None
        for _ in range(self.max_redirects + 1):
            with self.gate.slot(host_key(current)):
                resp = self._get(url, current, hdrs)
                status = resp.status_code
                try:
                    target = self.session().get_redirect_target(resp) if resp.is_redirect else None
                    if target is None:
                        return handle(resp)
                finally:
                    resp.close()
            nxt = join(current, target)
            if nxt is None or scheme_of(nxt) not in WEB_SCHEMES:
                raise FetchFailure(
                    "error", f"GET {url}: refused redirect to {target!r} (only http/https)", resp.status_code
                )
            if nxt in chain:
                loop = " → ".join([*chain[chain.index(nxt) :], nxt])
                raise FetchFailure("error", f"GET {url}: redirect loop ({loop})", resp.status_code)
            chain.append(nxt)
            if host_key(nxt) != origin:
                hdrs = {k: v for k, v in hdrs.items() if k.lower() not in _PRIVATE_ON_HOST_CHANGE}
            current = nxt
        raise FetchFailure("error", f"GET {url}: too many redirects (more than {self.max_redirects})", status)

    def _get(self, url: str, current: str, headers: Mapping[str, str]) -> requests.Response:
        where = url if current == url else f"{url} (redirected to {current})"
        try:
            return self.session().get(
                current,
                headers=dict(headers),
                timeout=(self.cfg.connect_timeout, self.cfg.read_timeout),
                stream=True,
                allow_redirects=False,
            )
        except requests.ConnectTimeout as e:
            raise FetchFailure(
                "timeout", f"GET {where}: connect timed out after {self.cfg.connect_timeout:g} s", retry=True
            ) from e
        except requests.Timeout as e:
            raise FetchFailure(
                "timeout", f"GET {where}: read timed out after {self.cfg.read_timeout:g} s", retry=True
            ) from e
        except requests.ConnectionError as e:
            raise FetchFailure("error", f"GET {where}: cannot connect ({_reason(e)})", retry=True) from e
        except requests.RequestException as e:  # InvalidURL, TooManyRedirects, ...
            raise FetchFailure("error", f"GET {where}: {_reason(e)}") from e

    # -- reading a body ---------------------------------------------------------------------

    def _stream(self, url: str, resp: requests.Response, write: Callable[[bytes], None]) -> int:
        """Copy the body to `write`; returns the decoded size. Read faults become FetchFailure,
        and so does the file's deadline (outcome timeout, not retried)."""
        n = 0
        status = resp.status_code
        deadline = getattr(self._local, "deadline", math.inf)
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            with suppress(Exception):  # wakes a read blocked on a silent or trickling server
                resp.raw.shutdown()

        timer = threading.Timer(max(0.0, deadline - time.monotonic()), expire) if deadline < math.inf else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            while not expired.is_set():
                chunk = resp.raw.read1(CHUNK, decode_content=True)
                if not chunk:
                    break
                write(chunk)
                n += len(chunk)
                if time.monotonic() >= deadline:
                    expired.set()
        except ReadTimeoutError as e:
            if not expired.is_set():
                msg = f"GET {url}: read timed out after {self.cfg.read_timeout:g} s ({n} bytes received)"
                raise FetchFailure("timeout", msg, status, retry=True, received=n) from e
        except DecodeError as e:
            enc = resp.headers.get("Content-Encoding") or "compressed"
            msg = (f"GET {url}: the server says the body is {enc}-encoded, but it does not decode "
                   f"(corrupt, or not {enc} at all; {n} bytes decoded); not archived")
            raise FetchFailure("error", msg, status, received=n) from e
        except ProtocolError as e:
            if not expired.is_set():
                raise FetchFailure("error", f"GET {url}: {self._short_body(resp, n, e)}", status, retry=True,
                                   received=n) from e
        except (Urllib3Error, OSError) as e:
            if not expired.is_set():
                msg = f"GET {url}: reading the body failed ({_reason(e)})"
                raise FetchFailure("error", msg, status, retry=True, received=n) from e
        finally:
            if timer is not None:
                timer.cancel()
        if expired.is_set():
            msg = (f"GET {url}: not finished within the {self.cfg.deadline:g} s deadline (harvest.deadline; "
                   f"{n} bytes received); not archived")
            raise FetchFailure("timeout", msg, status, received=n)
        expected = _content_length(resp)
        if expected is not None and not resp.headers.get("Content-Encoding") and resp.raw.tell() != expected:
            raise FetchFailure("error", f"GET {url}: {self._short_body(resp, n, None)}", status, retry=True,
                               received=n)
        return n

    @staticmethod
    def _short_body(resp: requests.Response, n: int, e: BaseException | None) -> str:
        expected = _content_length(resp)
        for arg in e.args if e else ():  # urllib3 reports the bytes it read in its last call
            if isinstance(arg, IncompleteRead) and isinstance(arg.partial, int):
                n = max(n, arg.partial)
        if expected is not None:
            return f"body truncated: Content-Length is {expected} bytes but only {n} arrived; not archived"
        return f"connection broken after {n} bytes ({_reason(e) if e else 'short read'}); not archived"

    def _check_status(self, url: str, resp: requests.Response) -> None:
        code = resp.status_code
        if code >= 500:
            raise FetchFailure(
                "http_error", f"GET {url}: HTTP {code} {resp.reason or ''}".rstrip(), code, retry=True
            )
        if code >= 300 or code < 200:
            raise FetchFailure("http_error", f"GET {url}: HTTP {code} {resp.reason or ''}".rstrip(), code)

    def get_page(self, url: str, headers: Mapping[str, str]) -> Page:
        """An HTML page for discovery; FetchFailure on any fault."""
        limit = min(self.cfg.max_bytes, PAGE_MAX_BYTES)

        def handle(resp: requests.Response) -> Page:
            self._check_status(url, resp)
            cl = _content_length(resp)
            if cl is not None and cl > limit:
                raise FetchFailure(
                    "too_large",
                    f"GET {url}: page is {cl} bytes, over the {limit} byte limit",
                    resp.status_code,
                )
            buf = bytearray()

            def write(chunk: bytes) -> None:
                buf.extend(chunk)
                if len(buf) > limit:
                    raise FetchFailure(
                        "too_large", f"GET {url}: page exceeds the {limit} byte limit", resp.status_code
                    )

            self._stream(url, resp, write)
            return Page(
                url=_final(resp, url),
                body=bytes(buf),
                content_type=resp.headers.get("Content-Type"),
                status=resp.status_code,
            )

        return self.request(url, headers, handle)

    def download(
        self,
        url: str,
        headers: Mapping[str, str],
        archive: Archive,
        prior: PriorFetch | None,
        record: FetchRecord,
    ) -> FetchRecord:
        """Fetch one attachment into the archive and fill `record` (outcome, sha256, ...).

        Never raises for a network or content fault: those become the record's outcome.
        """
        hdrs = dict(headers)
        conditional = prior is not None and archive.has(prior.sha256)
        if conditional and prior is not None:
            if prior.etag:
                hdrs["If-None-Match"] = prior.etag
            if prior.last_modified:
                hdrs["If-Modified-Since"] = prior.last_modified
        max_bytes = self.cfg.max_bytes

        def handle(resp: requests.Response) -> FetchRecord:
            record.http_status = resp.status_code
            record.content_type = resp.headers.get("Content-Type")
            record.etag = resp.headers.get("ETag")
            record.last_modified = resp.headers.get("Last-Modified")
            record.file_name = file_name(resp.headers.get("Content-Disposition"), _final(resp, url))
            if resp.status_code == 304 and conditional and prior is not None and prior.sha256:
                path = archive.path_for(prior.sha256)
                record.outcome = "unchanged"
                record.sha256 = prior.sha256
                record.bytes = path.stat().st_size
                record.archive_path = str(path)
                record.etag = record.etag or prior.etag
                record.last_modified = record.last_modified or prior.last_modified
                return record
            self._check_status(url, resp)
            cl = _content_length(resp)
            if cl is not None and cl > max_bytes:
                raise FetchFailure(
                    "too_large",
                    f"GET {url}: Content-Length {cl} bytes exceeds max_bytes {max_bytes}; not downloaded",
                    resp.status_code,
                )
            with archive.part() as part:
                sniffed = False

                def write(chunk: bytes) -> None:
                    nonlocal sniffed
                    part.write(chunk)
                    if part.size > max_bytes:
                        raise FetchFailure(
                            "too_large",
                            f"GET {url}: body exceeds max_bytes {max_bytes}; download stopped",
                            resp.status_code,
                        )
                    if not sniffed and len(part.head) >= min(SNIFF_BYTES, HEAD_BYTES):
                        sniffed = True
                        _not_pdf(url, part.head, resp.status_code)

                self._stream(url, resp, write)
                if not sniffed:
                    _not_pdf(url, part.head, resp.status_code)
                sha, path = part.commit()
            record.sha256 = sha
            record.bytes = path.stat().st_size
            record.archive_path = str(path)
            record.outcome = decide(prior, sha)
            return record

        try:
            return self.request(url, hdrs, handle)
        except FetchFailure as f:
            record.outcome = f.outcome  # type: ignore[assignment]
            record.error = f.message
            record.http_status = f.status
            record.bytes = f.received
            record.sha256 = record.archive_path = record.etag = record.last_modified = None
            return record
        finally:
            record.fetched_at = datetime.now(UTC)


def _not_pdf(url: str, head: bytes, status: int) -> None:
    reason = sniff(head)
    if reason:
        raise FetchFailure("not_pdf", f"GET {url}: {reason}; not archived", status)


def _content_length(resp: requests.Response) -> int | None:
    v = resp.headers.get("Content-Length")
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def _final(resp: requests.Response, fallback: str) -> str:
    return join(fallback, resp.url) or fallback
