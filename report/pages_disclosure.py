"""The disclosure-quality page: each report's score, what it lacks, and every figure of its
prose that disagrees with its tables or last year's report, with both pages
(views disclosure_score / disclosure_consistency; README "Disclosure quality")."""

from __future__ import annotations

from typing import Any

from report.data import Filters
from report.model import Evidence, Page
from report.pages_unit import KIND_NAMES, unit_path


def disclosure_page(scores: list[dict[str, Any]], issues: list[dict[str, Any]], filters: Filters,
                    ev: Evidence, units: set[str]) -> Page:
    page = Page("disclosure.html", "disclosure.html", "公开质量", {})

    def keep(r: dict[str, Any]) -> bool:
        return filters.keep(r["unit"], r["region"], r["year"])

    def decorate(r: dict[str, Any]) -> dict[str, Any]:
        return dict(r, kind_name=KIND_NAMES.get(r["kind"] or "", r["kind"] or ""),
                    href=unit_path(r["unit_id"]) if r["unit_id"] in units else None)

    rows = [decorate(r) for r in scores if keep(r)]
    found = [dict(decorate(r), image=ev.image(page, r["doc_id"], r["stated_page"], (r["label"] or "",)))
             for r in issues if keep(r)]
    page.context = {"scores": rows, "issues": found}
    return page
