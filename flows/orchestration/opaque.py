"""A value Prefect passes through without walking it.

Prefect visits every list, dict and dataclass among a task's or flow's inputs and results,
item by item, looking for futures and states. For a harvest's 1,000 fetch records and
the prior fetches of 1,000 URLs that walk cost ~3.4 s of a 7.5 s no-change night
(bench/nightly_nochange.py, cProfile); none of them can hold a future, so they travel
wrapped in this class, which Prefect treats as a leaf.
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Opaque(Generic[T]):
    """`Opaque(x).value is x`; not a dataclass or a collection, so Prefect does not descend into it."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __repr__(self) -> str:  # what a task-run name or a log line shows
        n = len(self.value) if hasattr(self.value, "__len__") else "?"  # type: ignore[arg-type]
        return f"Opaque({type(self.value).__name__} of {n})"
