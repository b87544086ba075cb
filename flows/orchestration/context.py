"""What every flow of a run shares: how to rebuild the configuration in any process (flow
parameters are JSON) and which stages the run does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flows.config import Config, SourceConfig, load_config

STAGES = ("harvest", "parse", "load")


@dataclass
class RunContext:
    """What a flow needs to rebuild its configuration in any process (flow parameters are JSON)."""

    config: str | None
    data_dir: str | None
    extra_sources: list[str] = field(default_factory=list)
    workers: int | None = None

    def load(self) -> tuple[Config, list[SourceConfig]]:
        cfg = load_config(self.config, self.data_dir)
        if self.workers:
            cfg.concurrency.parse_workers = self.workers
        if self.extra_sources:
            sources = [SourceConfig(url=u) for u in self.extra_sources]
        else:
            sources = [s.model_copy() for s in cfg.sources]
        for s in sources:
            s.url = cfg.resolve_url(s.url)
        return cfg, sources


def normalise_stages(stages: Iterable[str] | None) -> list[str]:
    """Stages in pipeline order; None or 'all' means every stage."""
    wanted = {s.strip().lower() for x in (stages or ["all"]) for s in str(x).split(",") if s.strip()}
    if not wanted or "all" in wanted:
        return list(STAGES)
    unknown = wanted - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGES)} or all")
    return [s for s in STAGES if s in wanted]
