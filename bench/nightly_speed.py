"""How long does the nightly run take? Prints wall times and ratios; not a test.

    .venv/bin/python bench/nightly_speed.py [--copies 500] [--skip-corpus]

1. The sample corpus (7 PDFs, fresh data directory each time) with 1 and 2 parse workers.
2. A no-change re-run over N archived documents (default 500): byte-different copies of the
   samples (a PDF comment appended after %%EOF) in a local folder source, loaded once (the
   parse cache is seeded from one real parse of each sample, so the untimed first load takes
   minutes, not an hour), then timed on a re-run that finds nothing new.

Every run is a fresh `budget-etl run`-like subprocess (no PREFECT_API_URL: Prefect starts its
temporary server, as it does from cron). Each is split into the pipeline's own work (the
stages' seconds as the run measured them) and Prefect (everything else: interpreter and
imports, the temporary server, flow and subflow bookkeeping). Ratios are against a baseline
measured in the same invocation: an empty Prefect flow in a subprocess (the Prefect floor).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from child import run_isolated  # bench/ is the script's directory, first on sys.path

ROOT = Path(__file__).resolve().parents[1]


def child(args: list[str]) -> None:
    """In the subprocess: the nightly run as the CLI does it (or an empty flow), as JSON."""
    t0 = time.perf_counter()
    mode = args[0]
    if mode == "empty":
        from prefect import flow

        t_import = time.perf_counter() - t0
        flow(name="empty")(lambda: None)()
        print(json.dumps({"import": t_import, "stages": {}}))
        return
    config, data_dir, workers = args[1], args[2], int(args[3])
    from flows.config import load_config
    from flows.orchestration.prefect_env import configure_prefect

    cfg = load_config(config, data_dir)
    configure_prefect(cfg)
    from flows.orchestration.nightly import nightly

    t_import = time.perf_counter() - t0
    report = nightly(config=config, data_dir=str(cfg.data_path), workers=workers)
    print(json.dumps({"import": t_import, "stages": report["stage_seconds"], "counts": report["counts"]}))


def run_child(prefect_home: Path, *args: str) -> dict:
    code, text, wall = run_isolated(__file__, list(args), prefect_home, PREFECT_LOGGING_LEVEL="WARNING")
    if code:
        sys.stderr.write(text[-4000:])
        raise SystemExit(f"child {args} failed (exit {code})")
    out = json.loads([x for x in text.splitlines() if x.startswith('{')][-1])
    out["wall"] = wall
    out["own"] = sum(out["stages"].values())
    out["prefect"] = wall - out["own"]
    return out


def write_config(path: Path, source: Path) -> Path:
    path.write_text(f"data_dir: data\nsources:\n  - url: {source}\n    name: bench\n", encoding="utf-8")
    return path


def line(label: str, r: dict, base: dict) -> str:
    stages = ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items())
    return (f"{label:34} wall {r['wall']:6.1f}s = own work {r['own']:5.1f}s + Prefect {r['prefect']:5.1f}s "
            f"(x{r['wall'] / base['wall']:.2f} of the floor)  [{stages}]")


def seed_copies(folder: Path, parsed_dir: Path, copies: int) -> None:
    """N byte-different copies of the samples, and their cache entries from one parse of each."""
    from flows.orchestration.parallel import parse_path
    from parsers.document import PARSER_VERSION

    originals = sorted((ROOT / "samples").rglob("*.pdf"))
    parsed_dir.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True)
    texts: dict[Path, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for src in originals:
            data = src.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            archived = Path(tmp) / f"{sha}.pdf"  # parsed under its archive name, as the pipeline does
            archived.write_bytes(data)
            texts[src] = (sha, parse_path(str(archived), sha).text)
    for i in range(copies):
        src = originals[i % len(originals)]
        data = src.read_bytes() + f"\n% budget-etl bench copy {i}\n".encode()
        sha = hashlib.sha256(data).hexdigest()
        (folder / f"{i:04d}-{src.stem[:40]}.pdf").write_bytes(data)
        orig_sha, text = texts[src]
        (parsed_dir / f"{sha}.{PARSER_VERSION}.json").write_text(text.replace(orig_sha, sha), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=500, help="archived documents for the no-change re-run")
    ap.add_argument("--skip-corpus", action="store_true", help="only the no-change re-run")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        home = tmp / "prefect"
        home.mkdir()
        run_child(home, "empty")  # warm-up: the first start on a fresh PREFECT_HOME migrates its database
        base = run_child(home, "empty")
        print(f"{os.cpu_count()} CPUs; Prefect floor (empty flow in a fresh process): {base['wall']:.1f}s, "
              f"of which importing prefect {base['import']:.1f}s")
        print(f"{'cpu scaling':34} 2 processes finish {cpu_scaling():.2f}x the work of 1 in the same time")

        if not args.skip_corpus:
            cfg = write_config(tmp / "corpus.yaml", ROOT / "samples")
            runs = {}
            for workers in (1, 2):
                shutil.rmtree(tmp / "data", ignore_errors=True)
                runs[workers] = r = run_child(home, "run", str(cfg), str(tmp / "data"), str(workers))
                print(line(f"samples ({r['counts']['parsed']} PDFs), {workers} worker(s)", r, base))
            print(f"{'2 workers vs 1':34} wall x{runs[2]['wall'] / runs[1]['wall']:.2f}, "
                  f"parse stage x{runs[2]['stages']['parse'] / runs[1]['stages']['parse']:.2f}")
            r = run_child(home, "run", str(cfg), str(tmp / "data"), "2")
            print(line("samples, no-change re-run", r, base))

        folder, data = tmp / "copies", tmp / "copies-data"
        t0 = time.perf_counter()
        seed_copies(folder, data / "parsed", args.copies)
        cfg = write_config(tmp / "copies.yaml", folder)
        first = run_child(home, "run", str(cfg), str(data), "2")
        print(f"{args.copies} copies made and first loaded in {time.perf_counter() - t0:.0f}s "
              f"({first['counts']['loaded']} documents, {first['counts']['rows_loaded']} rows; untimed)")
        again = run_child(home, "run", str(cfg), str(data), "2")
        c = again["counts"]
        assert c["up_to_date"] >= args.copies and c["parsed"] == 0 and c["loaded"] == 0, c
        print(line(f"{args.copies} documents, no-change re-run", again, base))
        verdict = "under" if again["own"] < 10 else "OVER"
        print(f"{'':34} own work {again['own']:.1f}s: {verdict} the 10 s budget; Prefect's share "
              f"{again['prefect'] / again['wall']:.0%}")


def cpu_scaling() -> float:
    """How much parallel CPU this machine really has: the same pure-Python loop in 1 and 2 processes."""
    code = "import time\nt=time.perf_counter()\ns=0\nfor i in range(30_000_000): s+=i\nprint(time.perf_counter()-t)"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL) for _ in range(2)]
    for p in procs:
        p.wait()
    two = time.perf_counter() - t0
    return 2 * one / two


if __name__ == "__main__":
    main()
