"""One parse of a fixture PDF per test run, shared by the pytest-xdist workers.

For tests that need a parsed document but do not test the parse itself (warehouse, report,
comparison fixtures): the first worker to ask parses and writes the document's JSON under the
run's temporary root (tests/conftest.py sets PARSES_ENV), the others read it back, as the
pipeline's own parse cache does. Keyed by the file's sha256, parsers.PARSER_VERSION and the
OCR flag; the directory lives only as long as the run's temp dirs, so a parser change is
always seen by the next run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from parsers.document import PARSER_VERSION, Document

PARSES_ENV = "BUDGET_ETL_TEST_PARSES"


def run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary root all of this run's processes share (each xdist worker's basetemp is
    a folder in the controller's): where fixtures built once per run live."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def cached_parse(pdf: Path, *, ocr: bool | None = None) -> Document:
    """parse_pdf(pdf, ocr=ocr), parsed once per run across workers."""
    from parsers.parse import parse_pdf
    from parsers.pdf import sha256_file

    root = os.environ.get(PARSES_ENV)
    if not root:
        return parse_pdf(pdf, ocr=ocr)
    Path(root).mkdir(parents=True, exist_ok=True)
    path = Path(root) / f"{sha256_file(pdf)}.{PARSER_VERSION}.{ocr}.json"
    with FileLock(f"{path}.lock"):
        if path.exists():
            return Document.model_validate_json(path.read_text(encoding="utf-8"))
        doc = parse_pdf(pdf, ocr=ocr)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(doc.to_json(indent=None), encoding="utf-8")
        tmp.replace(path)
        return doc


def shared_copy(name: str, dest: Path, build: Callable[[Path], None]) -> Path:
    """build(path) once per run across workers, then a copy at dest for each caller: for
    fixture files (a loaded warehouse) whose building is the slow part and that every test
    may then change as it likes."""
    root = os.environ.get(PARSES_ENV)
    if not root:
        build(dest)
        return dest
    Path(root).mkdir(parents=True, exist_ok=True)
    src = Path(root) / f"{name}.{PARSER_VERSION}"
    with FileLock(f"{src}.lock"):
        if not src.exists():
            tmp = src.with_name(f"{src.name}.tmp")
            tmp.unlink(missing_ok=True)
            build(tmp)
            tmp.replace(src)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest
