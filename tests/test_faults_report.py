"""Issue 16, item 5 (and item 6's source_file end to end): a known-bad document that is still
served is listed in every run report and `budget-etl run` exits 1 each time, not only the
first. Real `budget-etl run` processes against a real HTTP server and one Prefect test server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.portal.portal_server import ZJJ, PortalServer, sha
from tests.test_flows_support import BROKEN, clean_env, query, write_config

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent / "budget-etl"


def run(cfg: Path, api_url: str) -> tuple[int, str]:
    p = subprocess.run([str(BIN), "run", "--config", str(cfg)], capture_output=True, text=True, timeout=300,
                       env=clean_env(PREFECT_API_URL=api_url, COLUMNS="200"))
    return p.returncode, p.stdout + p.stderr


def test_a_document_still_failing_is_reported_every_run(api_url: str, tmp_path: Path) -> None:
    with PortalServer() as srv:
        srv.pdf("/files/broken.pdf", BROKEN)
        srv.pdf("/files/财政局2025年单位预算.pdf", ZJJ)
        broken, good = srv.url("/files/broken.pdf"), srv.url("/files/财政局2025年单位预算.pdf")
        cfg = write_config(tmp_path / "config.yaml", tmp_path / "data",
                           [{"url": broken, "name": "bad-source"}, {"url": good, "name": "good-source"}])
        db = tmp_path / "data" / "warehouse.duckdb"

        code, out = run(cfg, api_url)
        assert code == 1, out
        assert f"{broken}: unreadable" in out
        assert "bad-source" in out  # the source's name is in the report

        code, out = run(cfg, api_url)
        assert code == 1, out  # it was exit 0 here: the broken file counted 'unchanged'
        assert f"{broken}: unreadable (still failing, first loaded " in out, out
        assert good not in out.split("failed", 1)[-1]  # the good document is not listed as failing
        assert len(srv.requests_for("/files/broken.pdf")) == 2

    runs = query(db, "SELECT status, counts->>'$.failed' FROM runs ORDER BY started_at")
    assert runs == [("failed_documents", "1"), ("failed_documents", "1")]
    names = dict(query(db, "SELECT doc_id, source_file FROM documents"))
    assert names == {sha(BROKEN)[:16]: "broken.pdf", sha(ZJJ)[:16]: "财政局2025年单位预算.pdf"}
