"""How long does loading one report take, does it stay linear, and how big is the warehouse?

Real parsed documents (the PDFs of a folder, parsed once and cached as JSON under the work
directory) are scaled into N distinct documents: each copy gets its own sha256, source URL,
unit name (a numbered department) and year, so every load inserts new rows as a real night
would. They are loaded into a fresh DuckDB file through the pipeline's loader, in batches
of `--batch` documents per transaction (warehouse.load_documents; 1 = one transaction a
document, as before). Prints ms per report for every slice of the run (linearity), the
total, and the warehouse bytes per report after CHECKPOINT.

usage: python bench/load_speed.py [--n 10000] [--batch 50] [--work DIR] [PDF_DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLICES = 5  # the run is reported in this many equal slices


def real_documents(pdf_dir: Path, cache: Path) -> list:
    """Parsed documents of every PDF in the folder that has tables (cached by file sha256)."""
    from parsers.document import Document
    from parsers.parse import parse_pdf
    from parsers.pdf import sha256_file

    cache.mkdir(parents=True, exist_ok=True)
    docs = []
    for pdf in sorted(pdf_dir.glob("*.pdf")):
        f = cache / f"{sha256_file(pdf)}.json"
        if not f.exists():
            f.write_text(parse_pdf(pdf).to_json(), encoding="utf-8")
        doc = Document.model_validate_json(f.read_text(encoding="utf-8"))
        if doc.tables:
            docs.append(doc)
    return docs


def variant(doc, i: int):
    """Copy i of a real document: another department of the same government, another year."""
    d = doc.model_copy(deep=True)
    d.source.sha256 = hashlib.sha256(f"{doc.source.sha256}:{i}".encode()).hexdigest()
    d.source.file = f"{d.source.sha256}.pdf"
    if d.document.unit:
        d.document.unit = f"{d.document.unit}第{i // 10}分局"
    if d.document.year:
        d.document.year = d.document.year - i % 10
    return d


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf_dir", nargs="?", default=str(ROOT / "samples" / "corpus"))
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--work", default=None, help="directory for the JSON cache and the warehouse")
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    from warehouse import writer
    from warehouse.batch import load_documents

    work = Path(a.work or tempfile.mkdtemp(prefix="load-speed-"))
    base = real_documents(Path(a.pdf_dir), work / "parsed")
    db = work / "warehouse.duckdb"
    db.unlink(missing_ok=True)
    rows = 0
    with writer(db) as con:
        size0 = db.stat().st_size
        step = max(a.n // SLICES, 1)
        print(f"{len(base)} real documents scaled to {a.n}, {a.batch} a transaction; warehouse {db}")
        t_all = 0.0
        for start in range(0, a.n, step):
            docs = [variant(base[i % len(base)], i) for i in range(start, min(start + step, a.n))]
            items = [dict(doc=d, source_url=f"http://bench.invalid/{d.source.sha256}.pdf") for d in docs]
            t0 = time.perf_counter()
            for b in range(0, len(items), a.batch):
                results = load_documents(con, items[b:b + a.batch])
                rows += sum(r for r in results if isinstance(r, int))
            dt = time.perf_counter() - t0
            t_all += dt
            print(f"  reports {start + 1:6d}-{start + len(docs):6d}: {1000 * dt / len(docs):6.1f} ms a report")
        con.execute("CHECKPOINT")
    size = db.stat().st_size
    print(f"\n{a.n} reports, {rows} budget lines: {t_all:.1f}s, {1000 * t_all / a.n:.1f} ms a report; "
          f"warehouse {size / 1e6:.1f} MB ({(size - size0) / a.n / 1e3:.1f} kB a report, "
          f"{size0 / 1e6:.1f} MB empty with reference data)")


if __name__ == "__main__":
    main()
