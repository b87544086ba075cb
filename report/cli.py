"""The `report` and `show` commands, registered on the main `budget-etl` app by flows/cli/main.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="config.yaml (default: ./config.yaml)")]
DataDirOpt = Annotated[Path | None, typer.Option("--data-dir", "-d", help="overrides data_dir of the config")]


def _cfg(config: Path | None, data_dir: Path | None):
    from flows.config import load_config

    try:
        return load_config(config, data_dir)
    except (FileNotFoundError, ValueError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from e


def report(out_dir: Path,
           unit: Annotated[list[str] | None, typer.Option(help="only units whose name contains this (repeatable)")] = None,
           region: Annotated[list[str] | None, typer.Option(help="only regions containing this (repeatable)")] = None,
           year: Annotated[list[int] | None, typer.Option(help="only this year (repeatable)")] = None,
           workers: Annotated[int, typer.Option(help="processes drawing charts and page images")] = 2,
           config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Write the static HTML site (index, units, comparisons, quality) to OUT_DIR; print its index."""
    cfg = _cfg(config, data_dir)
    from report.data import Filters
    from report.site import build_site
    from warehouse.errors import WarehouseError

    try:
        result = build_site(cfg.warehouse_path, cfg.raw_dir, out_dir, Filters(unit or [], region or [], year or []),
                            workers=workers)
    except (WarehouseError, FileNotFoundError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    for err in result.errors:
        typer.echo(f"not drawn: {err}", err=True)
    typer.echo(f"{result.pages} pages ({len(result.rendered)} drawn), {result.images} page images "
               f"({result.images_rendered} drawn), {result.removed} removed in {result.seconds:.1f}s")
    typer.echo(str(result.index.resolve()))
    raise typer.Exit(1 if result.errors else 0)


def show(doc_id: str, page: Annotated[int, typer.Option("--page", "-p", help="page number, from 1")],
         code: Annotated[str | None, typer.Option(help="box the row of this code (or any text on the page)")] = None,
         out: Annotated[Path | None, typer.Option("--out", "-o", help="PNG to write (default DOC_ID-pN.png)")] = None,
         config: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Write one page of an archived PDF as PNG, with the row of --code boxed."""
    cfg = _cfg(config, data_dir)
    from report.show import ShowError, show_page
    from warehouse.errors import WarehouseError

    target = out or Path(f"{doc_id}-p{page}.png")
    try:
        boxed = show_page(cfg.warehouse_path, cfg.raw_dir, doc_id, page, code, target)
    except (ShowError, WarehouseError, FileNotFoundError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    if code and not boxed:
        typer.echo(f"{doc_id} page {page}: {code!r} not found on the page; wrote it without a box: {target}", err=True)
        raise typer.Exit(1)
    typer.echo(str(target))


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.command()(show)
