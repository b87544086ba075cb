"""The `budget-etl` command: parse, run, serve, sql, export, compare, inspect.

Every command takes --config and --data-dir (the latter overrides the config's data_dir).
Exit codes of `run`: 0 all good, 1 some documents failed, 2 the run itself failed,
3 another run holds the warehouse's lock.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Harvest budget disclosures, parse their tables, load a DuckDB warehouse.")

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="config.yaml (default: ./config.yaml)")]
DataDirOpt = Annotated[Path | None, typer.Option("--data-dir", "-d", help="overrides data_dir of the config")]


def _cfg(config: Path | None, data_dir: Path | None):
    from flows.config import ConfigError, load_config

    try:
        cfg = load_config(config, data_dir)
    except (FileNotFoundError, ConfigError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from e
    # parse workers (spawned processes) read these (parsers/ocr.py): OCR runs unless the config
    # or an exported BUDGET_ETL_OCR=0 turns it off; OCR'd copies go to <data_dir>/derived
    if not cfg.parse.ocr:
        os.environ["BUDGET_ETL_OCR"] = "0"
    os.environ["BUDGET_ETL_DERIVED_DIR"] = str(cfg.data_path / "derived")
    return cfg


@app.command()
def parse(pdf: Path, out: Annotated[Path | None, typer.Option("--out", "-o", help="write the JSON here")] = None,
          config: ConfigOpt = None, data_dir: DataDirOpt = None,
          no_ocr: Annotated[bool, typer.Option("--no-ocr", help="do not OCR scanned pages "
                                               "(config parse.ocr: false does the same)")] = False) -> None:
    """Print the canonical document JSON of one PDF (no Prefect, no warehouse)."""
    _cfg(config, data_dir)
    from parsers.parse import parse_pdf

    if not pdf.exists():
        typer.echo(f"no such file: {pdf}", err=True)
        raise typer.Exit(2)
    doc = parse_pdf(pdf, ocr=False if no_ocr else None)
    text = doc.to_json()
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


@app.command()
def run(config: ConfigOpt = None, data_dir: DataDirOpt = None,
        source: Annotated[list[str] | None, typer.Option("--source", "-s", help="harvest this URL or path "
                                                          "instead of the config's sources (repeatable)")] = None,
        workers: Annotated[int | None, typer.Option(help="parse workers (default: config)")] = None,
        stage: Annotated[list[str] | None, typer.Option("--stage", help="run only this stage: harvest, parse "
                                                        "or load (repeatable; default: all three)")] = None) -> None:
    """Run the nightly flow once (or only some stages): harvest, parse, load; print what it did."""
    cfg = _cfg(config, data_dir)
    from flows.cli.report import print_report
    from flows.orchestration.prefect_env import configure_prefect
    from flows.orchestration.runlock import RunLocked, run_lock
    from flows.orchestration.tempserver import start_temporary_api

    configure_prefect(cfg)
    try:
        with run_lock(cfg.data_path):  # before the API server starts: a refused run costs nothing
            t0 = time.perf_counter()
            started = start_temporary_api()  # one that dies with this process (flows/orchestration/tempserver.py)
            server_seconds = time.perf_counter() - t0 if started else None
            from flows.orchestration.nightly import nightly

            report = nightly(config=str(config) if config else None, data_dir=str(cfg.data_path),
                             sources=[str(Path(s).resolve()) if "://" not in s else s for s in (source or [])],
                             workers=workers, stages=stage)
    except RunLocked as e:
        typer.echo(f"not started: {e}", err=True)
        raise typer.Exit(3) from e
    except Exception as e:
        typer.echo(f"the run failed: {type(e).__name__}: {e}", err=True)
        raise typer.Exit(2) from e
    print_report(report, cfg.warehouse_path, server_seconds)
    raise typer.Exit(1 if report["counts"]["failed"] else 0)


@app.command()
def serve(config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Run the nightly flow on the config's cron schedule with Prefect's own serving."""
    cfg = _cfg(config, data_dir)
    from flows.orchestration.serve import serve_nightly

    raise typer.Exit(serve_nightly(cfg, config))


@app.command()
def sql(query: str, fmt: Annotated[str, typer.Option("--format", "-f", help="table|csv|json|markdown")] = "table",
        config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Run a read-only SQL query against the warehouse."""
    cfg = _cfg(config, data_dir)
    from warehouse.errors import WarehouseError
    from warehouse.query import run_sql

    try:
        sys.stdout.write(run_sql(cfg.warehouse_path, query, fmt) + "\n")
    except (WarehouseError, ValueError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    except Exception as e:  # SQL errors from DuckDB: say them plainly
        typer.echo(f"{type(e).__name__}: {e}", err=True)
        raise typer.Exit(1) from e


@app.command()
def export(out_dir: Path, fmt: Annotated[str, typer.Option("--format", "-f", help="parquet|csv")] = "parquet",
           config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Write every view and fact table (Parquet, one file per year; or CSV). Exit 1 with one
    line on a missing warehouse, an unknown format or an unwritable directory."""
    cfg = _cfg(config, data_dir)
    from warehouse.errors import WarehouseError
    from warehouse.query import export as do_export

    try:
        paths = do_export(cfg.warehouse_path, out_dir, fmt)
    except (WarehouseError, ValueError, OSError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    typer.echo(f"wrote {len(paths)} relations to {out_dir}")


@app.command()
def compare(year: Annotated[int, typer.Option(help="budget year")],
            code: Annotated[str, typer.Option(help="classification code, e.g. 2080505")],
            region: Annotated[str | None, typer.Option(help="only units whose region path contains this")] = None,
            kind: Annotated[str, typer.Option(help="budget|final_accounts")] = "budget",
            category: Annotated[str | None, typer.Option(help="only one kind of body, e.g. 信访")] = None,
            sort: Annotated[str, typer.Option(help="amount|share|per_head")] = "amount",
            fmt: Annotated[str, typer.Option("--format", "-f", help="table|csv|json|markdown")] = "table",
            config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Compare units for one code and year: amount, share of the unit's total, per head, rank.
    Exit codes: 1 no warehouse or a bad option, 3 no such year, 4 no such code, 5 no unit in the
    region, 6 none in the category."""
    cfg = _cfg(config, data_dir)
    from warehouse.errors import WarehouseError
    from warehouse.formats import FORMATS, render
    from warehouse.query import CompareError
    from warehouse.query import compare as do_compare

    if fmt not in FORMATS:
        typer.echo(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(1)
    try:
        rows = do_compare(cfg.warehouse_path, year, code, region, kind=kind, category=category, sort=sort)
    except CompareError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1 if e.exit_code == 2 else e.exit_code) from e
    except (WarehouseError, FileNotFoundError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    cols = ["rank", "unit", "region", "category", "amount", "share", "per_head", "unit_total_expenditure"]
    sys.stdout.write(render(cols, [[r[c] for c in cols] for r in rows], fmt))


@app.command()
def inspect(directory: Path, workers: Annotated[int, typer.Option(help="parallel parses")] = 1,
            config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Corpus report: per PDF, status, tables by kind, rows, checks, seconds; and a total line."""
    _cfg(config, data_dir)
    from flows.cli.inspect import inspect_dir

    raise typer.Exit(inspect_dir(directory, workers))


from report.cli import register as _register_report  # noqa: E402  (report, show)

_register_report(app)


if __name__ == "__main__":
    app()
