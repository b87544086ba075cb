"""How fast is `parse_pdf` against camelot alone, and what does a worker's memory peak at?

One worker process per mode (all modes side by side) parses every PDF of the folders in turn,
the way a parse worker of the pipeline does (long-lived: library imports and one-time loads are paid once, before
the clock; the first PDF still carries the templates and regexes that load on first use):
  baseline  camelot.read_pdf(pages="all", flavor="lattice", engine="vector")
  parse     parsers.parse_pdf (everything: text, layout of the pages parsers/pages.py selects,
            lattice + text flavors, rows, facts, checks, text-layer verification)
  all       (--all) the same with BUDGET_ETL_ALL_PAGES=1 (every page laid out)
  noverify  (--noverify) parse_pdf(verify=False)
  floor     pdftotext -layout (poppler), the cheapest full-text pass there is
Times are CPU seconds of the worker (time.process_time): the machine is shared, and wall
time measures the neighbours as much as the parser; wall seconds are printed beside them.
Prints per-file seconds, the totals, the ratio parse/baseline (the figure issue 15 sets at
<= 0.8) and the largest peak RSS of a parse worker.

usage: python bench/parse_speed.py [--all] [--noverify] [DIR ...]
       (default: ../shared/corpus/real, or samples/corpus)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = r"""
import json, os, resource, sys, time, warnings
warnings.filterwarnings("ignore")
mode, paths = sys.argv[1], sys.argv[2:]
import camelot, camelot.parsers, playa  # imported before timing on both sides
if mode == "baseline":
    def run(path):
        try:
            camelot.read_pdf(path, pages="all", flavor="lattice", engine="vector")
        except Exception:
            pass
else:
    os.environ["BUDGET_ETL_OCR"] = "0"
    if mode == "all":
        os.environ["BUDGET_ETL_ALL_PAGES"] = "1"
    from parsers.parse import parse_pdf
    kwargs = {"verify": False} if mode == "noverify" else {}
    def run(path):
        parse_pdf(path, **kwargs)
for path in paths:
    c0, t0 = time.process_time(), time.perf_counter()
    run(path)
    print(json.dumps({"file": path, "cpu": time.process_time() - c0, "wall": time.perf_counter() - t0}), flush=True)
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def start(mode: str, pdfs: list[Path]) -> subprocess.Popen:
    """One worker process parsing every PDF in turn (the modes run side by side: CPU time is
    each worker's own)."""
    return subprocess.Popen([sys.executable, "-c", WORKER, mode, *map(str, pdfs)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)


def collect(mode: str, proc: subprocess.Popen) -> tuple[dict[str, dict], float]:
    """Per-file {cpu, wall} of one worker, and its peak RSS in MB."""
    out, err = proc.communicate()
    rows = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    if proc.returncode or not rows or "rss_mb" not in rows[-1]:
        sys.exit(f"{mode} worker failed (exit {proc.returncode}): {err.strip().splitlines()[-1:]}")
    return {Path(r["file"]).name: r for r in rows[:-1]}, rows[-1]["rss_mb"]


def floor(pdf: Path) -> float:
    if shutil.which("pdftotext") is None:
        return float("nan")
    c0 = _children_cpu()
    subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=False)
    return _children_cpu() - c0


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--all", action="store_true", help="also parse with every page laid out")
    ap.add_argument("--noverify", action="store_true", help="also parse with verify=False")
    args = ap.parse_args(argv)
    dirs = args.dirs
    if not dirs:
        shared = ROOT.parent / "shared" / "corpus" / "real"
        dirs = [str(shared if shared.exists() else ROOT / "samples" / "corpus")]
    pdfs = sorted(p for d in dirs for p in Path(d).glob("*.pdf"))
    modes = ["baseline", "parse"] + ["all"] * args.all + ["noverify"] * args.noverify
    runs, peak = {}, 0.0
    t0 = time.perf_counter()
    procs = {mode: start(mode, pdfs) for mode in modes}
    for mode, proc in procs.items():
        runs[mode], rss = collect(mode, proc)
        peak = max(peak, rss) if mode != "baseline" else peak
        print(f"  {mode} worker done after {time.perf_counter() - t0:.0f}s wall", file=sys.stderr)
    floors = {p.name: floor(p) for p in pdfs}
    extra = [m for m in modes if m not in ("baseline", "parse")]
    print(f"{'file':50s} {'camelot':>8s} {'parse':>8s} {'ratio':>6s} " + "".join(f"{m:>9s} " for m in extra)
          + f"{'pdftotext':>9s}")
    for p in pdfs:
        b, s = runs["baseline"][p.name]["cpu"], runs["parse"][p.name]["cpu"]
        print(f"{p.name[:50]:50s} {b:8.2f} {s:8.2f} {s / b if b else float('nan'):6.2f} "
              + "".join(f"{runs[m][p.name]['cpu']:9.2f} " for m in extra) + f"{floors[p.name]:9.3f}")
    total = {m: sum(r["cpu"] for r in runs[m].values()) for m in modes}
    wall = {m: sum(r["wall"] for r in runs[m].values()) for m in modes}
    b = total["baseline"] or float("nan")
    print(f"\n{len(pdfs)} PDFs, CPU seconds: camelot lattice/vector on all pages {total['baseline']:.1f}s; "
          f"parse_pdf {total['parse']:.1f}s; parse/camelot {total['parse'] / b:.2f}x "
          f"(wall {wall['parse']:.1f}s / {wall['baseline']:.1f}s = {wall['parse'] / (wall['baseline'] or 1):.2f}x)")
    for m in extra:
        print(f"  {m}: {total[m]:.1f}s ({total[m] / b:.2f}x camelot)")
    fl = sum(floors.values())
    print(f"  pdftotext -layout: {fl:.1f}s ({fl / b:.2f}x); peak RSS of a parse worker {peak:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
