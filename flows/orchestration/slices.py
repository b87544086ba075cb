"""Work in slices small enough to be a flow run's parameters.

Prefect sends a flow run's parameters to its API as JSON and the API refuses more than
524,288 bytes (measured: the 1,000 work items of a first harvest are ~550 kB, and the run
failed with HTTP 422 before parsing anything). The parse and load subflows are therefore
called once per slice whose items stay well under that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any, TypeVar

T = TypeVar("T")

# JSON bytes of work items per subflow call. The load flow also receives each item's parse
# result (~60% of an item's size), so this keeps its parameters under half the API's limit.
PARAM_BUDGET = 150_000


def json_size(item: Any) -> int:
    """Bytes of the item as Prefect serialises a dataclass parameter (near enough)."""
    return len(json.dumps(asdict(item), default=str, ensure_ascii=False).encode())


def slices(items: Iterable[T], budget: int | None = None) -> Iterator[list[T]]:
    """Consecutive slices of `items`, each under `budget` JSON bytes (at least one item each)."""
    limit = PARAM_BUDGET if budget is None else budget
    batch: list[T] = []
    size = 0
    for item in items:
        n = json_size(item)
        if batch and size + n > limit:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += n
    if batch:
        yield batch
