"""How long does loading one report take, does it stay linear, and how big is the warehouse?

Real parsed documents (the PDFs of a folder, parsed once and cached as JSON under the work
directory) are scaled into N distinct documents: each copy gets its own sha256, source URL,
unit name (a numbered department) and year, so every load inserts new rows as a real night
would. For each size (default 100, 1,000 and 10,000) a fresh DuckDB file is loaded through
the pipeline's batch loader (warehouse.batch.load_documents, `--batch` documents a
transaction); printed: ms per report over the whole size and per fifth of it (linearity),
and the warehouse bytes per report after CHECKPOINT. `--baseline N` first loads N reports
with load_document, one transaction each, in the same run, for the ratio. CPU ms (all
threads) are printed too: on a shared machine they move less than the wall clock.

The row-insert loader this replaced (commit 56bb31d) is not kept callable; its figures are
quoted: 424 ms a report (docs/SCALE.md, 500 reports) and 370 ms a report measured with this
bench's previous version on samples/corpus, 100 reports, on 2026-12-01.

usage: python bench/load_speed.py [--sizes 100,1000,10000] [--batch 250] [--baseline 100]
                                  [--indexes] [--queries] [--work DIR] [PDF_DIR]
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

SLICES = 5  # each size is reported in this many equal slices
OLD_MS = 424.0  # the row-insert loader's ms a report (docs/SCALE.md)


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


def items(base: list, start: int, stop: int) -> list[dict]:
    return [{"doc": d, "source_url": f"http://bench.invalid/{d.source.sha256}.pdf"}
            for d in (variant(base[i % len(base)], i) for i in range(start, stop))]


def run_size(base: list, n: int, batch: int, db: Path, indexes: bool = False) -> dict:
    """Load n scaled reports into a fresh file; ms a report per slice and in all, bytes a report."""
    from warehouse import writer
    from warehouse.batch import load_documents

    db.unlink(missing_ok=True)
    slices, rows, failed, t_all, cpu = [], 0, 0, 0.0, 0.0
    with writer(db) as con:
        if indexes:  # the unique indexes of migration 009, which 010 replaced by the loader's key check
            con.execute((ROOT / "warehouse" / "migrations" / "009_keys.sql").read_text(encoding="utf-8"))
        con.execute("CHECKPOINT")
        size0 = db.stat().st_size
        step = max(n // SLICES, 1)
        for start in range(0, n, step):
            todo = items(base, start, min(start + step, n))  # built outside the clock
            t0, c0 = time.perf_counter(), time.process_time()
            for b in range(0, len(todo), batch):
                results = load_documents(con, todo[b:b + batch])
                rows += sum(r for r in results if isinstance(r, int))
                failed += sum(1 for r in results if not isinstance(r, int))
            dt = time.perf_counter() - t0
            t_all += dt
            cpu += time.process_time() - c0
            slices.append(1000 * dt / len(todo))
        con.execute("CHECKPOINT")
    size = db.stat().st_size
    return {"n": n, "ms": 1000 * t_all / n, "cpu_ms": 1000 * cpu / n, "slices": slices, "rows": rows, "failed": failed,
            "bytes": (size - size0) / n, "size": size, "empty": size0}


def run_one_each(base: list, n: int, db: Path) -> float:
    """ms a report with load_document: one transaction a document."""
    from warehouse import load_document, writer

    db.unlink(missing_ok=True)
    todo = items(base, 0, n)
    with writer(db) as con:
        t0 = time.perf_counter()
        for item in todo:
            load_document(con, **item)
        return 1000 * (time.perf_counter() - t0) / n


QUERIES = ["SELECT count(*) FROM unit_year_summary",
           "SELECT * FROM unit_year_summary WHERE unit = (SELECT min(unit) FROM units)",
           "SELECT count(*) FROM unit_comparison", "SELECT count(*) FROM category_comparison",
           "SELECT count(*) FROM unit_series_linked"]


def time_queries(db: Path) -> None:
    """CPU seconds (all threads) of each query on the loaded warehouse, read-only."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        for q in QUERIES:
            c = time.process_time()
            con.execute(q).fetchall()
            print(f"        {time.process_time() - c:6.2f} CPU s  {q}")
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf_dir", nargs="?", default=str(ROOT / "samples" / "corpus"))
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--batch", type=int, default=250)
    ap.add_argument("--baseline", type=int, default=100, help="reports loaded one transaction each (0: skip)")
    ap.add_argument("--work", default=None, help="directory for the JSON cache and the warehouses")
    ap.add_argument("--queries", action="store_true",
                    help="after each size, the CPU seconds of a few contract and research queries")
    ap.add_argument("--indexes", action="store_true",
                    help="create migration 009's unique indexes first (what they cost; 010 dropped them)")
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    work = Path(a.work or tempfile.mkdtemp(prefix="load-speed-"))
    base = real_documents(Path(a.pdf_dir), work / "parsed")
    lines = sum(len(r.values) for d in base for t in d.tables for r in t.rows) / len(base)
    print(f"{len(base)} real documents ({lines:.0f} budget lines each on average), {a.batch} a transaction; "
          f"work {work}")
    run_size(base, min(a.batch, 20), a.batch, work / "warmup.duckdb")  # imports, reference data, caches
    one = run_one_each(base, a.baseline, work / "one_each.duckdb") if a.baseline else None
    if one is not None:
        print(f"load_document, one transaction a report, {a.baseline} reports: {one:.1f} ms a report")
    results = []
    for n in (int(s) for s in a.sizes.split(",")):
        r = run_size(base, n, a.batch, work / f"warehouse_{n}.duckdb", indexes=a.indexes)
        results.append(r)
        print(f"{n:6d} reports: {r['ms']:6.1f} ms a report, {r['cpu_ms']:.1f} CPU ms (fifths: {', '.join(f'{s:.1f}' for s in r['slices'])}); "
              f"{r['rows']} budget lines, {r['failed']} failed; warehouse {r['size'] / 1e6:.1f} MB, "
              f"{r['bytes'] / 1e3:.1f} kB a report ({r['empty'] / 1e6:.1f} MB empty)")
        if a.queries:
            time_queries(work / f"warehouse_{n}.duckdb")
    last = results[-1]
    print(f"\nlinear: {last['n']} reports cost {last['ms'] / results[0]['ms']:.2f}× the ms a report of "
          f"{results[0]['n']}; batched vs the row-insert loader's {OLD_MS:.0f} ms (quoted, not re-run): "
          f"{OLD_MS / last['ms']:.0f}× faster" + (f"; vs one transaction a report in this run: "
                                                  f"{one / last['ms']:.1f}× faster" if one else ""))


if __name__ == "__main__":
    main()
