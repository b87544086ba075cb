"""The `budget-etl` command line (typer, flows/cli/main.py): a thin layer over the stages.

`flows.cli:app` (the entry point before the layout by stage) still resolves, on first use,
so an installed console script from an older checkout keeps working until it is reinstalled.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(f"module 'flows.cli' has no attribute {name!r}")
    from flows.cli.main import app

    return app
