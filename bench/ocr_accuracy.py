"""How well the OCR stage reads scans of known content: real reports, rasterised and OCR'd.

For each selected report the table pages are cut out, parsed as printed (the reference),
rasterised (pdftoppm -gray at each dpi), put back into a PDF (img2pdf, at that dpi), and
parsed through the OCR stage. Per dpi it prints:

- rows right: the reference's code rows (page, code) found on the same page with all their
  amounts equal, over all reference code rows (page-line recall);
- wrong rows flagged: of the rows not right (missing or with another amount), the share a
  failed check points at: a failed check on that page naming the row's code or one of its
  parents (parent = sum of children catches a wrong child), a failed check of the row's
  table on that page that names no code (table totals, text-layer verification), or an
  "ocr confidence" check on the row;
- seconds a page: wall time of the OCR'd parse; OCR CPU: user+sys of the OCR stage, its own
  work (image, rules, text layer) and Tesseract's (children), as parsers/ocr.py records it in
  the derived .ocr.json; parse CPU: the rest of the parse (this process); all per page.

    .venv/bin/python bench/ocr_accuracy.py                       # the default selection
    .venv/bin/python bench/ocr_accuracy.py --report changsha_xinfangju_2026_yusuan.pdf:18,19 --dpi 300
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium  # noqa: E402

from parsers.document import Document  # noqa: E402
from parsers.parse import parse_pdf  # noqa: E402

CORPUS = Path("/work/shared/corpus/real")
# one report per template family; pages: the N pages with most code rows (unless given)
DEFAULT = ["jiangsu_gaoyuan_2017_yusuan.pdf", "shanghai-putuo_wanli-jiedao_2024_yusuan_bumen.pdf",
           "central_guojia-xinfangju_2026_yusuan.pdf", "changsha_xinfangju_2026_yusuan.pdf",
           "shenzhen_caizhengju_2026_yusuan.pdf", "suzhou_shenjiju_2026_yusuan.pdf"]
CODE = re.compile(r"(?<!\d)(\d{3}|\d{5}|\d{7})(?!\d)")


def subset(src: Path, pages: list[int], out: Path) -> None:
    doc, new = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
    new.import_pages(doc, [p - 1 for p in pages])
    new.save(str(out))
    doc.close()
    new.close()


def scan(src: Path, dpi: int, out: Path, tmp: Path) -> None:
    prefix = tmp / f"page{dpi}"
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(src), str(prefix)], check=True)
    images = sorted(tmp.glob(f"page{dpi}-*.pgm"))
    subprocess.run(["img2pdf", "-s", f"{dpi}dpix{dpi}dpi", *map(str, images), "-o", str(out)],
                   check=True, capture_output=True)
    for im in images:
        im.unlink()


def table_name(t) -> str:
    return f"{t.kind} ({t.label or t.title})"  # as checks name it (parsers/checks.py)


def code_rows(doc: Document) -> dict[tuple[int, str], list[dict]]:
    rows: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for t in doc.tables:
        for r in t.rows:
            if r.code and r.page:
                rows[(r.page, r.code)].append({"values": r.values, "table": table_name(t)})
    return rows


def top_pages(doc: Document, n: int) -> list[int]:
    """The n pages where a table starts (its title is there, so the page reads on its own)
    with the most code rows."""
    count: dict[int, int] = defaultdict(int)
    for t in doc.tables:
        if t.pages:
            count[t.pages[0]] += sum(1 for r in t.rows if r.code and r.page == t.pages[0])
    return sorted(sorted((p for p in count if count[p]), key=lambda p: -count[p])[:n])


def flagged(doc: Document, page: int, code: str, tables: set[str]) -> bool:
    pages_of = {table_name(t): set(t.pages) for t in doc.tables}
    family = {code[:3], code[:5], code}
    for c in doc.checks:
        if c.passed:
            continue
        on_page = c.page == page if c.page is not None else page in pages_of.get(c.table, set())
        if not on_page:
            continue
        named = set(CODE.findall(c.detail))
        if named & family or (not named and c.table in tables):
            return True
    return False


def measure(ref: Document, ocr: Document) -> tuple[int, int, int, int]:
    """(reference rows, right, wrong, wrong and flagged)"""
    want, got = code_rows(ref), code_rows(ocr)
    right = wrong = caught = 0
    for key, rows in want.items():
        for row in rows:
            if any(g["values"] == row["values"] for g in got.get(key, [])):
                right += 1
                continue
            wrong += 1
            tables = {g["table"] for g in got.get(key, [])} or {table_name(t) for t in ocr.tables
                                                                  if key[0] in t.pages}
            caught += flagged(ocr, key[0], key[1], tables)
    return sum(len(v) for v in want.values()), right, wrong, caught


def ocr_seconds(derived: Path, sha256: str) -> float:
    """CPU seconds the OCR stage spent on the file (its own and Tesseract's), as it recorded them."""
    meta = json.loads((derived / f"{sha256}.ocr.json").read_text(encoding="utf-8"))
    return float(meta["cpu_seconds"])


def cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--report", action="append", help="FILE[:p,p,...] (repeatable; default: six families)")
    ap.add_argument("--pages-per-report", type=int, default=2)
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    ap.add_argument("--verbose", "-v", action="store_true", help="print every wrong row")
    a = ap.parse_args()
    totals: dict[int, list[float]] = {d: [0, 0, 0, 0, 0, 0.0, 0.0, 0.0] for d in a.dpi}
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as t:
        tmp = Path(t)
        for spec in a.report or DEFAULT:
            name, _, pages_s = spec.partition(":")
            src = a.corpus / name
            full = parse_pdf(src, ocr=False) if not pages_s else None
            # the cover too: it names the report, as on a real scan (and costs its OCR time)
            pages = [int(p) for p in pages_s.split(",")] if pages_s else sorted({1, *top_pages(full, a.pages_per_report)})
            orig = tmp / f"{src.stem}.orig.pdf"
            subset(src, pages, orig)
            ref = parse_pdf(orig, ocr=False)
            for dpi in a.dpi:
                scanned = tmp / f"{src.stem}.{dpi}.pdf"
                scan(orig, dpi, scanned, tmp)
                c0, t0 = cpu(resource.RUSAGE_CHILDREN) + cpu(resource.RUSAGE_SELF), time.perf_counter()
                doc = parse_pdf(scanned, ocr=True, derived_dir=tmp / "derived")
                wall = time.perf_counter() - t0
                total_cpu = cpu(resource.RUSAGE_CHILDREN) + cpu(resource.RUSAGE_SELF) - c0
                ocr_cpu = ocr_seconds(tmp / "derived", doc.source.sha256)
                parse_cpu = total_cpu - ocr_cpu
                n, right, wrong, caught = measure(ref, doc)
                tot = totals[dpi]
                for i, v in enumerate((len(pages), n, right, wrong, caught, wall, ocr_cpu, parse_cpu)):
                    tot[i] += v
                print(f"{name} pages {pages} @{dpi}: {doc.status}, rows right {right}/{n}, wrong {wrong} "
                      f"flagged {caught}, {wall / len(pages):.1f} s/page wall, {ocr_cpu / len(pages):.1f} s/page OCR CPU, "
                      f"{parse_cpu / len(pages):.1f} s/page parse CPU"
                      + (f", errors {doc.errors[:1]}" if doc.errors else ""), flush=True)
                if a.verbose:
                    got = code_rows(doc)
                    for key, rows in code_rows(ref).items():
                        for row in rows:
                            if not any(g["values"] == row["values"] for g in got.get(key, [])):
                                print(f"    {key}: {row['values']} -> {[g['values'] for g in got.get(key, [])]}")
    print()
    for dpi, (pages, n, right, wrong, caught, wall, ocr_cpu, parse_cpu) in totals.items():
        print(f"{dpi} dpi: {int(pages)} pages, code rows right {right / max(n, 1):.1%} ({int(right)}/{int(n)}), "
              f"wrong rows flagged {caught / max(wrong, 1):.1%} ({int(caught)}/{int(wrong)}), "
              f"{wall / max(pages, 1):.2f} s/page wall, {ocr_cpu / max(pages, 1):.2f} s/page OCR CPU "
              f"(Tesseract + image, rules, text layer), {parse_cpu / max(pages, 1):.2f} s/page parse CPU")


if __name__ == "__main__":
    main()
