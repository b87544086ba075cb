"""docs/ARCHITECTURE.md follows one figure through the packages by module name: every module
and file it names must exist, so the walk cannot silently go stale after a move."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
PACKAGES = ("flows", "parsers", "warehouse", "report")


def is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a.b.func: a.b is a module, not a package
        return False


def named_modules() -> set[str]:
    found = set(re.findall(r"`((?:" + "|".join(PACKAGES) + r")(?:\.\w+)+)`", DOC))
    # `a.b.func` names a function of module a.b: keep the longest prefix that is a module
    out = set()
    for name in found:
        parts = name.split(".")
        while parts and not is_module(".".join(parts)):
            parts.pop()
        out.add(".".join(parts) if len(parts) > 1 else name)
    return out


def test_every_named_module_exists():
    names = named_modules()
    assert len(names) >= 30  # the walk names the modules of every stage
    missing = sorted(n for n in names if not is_module(n))
    assert not missing, missing


def test_every_named_file_exists():
    paths = set(re.findall(r"`?((?:samples|warehouse|parsers|tests)/[\w./*-]+\.(?:pdf|sql|yaml|py))`?", DOC))
    assert paths
    missing = sorted(p for p in paths if not list(ROOT.glob(p)))
    assert not missing, missing


def test_the_walk_goes_through_the_stages_in_order():
    headings = re.findall(r"^## \d\. (\w+)", DOC, flags=re.M)
    assert headings == ["Orchestration", "Harvest", "Parse", "Load", "Compare"]
    positions = [DOC.index(f"`{m}") for m in ("flows.harvest.run", "parsers.pdf", "parsers.normalise.codes",
                                               "warehouse.prepare", "warehouse.query")]
    assert positions == sorted(positions)
