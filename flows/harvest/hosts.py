"""Per-host politeness: at most N requests/second and M connections at once to one host.

Government portals ban crawlers that hammer them; the worker pool is global, so the limits have to
be enforced per host, across threads, for every request (page, attachment, retry, redirect hop).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class HostGate:
    """Thread-safe per-host rate limit (requests/second) and concurrency cap."""

    def __init__(self, rate: float, per_host: int) -> None:
        self.default_rate = rate
        self.per_host = max(1, per_host)
        self._lock = threading.Lock()
        self._rates: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    def set_rate(self, host: str, rate: float | None) -> None:
        """A source's own rate_limit; when two sources share a host the slower one wins."""
        if rate is None:
            return
        with self._lock:
            old = self._rates.get(host)
            if old is None or (rate > 0 and (old <= 0 or rate < old)):
                self._rates[host] = rate

    def _rate(self, host: str) -> float:
        return self._rates.get(host, self.default_rate)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of the host's connections; waits for a free slot, then for the rate limit."""
        if not host:  # local files: no politeness needed
            yield
            return
        with self._lock:
            sem = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with sem:
            rate = self._rate(host)
            if rate > 0:
                with self._lock:
                    now = time.monotonic()
                    start = max(now, self._next.get(host, 0.0))
                    self._next[host] = start + 1.0 / rate
                if start > now:
                    time.sleep(start - now)
            yield
