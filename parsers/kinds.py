"""A table title → the kind rule of templates/tables.yaml it names (收支总表 → income_expenditure_summary).

Tables are identified by the title printed above them, never by position or 表N number.
This module only reads text, so the page selection (parsers.pages) can ask it whether a
page's text layer prints a title before any layout analysis.
"""

from __future__ import annotations

import re

from parsers.text import clean
from parsers.vocab import load_template, pattern

LAYOUT = "layout.yaml"
# A longer line is a sentence that mentions tables, not a title.
TITLE_MAX_CHARS = 70


def label_pattern() -> re.Pattern[str]:
    """The 表N label (表3, 公开01表, 预算01-1表) of templates/layout.yaml."""
    return pattern(LAYOUT, "label")


def normalise_title(text: str) -> str:
    """A title as the rules match it: year, 表N label and list numbering dropped."""
    s = clean(text)
    s = s.replace("(", "（").replace(")", "）").replace('"', "“")
    s = pattern(LAYOUT, "title_year").sub("", s)
    s = label_pattern().sub("", s)
    s = pattern(LAYOUT, "numbering").sub("", s)
    return s


def classify_title(text: str) -> dict | None:
    """The kind rule a title names, or None. Table-of-contents lines are not titles."""
    if pattern(LAYOUT, "toc_leaders").search(text):
        return None
    s = normalise_title(text)
    if not s or len(s) > TITLE_MAX_CHARS or "表" not in s:
        return None
    if pattern(LAYOUT, "not_title").search(s) or pattern(LAYOUT, "report_title").search(s) \
            and not pattern(LAYOUT, "content_title").search(s):
        return None
    if pattern(LAYOUT, "prose_punctuation").search(s):
        return None
    for rule in load_template("tables.yaml")["kinds"]:
        if re.search(rule["title"], s) and not (rule.get("not") and re.search(rule["not"], s)):
            return rule
    return None


def classified_kinds() -> set[str]:
    """Kinds whose rows are lines of a classification (their rule names its scheme): there a
    row's name is the code's name, while a 政府采购表 or 项目支出表 row beside a code names a project."""
    return {rule["kind"] for rule in load_template("tables.yaml")["kinds"] if rule.get("scheme")}
