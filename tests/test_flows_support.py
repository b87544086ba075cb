"""Helpers shared by the flow, CLI-run and serve tests (no tests here).

A warehouse snapshot is what "the same warehouse" means in these tests: row counts of every
table except the run bookkeeping (runs, fetches: one row per run and URL, so they differ by
design when a killed run was followed by a second one), the amounts per document, and the
documents' identity and status.
"""

from __future__ import annotations

import os
import shutil
import socket
import textwrap
from pathlib import Path
from typing import Any

import duckdb

from tests.fixtures.portal.portal_server import HTML_AS_PDF, KJJ, ZJJ, PortalServer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SUBSET = ["xj-smg-kjj-2025.pdf", "xj-smg-zjj-2025.pdf", "shanghai-putuo_qu-zhengfu-bgs_2025_yusuan_bumen.pdf"]
BOOKKEEPING = {"runs", "fetches"}
BROKEN = KJJ[:40_000]  # a truncated PDF served with a matching Content-Length: downloads fine, parses unreadable


def copy_subset(d: Path, names: list[str] = SUBSET) -> Path:
    """Sample PDFs (by default the three of SUBSET) in a local folder source."""
    for name in names:
        shutil.copy(SAMPLES / "corpus" / name, d / name)
    return d


def snapshot(db: Path) -> dict[str, Any]:
    """Row counts per table, amounts per document, documents' identity and status."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables if t not in BOOKKEEPING}
        amounts = dict(con.execute(
            "SELECT doc_id, round(sum(amount_yuan), 2) FROM line_amounts GROUP BY doc_id ORDER BY doc_id").fetchall())
        docs = con.execute("SELECT doc_id, sha256, source_url, status, unit, year, kind, parser_version, parsed_at_iso "
                           "FROM document_versions ORDER BY doc_id").fetchall()
    finally:
        con.close()
    return {"counts": counts, "amounts": amounts, "documents": docs}


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def write_config(path: Path, data_dir: Path, sources: list[dict], *, workers: int = 1,
                 dask_scheduler: str | None = None, cron: str = "0 2 * * *",
                 timezone: str = "Asia/Shanghai") -> Path:
    """A config.yaml for tests: fast harvest settings, the given sources and workers (one by
    default: beside the other pytest worker a second parse process buys no time, only its
    ~1.5 CPU-s of imports)."""
    lines = [f"data_dir: {data_dir}", "sources:"]
    for s in sources:
        lines.append(f"  - url: {s['url']}")
        if s.get("name"):
            lines.append(f"    name: {s['name']}")
        if s.get("region"):
            lines.append(f"    region: [{', '.join(s['region'])}]")
    lines += textwrap.dedent(f"""\
        harvest:
          connect_timeout: 2
          read_timeout: 2
          retries: 1
          backoff: 0.01
          rate_limit: 0
          per_host: 4
        schedule:
          cron: "{cron}"
          timezone: {timezone}
        concurrency:
          parse_workers: {workers}
          download_workers: 4
          dask_scheduler: {dask_scheduler or 'null'}
        """).splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def serve_portal(srv: PortalServer) -> dict[str, str]:
    """A column page → one article → two good PDFs, one truncated PDF, one HTML page named .pdf."""
    head = "<!DOCTYPE html><html><head><title>{}</title></head><body>"
    files = {"kjj": ("/czyjs/202501/kjj.pdf", KJJ), "zjj": ("/czyjs/202501/zjj.pdf", ZJJ),
             "broken": ("/czyjs/202501/broken.pdf", BROKEN), "html": ("/czyjs/202501/html.pdf", HTML_AS_PDF)}
    srv.page("/czyjs/index.html", head.format("财政预决算")
             + '<a href="202501/t20250101_1.html">水磨沟区2025年部门预算公开</a></body></html>')
    srv.page("/czyjs/202501/t20250101_1.html", head.format("水磨沟区2025年部门预算公开")
             + "".join(f'<a href="{p.rsplit("/", 1)[1]}">{k}</a> ' for k, (p, _) in files.items())
             + "</body></html>")
    for path, body in files.values():
        srv.pdf(path, body)
    return {k: srv.url(p) for k, (p, _) in files.items()} | {"column": srv.url("/czyjs/index.html")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a budget-etl subprocess: no proxies, no inherited Prefect settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PREFECT_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update(extra)
    return env

