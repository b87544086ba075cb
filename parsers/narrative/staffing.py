"""Head counts stated in the prose (人员构成): 编制数, 实有人数, 在职/退休/离休 and changes."""

from __future__ import annotations

from typing import Any

from parsers.text import NarrativeText, rx
from parsers.vocab import load_template


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


def extract_staffing(nt: NarrativeText) -> dict[str, int]:
    """Head counts (编制数, 实有人数, 在职/退休/离休 with their +/- changes, 行政/事业编制)."""
    cfg = _cfg()["staffing"]
    text = nt.text
    out: dict[str, int] = {}
    change = rx(cfg["change"])
    for key, pattern in cfg["counts"].items():
        m = rx(pattern).search(text)
        if not m:
            continue
        number = next(g for g in m.groups() if g is not None)
        name = cfg["aliases"].get(key, key)
        if name in out:
            continue
        out[name] = int(number)
        c = change.match(text, m.end())
        if c and name in cfg["with_change"]:
            out[f"{name}_change"] = int(c.group(2)) * (1 if c.group(1) == "增加" else -1)
        if name in cfg["with_breakdown"]:
            out.update(_breakdown(text, m.end(), name, cfg))
    return out


def _breakdown(text: str, pos: int, head: str, cfg: dict[str, Any]) -> dict[str, int]:
    """The "其中：行政编制 191 人，事业编制 119 人" split after a head count."""
    h = rx(cfg["breakdown_head"]).match(text, pos)
    if not h:
        return {}
    clause_end = min((i for i in (text.find(c, h.end()) for c in "；。;") if i >= 0), default=len(text))
    out: dict[str, int] = {}
    for m in rx(cfg["breakdown_item"]).finditer(text, h.end(), clause_end):
        key = f"{head}_{cfg['breakdown_keys'][m.group(1)]}"
        out[key] = out.get(key, 0) + int(m.group(2))
    return out

