"""Time the static site on a real warehouse: a full build, a no-change re-run, and the re-run
after one new report (the samples' 水磨沟区科学技术局, which the real corpus does not hold).

    budget-etl run --source /work/shared/corpus/real --data-dir /tmp/rep-data   # once, a few minutes
    .venv/bin/python bench/report_speed.py [--data-dir /tmp/rep-data] [--workers 2]

Works on a copy of the data directory; the original is only read. Wall seconds, imports excluded,
and CPU seconds of this process and its workers (the machine is shared: wall time depends on
what else runs, CPU time much less; the load average is printed too).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from report.site import build_site  # noqa: E402
from tests.report_support import add_document  # noqa: E402

NEW_REPORT = ROOT / "samples/corpus/xj-smg-kjj-2025.pdf"


def cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (the drawing workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/rep-data"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="copy the finished site here")
    args = ap.parse_args()
    if not (args.data_dir / "warehouse.duckdb").exists():
        print(f"no warehouse in {args.data_dir}: build it with "
              f"budget-etl run --source /work/shared/corpus/real --data-dir {args.data_dir}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        data = Path(tmp) / "data"
        (data / "raw").mkdir(parents=True)
        shutil.copyfile(args.data_dir / "warehouse.duckdb", data / "warehouse.duckdb")
        for pdf in (args.data_dir / "raw").glob("*.pdf"):
            (data / "raw" / pdf.name).symlink_to(pdf)
        from warehouse import connect

        try:
            connect(data / "warehouse.duckdb").close()  # upgrade the copy's schema if the code moved on
        except Exception as e:  # a tree mid-change: time what can be timed
            print(f"could not upgrade the copy ({type(e).__name__}: {e}); reading it as it is", file=sys.stderr)
        out = Path(tmp) / "site"
        runs = []
        for label, before in (("full site", None), ("no change", None), ("one new report", NEW_REPORT)):
            if before:
                try:
                    add_document(data, before)
                except Exception as e:
                    print(f"could not load {before.name}: {type(e).__name__}: {e}", file=sys.stderr)
                    continue
            t, c = time.perf_counter(), cpu_seconds()
            r = build_site(data / "warehouse.duckdb", data / "raw", out, workers=args.workers)
            runs.append((label, time.perf_counter() - t, cpu_seconds() - c, r))
        charts = sum(p.read_text(encoding="utf-8").count("<svg") for p in out.rglob("*.html"))
        unit_pages = list((out / "units").glob("*.html"))
        units = len(unit_pages)
        few = [p.name for p in unit_pages if p.read_text(encoding="utf-8").count("<svg") < 2]
        quality = (out / "quality.html").read_text(encoding="utf-8")
        checks, images = quality.count('class="check"'), quality.count('<img class="page"')
        print(f"unit pages with fewer than two charts: {len(few)} {few[:5]}; "
              f"failed checks on the quality page: {checks}, with a page image: {images}")
        if args.keep:
            shutil.copytree(out, args.keep, dirs_exist_ok=True)
        print(f"warehouse {args.data_dir}: {units} unit pages, {runs[0][3].pages} pages, {charts} charts, "
              f"{runs[0][3].images} page images; workers {args.workers}; load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        for label, seconds, cpu, r in runs:
            print(f"  {label:15s} {seconds:6.1f} s wall {cpu:6.1f} s CPU   pages drawn {len(r.rendered):4d}   "
                  f"images drawn {r.images_rendered:4d}   errors {len(r.errors)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
