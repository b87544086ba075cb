"""`budget-etl serve`: the nightly flow on its cron schedule, with Prefect's own serving."""

from __future__ import annotations

from pathlib import Path

from flows.config import Config


def serve_nightly(cfg: Config, config_path: Path | None) -> int:
    from flows.prefect_env import configure_prefect

    configure_prefect(cfg)
    from flows.nightly import nightly

    nightly.serve(name="budget-etl-nightly", cron=cfg.schedule.cron,
                  parameters={"config": str(config_path) if config_path else None, "data_dir": str(cfg.data_path)})
    return 0
