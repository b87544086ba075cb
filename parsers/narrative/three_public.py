"""The "三公" figures (因公出国（境）, 公务接待, 公务用车) and 机关运行经费 stated in the prose, in 元."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parsers.narrative.labels import best_window, labelled_amounts
from parsers.normalise.money import CENT
from parsers.text import NarrativeText, rx
from parsers.vocab import load_template


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


def extract_three_public(nt: NarrativeText, final: bool = False, year: int | None = None) -> dict[str, float]:
    """因公出国（境）费, 公务接待费, 公务用车购置及运行费 (购置 / 运行) and their total, in 元."""
    topic = _cfg()["three_public"]
    out = best_window(nt, topic, final, year)
    if out:
        for key, label in topic["labels"].items():
            if key not in out and rx(topic["none"] + f"(?:{label})").search(nt.text):
                out[key] = 0.0
    return out


def derive_three_public(tp: dict[str, float]) -> list[str]:
    """Fill vehicle_total / total from printed parts when the report gives only the parts."""
    derived = []
    for prefix in ("", "prior_", "budget_"):
        parts = [tp.get(prefix + k) for k in ("vehicle_purchase", "vehicle_operation")]
        if prefix + "vehicle_total" not in tp and all(p is not None for p in parts):
            tp[prefix + "vehicle_total"] = _add(parts)
            derived.append(prefix + "vehicle_total")
        parts = [tp.get(prefix + k) for k in ("abroad", "reception", "vehicle_total")]
        if prefix + "total" not in tp and all(p is not None for p in parts):
            tp[prefix + "total"] = _add(parts)
            derived.append(prefix + "total")
    return derived


def _add(values: list[float | None]) -> float:
    total = sum((Decimal(str(v)) for v in values if v is not None), Decimal("0"))
    return float(total.quantize(CENT))


def extract_operating_costs(nt: NarrativeText, final: bool = False, year: int | None = None) -> dict[str, float]:
    """机关运行经费 (元): this year's budget, or in a 决算 the actual with the budget beside it."""
    cfg = _cfg()["operating_costs"]
    found = labelled_amounts(nt, (0, len(nt.text)), {"amount": cfg["label"]}, cfg["stop"] + "|政府采购",
                             cfg["max_gap"], final, year)
    if "amount" not in found and rx(cfg["none"]).search(nt.text):
        found["amount"] = 0.0
    return found

