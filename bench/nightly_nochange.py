"""A no-change nightly run over N archived reports with the Prefect server already up (issue 15
item 3: ≤ 5 s for 1,000 under `serve`). Prints seconds and where they go; not a test.

    .venv/bin/python bench/nightly_nochange.py [--reports 1000] [--runs 3] [--workdir DIR] [--profile]

The archive is N byte-different copies of the real sample PDFs (a PDF comment appended after
%%EOF, so every sha256 differs) in a local folder source; their parse cache is seeded from one
real parse of each sample, and one untimed run loads them all. `--workdir` keeps that build
for the next invocation (building 1,000 takes minutes). Then, in this process with one API
server up (the run's temporary server, as `serve` has its own), no-change runs are timed:
wall, the stages as the run measured them, and the rest (flow bookkeeping, the report).
`--subprocess` also times one run in a fresh interpreter against the same server: what a run
started by `serve`'s Runner (a new process per flow run) pays on top.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 5.0  # issue 15 item 3, for 1,000 reports


def build(work: Path, reports: int) -> tuple[Path, bool]:
    """The config of a folder source with `reports` archived copies; True when built now."""
    from nightly_speed import seed_copies, write_config  # bench/ is first on sys.path

    cfg = work / "config.yaml"
    folder = work / "copies"
    if cfg.exists() and folder.is_dir() and len(list(folder.glob("*.pdf"))) == reports:
        return cfg, False
    seed_copies(folder, work / "data" / "parsed", reports)
    return write_config(cfg, folder), True


def one_run(cfg: Path, data: Path) -> tuple[float, dict]:
    from flows.orchestration.nightly import nightly

    t0 = time.perf_counter()
    report = nightly(config=str(cfg), data_dir=str(data))
    return time.perf_counter() - t0, report


def line(label: str, wall: float, report: dict) -> str:
    stages = report["stage_seconds"]
    own = sum(stages.values())
    parts = ", ".join(f"{k} {v:.2f}s" for k, v in stages.items())
    return f"{label:28} {wall:6.2f}s = stages {own:5.2f}s [{parts}] + outside the stages {wall - own:5.2f}s"


def in_subprocess(cfg: Path, data: Path) -> float:
    """One run in a fresh interpreter against the server this process started."""
    code = ("import sys, time; t = time.perf_counter()\n"
            "from flows.orchestration.nightly import nightly\n"
            "nightly(config=sys.argv[1], data_dir=sys.argv[2]); print(time.perf_counter() - t)")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(cfg), str(data)], check=True, cwd=ROOT,
                   env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3, help="timed no-change runs")
    ap.add_argument("--workdir", type=Path, help="keep the built archive and warehouse here")
    ap.add_argument("--profile", action="store_true", help="cProfile the last run (top 25 by cumulative time)")
    ap.add_argument("--subprocess", action="store_true", help="also time one run in a fresh interpreter")
    args = ap.parse_args()
    os.environ.setdefault("BUDGET_ETL_OCR", "0")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        work = (args.workdir or Path(tmp)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        cfg, fresh = build(work, args.reports)
        data = work / "data"

        from flows.config import load_config
        from flows.orchestration.prefect_env import configure_prefect
        from flows.orchestration.tempserver import start_temporary_api

        configure_prefect(load_config(cfg, data))
        start_temporary_api()  # the server is up before anything is timed, as under `serve`
        first_wall, first = one_run(cfg, data)  # loads a fresh build; warms imports and the client
        c = first["counts"]
        print(f"{args.reports} reports {'built' if fresh else 'reused'} in {work}; "
              f"first run {first_wall:.1f}s ({c['loaded']} loaded, {c['up_to_date']} up to date; untimed); "
              f"setup {time.perf_counter() - t0:.0f}s")
        walls = []
        for i in range(args.runs):
            prof = cProfile.Profile() if args.profile and i == args.runs - 1 else None
            if prof:
                prof.enable()
            wall, report = one_run(cfg, data)
            if prof:
                prof.disable()
            c = report["counts"]
            assert c["up_to_date"] >= args.reports and c["parsed"] == 0 and c["loaded"] == 0, c
            assert c["unchanged"] == args.reports and c["failed"] == 0, c
            walls.append(wall)
            print(line(f"no-change run {i + 1}", wall, report))
        best = min(walls)
        verdict = "within" if best <= BUDGET_SECONDS * args.reports / 1000 else "OVER"
        print(f"best {best:.2f}s, {1000 * best / args.reports:.2f} ms a report: {verdict} the "
              f"{BUDGET_SECONDS:.0f} s per 1,000 budget")
        if args.subprocess:
            print(f"{'fresh interpreter':28} {in_subprocess(cfg, data):6.2f}s (what a run started by serve's "
                  "Runner in its own process takes)")
        if prof:
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        print(json.dumps({"reports": args.reports, "best_seconds": round(best, 3),
                          "runs": [round(w, 3) for w in walls]}))


if __name__ == "__main__":
    main()
