"""Exceptions the warehouse raises, with messages a person can act on."""

from __future__ import annotations


class WarehouseError(RuntimeError):
    """Base class: something about the warehouse file itself is wrong."""


class WarehouseBusy(WarehouseError):
    """Another process holds the DuckDB file lock (usually the nightly job writing)."""


class WarehouseOutdated(WarehouseError):
    """The file's schema is older than the code and a read-only connection cannot upgrade it."""


class LoadError(ValueError):
    """A document cannot be loaded as given (e.g. a non-finite amount); nothing was written."""
