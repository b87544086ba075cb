"""How fast is `parse_pdf` against camelot alone, and what does a worker's memory peak at?

For every PDF of a folder, in one run and the same process order:
  baseline  camelot.read_pdf(pages="all", flavor="lattice", engine="vector")
  parse     parsers.parse_pdf (everything: text, layout of the pages parsers/pages.py selects,
            lattice + text flavors, rows, facts, checks, text-layer verification)
  all       the same with BUDGET_ETL_ALL_PAGES=1 (every page laid out), for comparison
  noverify  parse_pdf(verify=False), when parse_pdf has that keyword (else n/a)
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
    import os
    from parsers.parse import parse_pdf
    if mode == "all":
        os.environ["BUDGET_ETL_ALL_PAGES"] = "1"
    kwargs = {"verify": False} if mode == "noverify" else {}
    t0 = time.perf_counter()
    parse_pdf(path, **kwargs)
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


def has_verify() -> bool:
    """Whether parse_pdf takes verify= (the text-layer verification can be switched off)."""
    import inspect

    sys.path.insert(0, str(ROOT))
    from parsers.parse import parse_pdf

    return "verify" in inspect.signature(parse_pdf).parameters


def main(dirs: list[str]) -> None:
    if not dirs:
        shared = ROOT.parent / "shared" / "corpus" / "real"
        dirs = [str(shared if shared.exists() else ROOT / "samples" / "corpus")]
    pdfs = sorted(p for d in dirs for p in Path(d).glob("*.pdf"))
    floor = shutil.which("pdftotext") is not None
    verify = has_verify()
    modes = ["baseline", "parse", "all"] + (["noverify"] if verify else [])
    totals = dict.fromkeys([*modes, "floor"], 0.0)
    peak = 0.0
    print(f"{'file':50s} {'camelot':>8s} {'parse':>8s} {'ratio':>6s} {'all pg':>7s} {'no-verify':>9s} "
          f"{'pdftotext':>9s} {'RSS MB':>7s}")
    for pdf in pdfs:
        m = {mode: measure(mode, pdf) for mode in modes}
        m["floor"] = measure("floor", pdf) if floor else {"seconds": float("nan")}
        for k, v in m.items():
            totals[k] += v["seconds"]
        peak = max(peak, m["parse"]["rss_mb"], m["all"]["rss_mb"])
        b = m["baseline"]["seconds"]
        ratio = m["parse"]["seconds"] / b if b else float("nan")
        nov = f"{m['noverify']['seconds']:9.2f}" if verify else f"{'n/a':>9s}"
        print(f"{pdf.name[:50]:50s} {b:8.2f} {m['parse']['seconds']:8.2f} {ratio:6.2f} {m['all']['seconds']:7.2f} "
              f"{nov} {m['floor']['seconds']:9.3f} {m['parse']['rss_mb']:7.0f}")
    b = totals["baseline"] or float("nan")
    nov = (f"{totals['noverify']:.1f}s ({totals['noverify'] / b:.2f}x)" if verify else "n/a")
    print(f"\n{len(pdfs)} PDFs: camelot lattice/vector on all pages {totals['baseline']:.1f}s; parse_pdf "
          f"{totals['parse']:.1f}s ({totals['parse'] / b:.2f}x camelot) with page selection and verify=True, "
          f"{totals['all']:.1f}s ({totals['all'] / b:.2f}x) on all pages, verify=False {nov}; "
          f"pdftotext {totals['floor']:.1f}s ({totals['floor'] / b:.2f}x); peak RSS of a parse worker {peak:.0f} MB")

if __name__ == "__main__":
    main(sys.argv[1:])
