"""Prefect settings that must be in the environment before prefect is first imported.

Measured here: with no PREFECT_API_URL, Prefect 3.9 starts a temporary API server per flow
run (~10 s; the first start on a fresh PREFECT_HOME took ~26 s, past the default 20 s
startup timeout), and offline it logs telemetry errors unless analytics are off.
"""

from __future__ import annotations

import os
from pathlib import Path

from flows.config import Config


def configure_prefect(cfg: Config) -> None:
    """Point Prefect's state at <data_dir>/prefect and make the temporary server patient."""
    home = cfg.data_path / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    os.environ.setdefault("PREFECT_API_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{Path(home) / 'prefect.db'}")
    if cfg.prefect.api_url:
        os.environ.setdefault("PREFECT_API_URL", cfg.prefect.api_url)
