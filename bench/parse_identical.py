"""Does laying out only the pages parsers/pages.py selects change any output?

Parses every PDF of the folders twice in the same code state and process, once with page
selection and once with BUDGET_ETL_ALL_PAGES=1, and diffs the canonical JSON (tables, rows,
values, checks, facts, status, errors; only `seconds` is left out). Prints every difference
(file, JSON path, both values), the pages laid out and the layout seconds of both modes.
Exit code 1 when any document differs.

usage: python bench/parse_identical.py [DIR ...]   (default: ../shared/corpus/real, or samples/corpus)
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.pages import ALL_PAGES_ENV  # noqa: E402

MAX_SHOWN = 20  # differences printed per document


def diff(a: Any, b: Any, path: str = "") -> list[str]:
    """Every place two JSON values differ, as 'path: a != b'."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: {'missing' if k not in a else repr(a[k])[:80]} != "
                           f"{'missing' if k not in b else repr(b[k])[:80]}")
            else:
                out += diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        out = [f"{path}: {len(a)} items != {len(b)} items"] if len(a) != len(b) else []
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            out += diff(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: {repr(a)[:80]} != {repr(b)[:80]}"]


def parse(pdf: Path, all_pages: bool) -> tuple[dict, float]:
    from parsers.parse import parse_pdf

    if all_pages:
        os.environ[ALL_PAGES_ENV] = "1"
    else:
        os.environ.pop(ALL_PAGES_ENV, None)
    t0 = time.perf_counter()
    d = parse_pdf(pdf).to_dict()
    d.pop("seconds", None)
    return d, time.perf_counter() - t0


def main(dirs: list[str]) -> int:
    warnings.filterwarnings("ignore")
    if not dirs:
        shared = ROOT.parent / "shared" / "corpus" / "real"
        dirs = [str(shared if shared.exists() else ROOT / "samples" / "corpus")]
    from parsers.pages import select_pages
    from parsers.pdf import UnreadablePDF, read_pdf_text

    pdfs = sorted(p for d in dirs for p in Path(d).glob("*.pdf"))
    n_diff = pages = kept = 0
    t_sel = t_all = 0.0
    if pdfs:
        parse(pdfs[0], all_pages=True)  # warm-up: templates and regexes load once per worker
    for pdf in pdfs:
        os.environ.pop(ALL_PAGES_ENV, None)
        try:
            keep = select_pages(read_pdf_text(pdf).pages)
        except UnreadablePDF:
            keep = []
        pages, kept = pages + len(keep), kept + sum(keep)
        selected, s1 = parse(pdf, all_pages=False)
        full, s2 = parse(pdf, all_pages=True)
        t_sel, t_all = t_sel + s1, t_all + s2
        found = diff(full, selected)
        n_diff += bool(found)
        print(f"{'DIFFERS' if found else 'same   '} {pdf.name[:60]:60s} pages {sum(keep):3d}/{len(keep):3d} "
              f"{s1:6.2f}s / {s2:6.2f}s all pages")
        for line in found[:MAX_SHOWN]:
            print(f"    {line}")
        if len(found) > MAX_SHOWN:
            print(f"    … {len(found) - MAX_SHOWN} more")
    print(f"\n{len(pdfs)} PDFs, {n_diff} with different output; {kept} of {pages} pages laid out; "
          f"parse {t_sel:.1f}s with page selection, {t_all:.1f}s on all pages ({t_sel / max(t_all, 1e-9):.2f}x)")
    return 1 if n_diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
