"""Rows of one big table kept as tuples, turned into Arrow columns once per batch.

The two big per-document tables (line_amounts ~540 rows a report, quality_checks ~260) are
built this way: a line row's own fields are one tuple however many measures it has (Arrow
repeats it, in C++), its measures and amounts go to two plain lists, and Arrow builds each
column from one list; a dict a row and Arrow's walk over those dicts were ~40 % of a bulk
load's CPU.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa


class Columns:
    """One table's rows: `names` per row tuple, each repeated `times`, then the `extra`
    columns with one value per repeated row."""

    __slots__ = ("names", "types", "base", "counts", "extra")

    def __init__(self, names: Sequence[str], extra: Sequence[str] = (),
                 types: Sequence[pa.DataType] | None = None) -> None:
        self.names = tuple(names)
        self.types = tuple(types) if types else None  # Arrow types of `names`: 4x faster than inferring
        self.base: list[Sequence[Any]] = []
        self.counts: list[int] = []
        self.extra: dict[str, list[Any]] = {n: [] for n in extra}

    def __len__(self) -> int:
        return sum(self.counts)

    def add(self, values: Sequence[Any], times: int = 1) -> None:
        """One row's values of `names`, standing for `times` rows (see put)."""
        self.base.append(values)
        self.counts.append(times)

    def put(self, name: str, values: Iterable[Any]) -> None:
        """Extend an extra column (the values that differ within a repeated row)."""
        self.extra[name].extend(values)

    def extend(self, other: Columns) -> None:
        self.base.extend(other.base)
        self.counts.extend(other.counts)
        for name, col in self.extra.items():
            col.extend(other.extra[name])

    def arrow(self) -> pa.Table:
        data = self._typed() if self.types and self.base else None
        if data is None:  # no types, or a value of another type: let Arrow infer each column
            cols = list(zip(*self.base, strict=True)) if self.base else [() for _ in self.names]
            data = pa.table({n: pa.array(c) for n, c in zip(self.names, cols, strict=True)})
        if any(c != 1 for c in self.counts):
            data = data.take(pa.array(np.repeat(np.arange(len(self.counts)), self.counts)))
        for name, col in self.extra.items():
            data = data.append_column(name, pa.array(col))
        return data

    def _typed(self) -> pa.Table | None:
        kind = pa.struct(list(zip(self.names, self.types or (), strict=True)))
        try:
            return pa.Table.from_struct_array(pa.array(self.base, type=kind))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
            return None

    def rows(self) -> list[dict[str, Any]]:
        """As row dicts (for tests and small callers)."""
        return self.arrow().to_pylist()


def merged(parts: Sequence[Columns | list[dict[str, Any]]]) -> Columns | list[dict[str, Any]]:
    """One table's rows of a batch of documents, in document order."""
    if parts and isinstance(parts[0], Columns):
        out = Columns(parts[0].names, list(parts[0].extra), parts[0].types)
        for p in parts:
            out.extend(p)  # type: ignore[arg-type]
        return out
    return [r for p in parts for r in p]  # type: ignore[union-attr]
