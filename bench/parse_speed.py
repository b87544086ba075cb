"""How fast is `parse_pdf` against camelot alone, and what does a worker's memory peak at?

For every PDF of a folder, in one run and the same process order:
  baseline  camelot.read_pdf(pages="all", flavor="lattice", engine="vector")
  parse     parsers.parse_pdf (everything: text, layout, lattice + text flavors, rows, facts, checks)
  floor     pdftotext -layout (poppler), the cheapest full-text pass there is
Each measurement runs in a fresh subprocess; library imports (camelot, playa) happen before
the clock starts on both sides, as they do once per worker in the pipeline, and the peak RSS
is the worker's own. Prints per-file seconds, the totals, the ratios parse/baseline and
floor/baseline, and the largest peak RSS of a parse worker.

usage: python bench/parse_speed.py [DIR ...]   (default: ../shared/corpus/real, or samples/corpus)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = r"""
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
mode, path = sys.argv[1], sys.argv[2]
if mode == "baseline":
    import camelot
    t0 = time.perf_counter()
    try:
        camelot.read_pdf(path, pages="all", flavor="lattice", engine="vector")
    except Exception:
        pass
else:
    import camelot, camelot.parsers, playa  # imported before timing, as on the baseline side
    from parsers.parse import parse_pdf
    t0 = time.perf_counter()
    parse_pdf(path)
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(mode: str, pdf: Path) -> dict:
    if mode == "floor":
        t0 = time.perf_counter()
        subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=False)
        return {"seconds": time.perf_counter() - t0, "rss_mb": 0.0}
    p = subprocess.run([sys.executable, "-c", WORKER, mode, str(pdf)], capture_output=True, text=True, cwd=ROOT)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main(dirs: list[str]) -> None:
    if not dirs:
        shared = ROOT.parent / "shared" / "corpus" / "real"
        dirs = [str(shared if shared.exists() else ROOT / "samples" / "corpus")]
    pdfs = sorted(p for d in dirs for p in Path(d).glob("*.pdf"))
    floor = shutil.which("pdftotext") is not None
    totals = {"baseline": 0.0, "parse": 0.0, "floor": 0.0}
    peak = 0.0
    print(f"{'file':60s} {'camelot':>8s} {'parse':>8s} {'ratio':>6s} {'pdftotext':>9s} {'RSS MB':>7s}")
    for pdf in pdfs:
        b = measure("baseline", pdf)
        p = measure("parse", pdf)
        f = measure("floor", pdf) if floor else {"seconds": float("nan")}
        totals["baseline"] += b["seconds"]
        totals["parse"] += p["seconds"]
        totals["floor"] += f["seconds"]
        peak = max(peak, p["rss_mb"])
        ratio = p["seconds"] / b["seconds"] if b["seconds"] else float("nan")
        print(f"{pdf.name[:60]:60s} {b['seconds']:8.2f} {p['seconds']:8.2f} {ratio:6.2f} {f['seconds']:9.3f} "
              f"{p['rss_mb']:7.0f}")
    print(f"\n{len(pdfs)} PDFs: camelot lattice/vector {totals['baseline']:.1f}s, parse_pdf {totals['parse']:.1f}s "
          f"({totals['parse'] / totals['baseline']:.2f}x camelot), pdftotext {totals['floor']:.1f}s "
          f"({totals['floor'] / totals['baseline']:.2f}x camelot); peak RSS of a parse worker {peak:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
