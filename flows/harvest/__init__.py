"""Harvest stage: find budget PDFs on portals (or in local dirs) and archive them by sha256.

    records = harvest(cfg.sources, cfg.harvest, cfg.raw_dir, prior={url: PriorFetch(...)})

Each FetchRecord says what happened to one URL; nothing here raises for a bad source.
"""

from flows.harvest.meta import guess_meta
from flows.harvest.records import OUTCOMES, FetchRecord, HarvestEvent, Outcome, PriorFetch
from flows.harvest.run import harvest

__all__ = ["OUTCOMES", "FetchRecord", "HarvestEvent", "Outcome", "PriorFetch", "guess_meta", "harvest"]
