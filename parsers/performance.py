"""Performance-target tables (单位整体/项目支出绩效目标表, 绩效自评表) → one record per 三级指标.

The 一级/二级指标 cells are merged over the rows they cover; camelot leaves their text in the
top cell of the span, so blanks are filled down from the row above.
"""

from __future__ import annotations

import re

from parsers.amounts import parse_amount
from parsers.headers import clean
from parsers.locate import Located
from parsers.vocab import load_template


def performance_targets(located: list[Located]) -> list[dict]:
    """One record per 三级指标 of every performance-target table, columns named by tables.yaml."""
    vocab = load_template("tables.yaml")
    columns = vocab["performance_columns"]
    out: list[dict] = []
    for loc in located:
        if loc.kind != "performance_targets":
            continue
        scope = "unit" if re.search(vocab["performance_unit_scope"], loc.title) else "project"
        project = None
        for grid in loc.parts:
            cols: dict[str, int] = {}
            last: dict[str, str] = {}
            for r in range(grid.n_rows):
                printed = [re.sub(r"\s*\n\s*", "", t).strip() for t in grid.row_texts(r)]
                texts = [clean(t) for t in printed]
                if "项目名称" in texts:
                    i = texts.index("项目名称")
                    project = next((x for x in texts[i + 1:] if x), project)
                found = {k: c for k, rx in columns.items() for c, t in enumerate(texts) if re.search(rx, t)}
                if "level1" in found and ("level3" in found or "level2" in found):
                    cols, last = found, {}
                    continue
                if not cols:
                    continue
                rec: dict = {"table": scope, "project": project or _project_from_title(loc.title, scope),
                             "page": grid.page}
                cell = {k: texts[c] if c < len(texts) else "" for k, c in cols.items()}
                if cell.get("level1"):
                    last = {"level1": cell["level1"]}  # a new 一级 block: forget the old 二级
                if cell.get("level2"):
                    last["level2"] = cell["level2"]
                rec["level1"] = last.get("level1")
                rec["level2"] = last.get("level2")
                rec["level3"] = cell.get("level3", "")
                if not rec.get("level3"):
                    continue
                for key in ("value", "actual", "basis"):
                    c = cols.get(key)
                    if c is not None and c < len(printed):
                        rec[key] = printed[c] or None
                unit = cell.get("value_unit")
                if unit and rec.get("value") and not rec["value"].endswith(unit):
                    rec["value"] = f"{rec['value']} {unit}"
                for key in ("weight", "score"):
                    c = cols.get(key)
                    if c is not None and c < len(texts):
                        v = parse_amount(texts[c])
                        rec[key] = float(v) if v is not None and texts[c] else None
                out.append(rec)
    return out


def _project_from_title(title: str, scope: str) -> str | None:
    if scope == "unit":
        return None
    name = re.sub(r"(项目支出)?绩效(目标|自评)(申报)?表.*$", "", clean(title))
    name = re.sub(r"^(\d+[.．、]|[一二三四五六七八九十]+、)", "", name)
    return name or None
