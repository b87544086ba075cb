"""The run report on the terminal (rich), with the time a run spent outside its stages.

The report itself (RunReport, its markdown) is built by the orchestration in
flows/orchestration/runreport.py; this module only prints it."""

from __future__ import annotations

import time
from pathlib import Path

from flows.orchestration.runreport import COLUMNS, detail_lines, source_rows


def print_report(d: dict, warehouse: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"run {d['run_id']}")
    for col in ("source", *COLUMNS):
        table.add_column(col, justify="left" if col == "source" else "right")
    for src, *n in source_rows(d):
        table.add_row(src, *(str(x) for x in n))
    console.print(table)
    for line in detail_lines(d):
        console.print(line, highlight=False)
    outside = time_outside(d)
    if outside:
        console.print(f"time outside the pipeline's own work (interpreter and Prefect start-up, orchestration): "
                      f"{outside[0]:.1f}s of {outside[1]:.1f}s since the process started", highlight=False)
    for f in d["failures"]:
        console.print(f"[red]failed[/red] {f}", highlight=False)
    console.print(f"warehouse: {warehouse}", highlight=False)


def time_outside(d: dict) -> tuple[float, float] | None:
    """(seconds not spent in a stage, seconds since this process started): what Prefect's
    start-up and orchestration cost a run; None where the process start time is unknown."""
    try:
        import psutil

        wall = time.time() - psutil.Process().create_time()
    except Exception:  # noqa: BLE001 - an optional line of the report
        return None
    return max(wall - sum(d["stage_seconds"].values()), 0.0), wall
