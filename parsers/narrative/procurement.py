"""政府采购 figures stated in the prose: total, 货物/工程/服务, the 中小企业 share."""

from __future__ import annotations

from typing import Any

from parsers.narrative.labels import best_window
from parsers.text import NarrativeText, amounts_in, rx
from parsers.vocab import load_template

# The 中小企业 amount may sit a little further from its label than the topic's max_gap
# ("授予中小企业合同金额（含…）X 万元"): characters allowed beyond it.
SME_AMOUNT_SLACK = 12


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


def extract_procurement(nt: NarrativeText, final: bool = False, year: int | None = None) -> dict[str, float]:
    """政府采购 total, 货物/工程/服务, 授予中小企业合同金额 (元) and its share (%)."""
    topic = _cfg()["procurement"]
    out = best_window(nt, topic, final, year)
    if "sme" in out:
        for m in rx(topic["labels"]["sme"]).finditer(nt.text):
            a = amounts_in(nt.text, m.end(), m.end() + topic["max_gap"] + SME_AMOUNT_SLACK)
            if a:
                share = rx(topic["sme_share"]).match(nt.text, a[0].end)
                if share:
                    out["sme_share"] = float(share.group(1))
                    break
    return out

