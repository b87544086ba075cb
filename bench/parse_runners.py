"""Which way to run per-document parsing under Prefect? Prints wall times; not a test.

    .venv/bin/python bench/parse_runners.py [--repeat 2] [--only pool-2,ppt-2]

Every variant runs in a fresh subprocess the way `budget-etl run` does (no PREFECT_API_URL,
so Prefect starts its temporary server), parsing the 7 sample PDFs with no cache:

  inline-1     the flow parses them one after another, no tasks (the baseline)
  ppt-N        one task per document on Prefect's ProcessPoolTaskRunner(N)
  tpt-N        one task per document on ThreadPoolTaskRunner(N), parsing in the thread (the GIL;
               and pdfium is not thread-safe: this variant segfaulted here, see the crashes column)
  pool-N       one task that fans out to a spawn-started ProcessPoolExecutor(N)
  tasks+pool-N one task per document on ThreadPoolTaskRunner(N), each handing its PDF to a
               shared ProcessPoolExecutor(N)
  nightly-N    the shipped parse flow (flows/orchestration/parse_flow.py: tasks+pool with a bounded window), run
               as a subflow the way the nightly flow runs it (its start-up is in the time)

It prints, per variant, the subprocess wall time, the parse stage inside the flow, and the
ratio of each to the baseline measured in the same invocation.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from child import run_isolated  # bench/ is the script's directory, first on sys.path

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ["inline-1", "ppt-1", "ppt-2", "tpt-2", "pool-1", "pool-2", "tasks+pool-1", "tasks+pool-2", "nightly-1",
            "nightly-2"]


def sample_pdfs() -> list[str]:
    return sorted(str(p) for p in (ROOT / "samples").rglob("*.pdf"))


def child(variant: str) -> None:
    """Runs in the subprocess: one flow parsing every sample with the given strategy."""
    t_import = time.perf_counter()
    import runner_tasks as rt
    from prefect import flow
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    from flows.orchestration.parallel import ParsePool, parse_path

    kind, n = variant.rsplit("-", 1)
    workers = int(n)
    pdfs = sample_pdfs()

    rt.POOL = ParsePool(workers)

    def body() -> tuple[float, list[str]]:
        t0 = time.perf_counter()
        if kind == "inline":
            out = [parse_path(p, "").status for p in pdfs]
        elif kind in ("ppt", "tpt"):
            futs = [rt.parse_in_task.submit(p) for p in pdfs]
            out = [f.result() for f in futs]
        elif kind == "pool":
            out = rt.parse_batch(pdfs, workers)
        elif kind == "tasks+pool":
            futs = [rt.parse_via_pool.submit(p) for p in pdfs]
            out = [f.result() for f in futs]
            rt.POOL.close()
        else:  # "nightly": the shipped parse flow, as a subflow, caching into a temporary directory
            import hashlib

            from flows.orchestration.nightly import parse_flow
            from flows.orchestration.pipeline import WorkItem

            with tempfile.TemporaryDirectory() as cache:
                items = []
                for p in pdfs:
                    sha = hashlib.sha256(Path(p).read_bytes()).hexdigest()
                    items.append(WorkItem(sha, p, Path(p).as_uri(), "bench", cache=f"{cache}/{sha}.json"))
                t0 = time.perf_counter()
                out = [x.status for x in parse_flow.with_options(task_runner=ThreadPoolTaskRunner(workers))(
                    items, workers=workers)]
        return time.perf_counter() - t0, out

    runner = {"ppt": ProcessPoolTaskRunner(max_workers=workers), "tpt": ThreadPoolTaskRunner(max_workers=workers),
              "tasks+pool": ThreadPoolTaskRunner(max_workers=workers)}.get(kind)
    f = flow(name=f"bench-{kind}")(body)
    if runner is not None:
        f = f.with_options(task_runner=runner)
    t_flow = time.perf_counter()
    seconds, statuses = f()
    print(json.dumps({"parse": seconds, "flow": time.perf_counter() - t_flow, "import": t_flow - t_import,
                      "statuses": statuses}))


def run_variant(variant: str, home: Path) -> dict:
    """One variant in a fresh process group; a crash is reported, not fatal (see tpt-N)."""
    code, text, wall = run_isolated(__file__, [variant], home)
    result = {"wall": wall, "temp_servers": text.count("Starting temporary server"), "crashed": code}
    if code == 0:
        result |= json.loads([x for x in text.splitlines() if x.startswith('{')][-1])
    return result


def cpu_scaling() -> float:
    """How much parallel CPU this machine has right now: one pure-Python loop in 1 and 2 processes."""
    code = "s=0\nfor i in range(30_000_000): s+=i"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    for p in [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]:
        p.wait()
    return 2 * one / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2, help="runs per variant; the median is printed")
    ap.add_argument("--only", help="comma-separated variants (default: all)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    variants = args.only.split(",") if args.only else VARIANTS
    if "inline-1" not in variants:
        variants.insert(0, "inline-1")
    print(f"{len(sample_pdfs())} sample PDFs, {os.cpu_count()} CPUs, {args.repeat} run(s) per variant (median)")
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "prefect"
        home.mkdir()
        run_variant("inline-1", home)  # warm-up: the first start on a fresh PREFECT_HOME migrates the DB
        for v in variants:
            runs = [run_variant(v, home) for _ in range(args.repeat)]
            ok = [r for r in runs if not r["crashed"]]
            results[v] = {k: statistics.median(r[k] for r in ok) if ok else float("nan") for k in ("wall", "parse")}
            results[v]["temp_servers"] = max(r["temp_servers"] for r in runs)
            results[v]["crashes"] = [r["crashed"] for r in runs if r["crashed"]]
            print(f"  {v:14} done: wall {results[v]['wall']:.1f}s", file=sys.stderr)
    base = results["inline-1"]
    print(f"{'variant':14} {'wall s':>7} {'parse s':>8} {'wall/base':>9} {'parse/base':>10} {'temp servers':>12}  crashes")
    for v, r in results.items():
        crashes = ", ".join(f"exit {c}" for c in r["crashes"]) or "-"
        print(f"{v:14} {r['wall']:7.1f} {r['parse']:8.1f} {r['wall'] / base['wall']:9.2f} "
              f"{r['parse'] / base['parse']:10.2f} {r['temp_servers']:12d}  {crashes}")
    print(f"cpu scaling: 2 processes finish {cpu_scaling():.2f}x the work of 1 in the same time (2.0 = two real cores)")


if __name__ == "__main__":
    main()
