"""The run report on the terminal (rich), with the time a run spent outside its stages.

The report itself (RunReport, its markdown) is built by the orchestration in
flows/orchestration/runreport.py; this module only prints it."""

from __future__ import annotations

import time
from pathlib import Path

from flows.orchestration.runreport import COLUMNS, detail_lines, source_rows


def print_report(d: dict, warehouse: Path, server_seconds: float | None = None) -> None:
    """The run report on stdout; `server_seconds`: what starting the run's own Prefect server took."""
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
    line = outside_line(time_outside(d), server_seconds)
    if line:
        console.print(line, highlight=False)
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


def outside_line(outside: tuple[float, float] | None, server_seconds: float | None) -> str | None:
    """'time outside the pipeline's own work: …' with the Prefect server's start-up apart."""
    if not outside:
        return None
    rest = outside[0] - (server_seconds or 0.0)
    parts = ([f"Prefect server start {server_seconds:.1f}s"] if server_seconds is not None else []) + [
        f"interpreter, imports and flow bookkeeping {max(rest, 0.0):.1f}s"]
    return (f"time outside the pipeline's own work: {outside[0]:.1f}s of {outside[1]:.1f}s since the process "
            f"started ({', '.join(parts)})")
