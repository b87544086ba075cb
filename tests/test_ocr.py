"""The OCR stage on real scans: a 长沙 基本支出 page rasterised at 300 dpi (scanned alone and
inside a document whose other page has a text layer), and a scanned non-budget report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parsers import parse_pdf
from parsers.ocr import PACKAGES
from parsers.pdf import sha256_file

OCR = Path(__file__).parent / "fixtures" / "ocr"
SCAN = OCR / "changsha_xinfangju_2026_p18_scan300.pdf"  # page 18 of the report, as a 300-dpi grey image
MIXED = OCR / "changsha_xinfangju_2026_p17text_p18scan.pdf"  # page 17 as printed, then that scan
NEGATIVE = OCR / "changsha_shichang-jianguan_2022_jixiao-pingjia_SCANNED_p1.pdf"  # a scanned 绩效评价


def rows(doc, kind: str) -> dict[str, dict]:
    t = next(t for t in doc.tables if t.kind == kind)
    return {r.code: r for r in t.rows}


@pytest.mark.slow
def test_scanned_page_is_ocrd_kept_and_parsed(tmp_path):
    doc = parse_pdf(SCAN, ocr=True, derived_dir=tmp_path)
    assert doc.status == "parsed", doc.errors
    assert doc.ocr is True and doc.ocr_pages == [1] and doc.ocr_confidence[1] > 80
    assert doc.source.sha256 == sha256_file(SCAN)  # the original stays the document's identity
    assert doc.document.unit == "长沙市信访局" and doc.document.year == 2026
    t = next(t for t in doc.tables if t.kind == "gpb_basic_by_econ")
    assert t.ocr is True and t.money_unit == "万元"
    assert t.total == {"total": 15179500.0, "personnel": 13949700.0, "public": 1229800.0}
    r = rows(doc, "gpb_basic_by_econ")
    assert r["301"].values == {"total": 12120100.0, "personnel": 12120100.0, "public": 0.0}
    assert r["30101"].name == "基本工资" and r["30101"].values["total"] == 2250800.0
    assert r["30108"].values["personnel"] == 955000.0
    assert r["302"].values == {"total": 1717800.0, "personnel": 488000.0, "public": 1229800.0}
    assert all(x.ocr and x.ocr_confidence and x.ocr_confidence > 0 for x in r.values())
    assert len(r) == 15
    # the derived copy is kept beside the archive, and a second parse reuses it
    derived, meta = tmp_path / f"{doc.source.sha256}.ocr.pdf", tmp_path / f"{doc.source.sha256}.ocr.json"
    assert derived.exists() and json.loads(meta.read_text(encoding="utf-8"))["pages"] == [1]
    before = derived.stat().st_mtime_ns
    again = parse_pdf(SCAN, ocr=True, derived_dir=tmp_path)
    assert derived.stat().st_mtime_ns == before
    assert again.model_dump(exclude={"seconds"}) == doc.model_dump(exclude={"seconds"})


@pytest.mark.slow
def test_mixed_document_ocrs_only_the_scanned_page(tmp_path):
    doc = parse_pdf(MIXED, ocr=True, derived_dir=tmp_path)
    assert doc.status == "parsed", doc.errors
    assert doc.ocr_pages == [2] and list(doc.ocr_confidence) == [2]
    printed = rows(doc, "gpb_expenditure_by_function")  # page 1: its own text layer
    assert printed and all(x.page == 1 and x.ocr is None for x in printed.values())
    assert printed["2014001"].values == {"total": 15179500.0, "basic": 15179500.0, "project": 0.0}  # 行政运行
    scanned = rows(doc, "gpb_basic_by_econ")
    assert all(x.page == 2 and x.ocr is True for x in scanned.values())
    assert scanned["30101"].values == {"total": 2250800.0, "personnel": 2250800.0, "public": 0.0}


def _no_ocr_tools_path(tmp_path: Path) -> str:
    """A PATH holding every directory of the real one except those with tesseract/ocrmypdf."""
    keep = [d for d in os.environ["PATH"].split(os.pathsep)
            if d and not (Path(d, "tesseract").exists() or Path(d, "ocrmypdf").exists())]
    return os.pathsep.join(keep + [str(tmp_path)])


def test_without_tesseract_the_status_stays_no_text_layer_and_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", _no_ocr_tools_path(tmp_path))
    doc = parse_pdf(SCAN, ocr=True, derived_dir=tmp_path)
    assert doc.status == "no_text_layer" and not doc.tables and not doc.ocr
    assert len(doc.errors) == 1 and SCAN.name in doc.errors[0] and PACKAGES in doc.errors[0]
    assert "scanned" in doc.errors[0] and not list(tmp_path.glob("*.ocr.pdf"))
    mixed = parse_pdf(MIXED, ocr=True, derived_dir=tmp_path)  # the text page is still read
    assert mixed.status == "parsed" and rows(mixed, "gpb_expenditure_by_function")
    assert any("pages [2]" in e and PACKAGES in e for e in mixed.errors)


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("BUDGET_ETL_OCR", "BUDGET_ETL_DERIVED_DIR")}
    code = "import sys; from flows.cli.main import app; sys.argv = ['budget-etl', *sys.argv[1:]]; app()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd,
                          env={**env, "PYTHONPATH": str(Path(__file__).parents[1])}, timeout=600)


@pytest.mark.slow
def test_cli_ocrs_by_default_and_no_ocr_or_config_turn_it_off(tmp_path):
    on = _cli(["parse", str(SCAN), "--data-dir", str(tmp_path / "data")], tmp_path)
    doc = json.loads(on.stdout)
    assert doc["status"] == "parsed" and doc["ocr"] is True, on.stderr[-500:]
    assert list((tmp_path / "data" / "derived").glob("*.ocr.pdf"))
    off = json.loads(_cli(["parse", str(SCAN), "--no-ocr"], tmp_path).stdout)
    assert off["status"] == "no_text_layer" and off["ocr"] is False and "--no-ocr" in off["errors"][0]
    (tmp_path / "config.yaml").write_text("parse:\n  ocr: false\n", encoding="utf-8")
    cfg = json.loads(_cli(["parse", str(SCAN), "--data-dir", str(tmp_path / "d2")], tmp_path).stdout)
    assert cfg["status"] == "no_text_layer" and "parse.ocr: false" in cfg["errors"][0]
    assert not (tmp_path / "d2" / "derived").exists() or not list((tmp_path / "d2" / "derived").iterdir())


@pytest.mark.slow
def test_scanned_non_budget_ends_not_a_budget_after_ocr(tmp_path):
    doc = parse_pdf(NEGATIVE, ocr=True, derived_dir=tmp_path)
    assert doc.status == "not_a_budget", doc.errors
    assert doc.ocr is True and doc.ocr_pages == [1] and not doc.tables
    assert NEGATIVE.name in doc.errors[0]
