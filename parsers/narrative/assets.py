"""The 国有资产 section of the prose: vehicles, buildings, equipment above a unit value, values."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from parsers.normalise.money import MONEY_UNITS, SCALE
from parsers.text import NarrativeText, balance, to_yuan, topic_windows
from parsers.vocab import load_template


def _cfg() -> dict[str, Any]:
    return load_template("narrative.yaml")


def extract_assets(nt: NarrativeText, unit: str | None = None) -> dict[str, Any]:
    """Figures of the 国有资产 section: vehicles, buildings, equipment above a unit value, values."""
    cfg = _cfg()["assets"]
    items: list[dict[str, Any]] = []
    for start, end in topic_windows(nt, cfg["anchor"], any_level=True):
        section = nt.text[start:end]
        if not re.search(rf"\d(?:{cfg['count_units']}|万元|元)", section):
            continue
        items = _asset_items(section, cfg, unit)
        if items:
            break
    if not items:
        return {}
    out: dict[str, Any] = {"items": items}
    for key, pattern in cfg["keys"].items():
        for it in items:
            if re.search(pattern, it["label"]) and "购置" not in it["label"]:
                out[key] = it["value"]
                break
    seen: set[float] = set()
    for it in items:
        t = re.search(cfg["threshold"], it["label"])
        if t and "设备" in it["label"] and "购置" not in it["label"] and it["unit"] != "元":
            threshold = to_yuan(t.group(2), "万元")
            if threshold not in seen:  # holdings come first; later ones are planned purchases
                seen.add(threshold)
                out.setdefault("equipment", []).append(
                    {"threshold": threshold, "count": it["value"], "label": it["label"]})
    return out


def _asset_items(section: str, cfg: dict[str, Any], unit: str | None) -> list[dict[str, Any]]:
    units = cfg["count_units"] + "|" + "|".join(MONEY_UNITS)
    pair = re.compile(rf"(\d+(?:,\d{{3}})*(?:\.\d+)?)({units})(?!以上|以下|（含）|\(含\))")
    items: list[dict[str, Any]] = []
    prev_label = ""
    for clause in re.split(r"[，；;。：:、]|,(?!\d{3})|其中", section):
        last = 0
        for m in pair.finditer(clause):
            label = _asset_label(clause[last:m.start()], unit)
            last = m.end()
            if re.fullmatch(r"(?:19|20)\d{2}", m.group(1)) or m.group(2) in ("月", "日"):
                continue
            if not label:
                label = prev_label
            if not label:
                continue
            prev_label = label
            money = m.group(2) in SCALE
            value = to_yuan(m.group(1), m.group(2)) if money else _count(m.group(1))
            items.append({"label": label, "value": value, "unit": "元" if money else m.group(2)})
    return items


def _asset_label(raw: str, unit: str | None) -> str:
    s = re.sub(r"^.*?(?:截至|截止)\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?", "", raw)
    s = re.sub(r"^(?:截至|截止)?上年(?:底|末)", "", s)
    if unit:
        s = s.replace(re.sub(r"（[^）]*）$", "", unit), "")
    s = re.sub(r"^.*?(?=共有|实有|现有|拥有|占有)", "", s) if re.search(r"共有|实有|现有|拥有|占有", s) else s
    s = re.sub(r"^(?:本部门|本单位|所属(?:各)?预算单位|及下属各预算单位|下属各预算单位)+", "", s)
    return balance(s)


def _count(number: str) -> float | int:
    d = Decimal(number.replace(",", ""))
    return int(d) if d == d.to_integral_value() else float(d)

