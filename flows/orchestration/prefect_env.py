"""Prefect settings that must be in the environment before prefect is first imported.

Measured here: with no PREFECT_API_URL, Prefect 3.9 starts a temporary API server per flow
run (~5-10 s; the first start on a fresh PREFECT_HOME took ~26 s, past the default 20 s
startup timeout), and offline it logs telemetry errors unless analytics are off.

Which API a run talks to, first match wins: PREFECT_API_URL in the environment (with
PREFECT_API_KEY for Prefect Cloud); prefect.api_url in config.yaml; the local server of a
`budget-etl serve` running on the same data directory (so a manual run shows up in the same
UI instead of opening the same SQLite file from a second, temporary server); else a temporary
server whose state also lives in <data_dir>/prefect: for `budget-etl run` the one of
flows/orchestration/tempserver.py, which dies with the run even on kill -9 (Prefect's own would outlive it).
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

from flows.config import Config


def configure_prefect(cfg: Config, *, use_served: bool = True) -> None:
    """Point Prefect's state at <data_dir>/prefect and choose the API (see the module doc)."""
    home = cfg.data_path / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    os.environ.setdefault("PREFECT_API_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{Path(home) / 'prefect.db'}")
    if cfg.prefect.api_url:
        os.environ.setdefault("PREFECT_API_URL", cfg.prefect.api_url)
    elif use_served and not os.environ.get("PREFECT_API_URL"):
        url = served_api_url(home)
        if url:
            os.environ["PREFECT_API_URL"] = url


def served_api_url(home: Path) -> str | None:
    """The API of a `budget-etl serve` running on this data directory, if it answers."""
    try:
        state = json.loads((home / "serve.json").read_text(encoding="utf-8"))
        url = str(state["api_url"])
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return url if r.status == 200 else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
