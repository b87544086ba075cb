"""The report tests' warehouse: real PDFs parsed and loaded through warehouse.load, archived as the
pipeline does (data_dir/raw/<sha256>.pdf). Built once per run under the root all test processes
share (tests/parse_cache.run_root), copied where a test changes it.

The PDFs: two years of 中共江苏省委办公厅 (a series; 2018 has /Rotate 90 pages), 上海普陀
人民政府办公室, the 支出总表 of 上海普陀司法局's 单位预算 (whose page misprints 行政运行's
项目支出 and rounds its 合计: four failed checks for the quality page), two 信访 bodies in
different regions (a category comparison), and 水磨沟区科学技术局 (staffing, targets).
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
PDFS = (
    ROOT / "samples/corpus/jiangsu_shengwei-bgt_2019_yusuan_tables.pdf",
    ROOT / "tests/fixtures/report/jiangsu_shengwei-bgt_2018_yusuan_tables.pdf",
    ROOT / "samples/corpus/shanghai-putuo_qu-zhengfu-bgs_2025_yusuan_bumen.pdf",
    ROOT / "tests/fixtures/real/changsha_xinfangju_2026_yusuan.pdf",
    ROOT / "tests/fixtures/real/central_guojia-xinfangju_2026_yusuan.pdf",
    ROOT / "samples/corpus/xj-smg-kjj-2025.pdf",
    ROOT / "tests/fixtures/report/shanghai-putuo_sifaju_2026_yusuan_danwei_p1_p11-12.pdf",
)
EXTRA = ROOT / "samples/corpus/suzhou_shenjiju_2026_yusuan.pdf"  # the "one new report" of the incremental test


@cache
def parsed(pdf: Path):
    from tests.parse_cache import cached_parse

    return cached_parse(pdf, ocr=False)


def add_document(data_dir: Path, pdf: Path) -> str:
    """Archive and load one PDF as the pipeline would; returns its doc_id."""
    from warehouse import connect, load_document
    from warehouse.load import doc_id_for

    doc = parsed(pdf)
    raw = data_dir / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, raw / f"{doc.source.sha256}.pdf")
    con = connect(data_dir / "warehouse.duckdb")
    try:
        load_document(con, doc, source_url=pdf.as_uri())
    finally:
        con.close()
    return doc_id_for(doc, pdf.as_uri())


@cache
def _base(root: str) -> Path:
    """Built by the first process of the run that asks (a file lock), read by the others."""
    data_dir = Path(root) / "data"
    with FileLock(f"{root}.lock"):
        if not (Path(root) / "data.done").exists():
            shutil.rmtree(data_dir, ignore_errors=True)
            for pdf in PDFS:
                add_document(data_dir, pdf)
            (Path(root) / "data.done").touch()
    return data_dir


def data_dir_copy(tmp: Path, base_root: Path) -> Path:
    """A private copy of the shared test data directory (warehouse + archive)."""
    target = tmp / "data"
    shutil.copytree(_base(str(base_root)), target)
    return target


def shared_data_dir(base_root: Path) -> Path:
    """The shared test data directory: read it, never change it."""
    return _base(str(base_root))


@cache
def shared_site(base_root: str) -> Path:
    """The site built once from the shared data directory."""
    from report.site import build_site

    data = _base(base_root)
    out = Path(base_root) / "site"
    with FileLock(f"{out}.lock"):
        if not (Path(base_root) / "site.done").exists():
            shutil.rmtree(out, ignore_errors=True)
            result = build_site(data / "warehouse.duckdb", data / "raw", out)
            assert not result.errors, result.errors
            (Path(base_root) / "site.done").touch()
    return out
