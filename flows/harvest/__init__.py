"""Harvest stage: find budget PDFs on portals (or in local dirs) and archive them by sha256.

    records = harvest(cfg.sources, cfg.harvest, cfg.raw_dir, prior={url: PriorFetch(...)})

Each FetchRecord says what happened to one URL; nothing here raises for a bad source.
The names below load on first use, so reading the config (flows.harvest.config) does not
import the downloader and its HTTP stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flows.harvest.meta import guess_meta
    from flows.harvest.records import OUTCOMES, FetchRecord, HarvestEvent, Outcome, PriorFetch
    from flows.harvest.run import harvest

_WHERE = {"guess_meta": "meta", "harvest": "run", **dict.fromkeys(
    ("OUTCOMES", "FetchRecord", "HarvestEvent", "Outcome", "PriorFetch"), "records")}

__all__ = ["OUTCOMES", "FetchRecord", "HarvestEvent", "Outcome", "PriorFetch", "guess_meta", "harvest"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'flows.harvest' has no attribute {name!r}")
    return getattr(import_module(f"flows.harvest.{_WHERE[name]}"), name)
