"""Top level of the parser: one PDF in, one canonical Document out, never an exception.

pdf.py (open, page text, status) → meta.py (unit, year, kind) → extract.py (camelot) →
locate.py (titles, continuation pages) → tables/ (rows, totals) → narrative/ (facts)
→ checks.py (identities). Each failure is recorded against the file, page and table.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from parsers.amounts import find_money_unit
from parsers.checks import run_checks
from parsers.codes import match_codes_by_name
from parsers.document import Document, DocumentMeta, Source, Table
from parsers.extract import iter_pages
from parsers.locate import locate
from parsers.meta import detect_meta, is_budget_document
from parsers.narrative import extract_facts
from parsers.ocr import annotate as annotate_ocr
from parsers.ocr import prepare as prepare_ocr
from parsers.pdf import UnreadablePDF, read_pdf_text, sha256_file
from parsers.performance import performance_targets
from parsers.sections import extract_sections
from parsers.tables import Context, build_table
from parsers.unit_from_prose import unit_from_prose, units_against_prose
from parsers.verify import choose_tables, verify_document

log = logging.getLogger(__name__)


def parse_pdf(path: Path | str, *, verify: bool = True, ocr: bool | None = None,
              derived_dir: Path | str | None = None) -> Document:
    """Parse one PDF. Failures become a status and readable errors, never an exception.

    ocr: OCR scanned pages (None: BUDGET_ETL_OCR, default on); derived_dir: where the OCR'd
    copy is kept (parsers/ocr.py).

    verify=False skips the text-layer verification (parsers/verify.py); only benches use it."""
    path = Path(path)
    t0 = time.perf_counter()
    try:
        doc = _parse(path, verify, ocr, derived_dir)
    except UnreadablePDF as e:
        sha = sha256_file(path) if path.exists() and path.is_file() else ""
        doc = Document(source=Source(file=path.name, sha256=sha), status="unreadable", errors=[f"{path.name}: {e}"])
    except Exception:  # a parser bug must not stop a nightly run: record it
        log.exception("parse failed: %s", path)
        sha = sha256_file(path) if path.exists() and path.is_file() else ""
        doc = Document(source=Source(file=path.name, sha256=sha), status="unreadable",
                       errors=[f"{path.name}: the parser failed on this file (an internal error, logged for the "
                               "developers); nothing was read from it"])
    doc.seconds = round(time.perf_counter() - t0, 3)
    return doc


def _parse(path: Path, verify: bool = True, ocr: bool | None = None, derived_dir: Path | str | None = None) -> Document:
    text = read_pdf_text(path)
    doc = Document(source=Source(file=path.name, sha256=text.sha256, pages=text.page_count))
    if text.page_count == 0:
        raise UnreadablePDF("the PDF has no pages")
    ocr_result = None
    if text.text_pages() < text.page_count:  # scanned pages get a text layer (parsers/ocr.py)
        ocr_result = prepare_ocr(path, text, doc, ocr, derived_dir)
        if doc.status == "no_text_layer":
            return doc
        text = ocr_result.text if ocr_result else text
    src = ocr_result.path if ocr_result else path
    meta = detect_meta(text.pages)
    doc.document = DocumentMeta(**{k: v for k, v in meta.items() if k in DocumentMeta.model_fields})
    ctx = Context(year=doc.document.year, kind=doc.document.kind, unit=doc.document.unit)

    layouts = list(iter_pages(src, texts=text.pages))  # parsers/pages.py picks the pages to lay out
    for pl in layouts:
        if pl.error:
            doc.errors.append(f"{path.name}: {pl.error}")
    located, notes = locate(layouts)
    declared = next((u for page in text.pages if (u := find_money_unit(page))), None)
    for loc in located:  # no 单位 line near the table: the unit the report declares elsewhere
        loc.money_unit = loc.money_unit or declared
    failed = []
    built: list[tuple[Table, object]] = []
    for loc in located:
        try:
            doc.tables.append(build_table(loc, ctx))
            built.append((doc.tables[-1], loc))
        except Exception:  # one bad table must not lose the others
            log.exception("table failed: %s %s", path, loc.title)
            failed.append(loc)
            pages = ", ".join(map(str, loc.pages))
            doc.errors.append(f"{path.name}: page {pages}: table '{loc.title}' could not be read (the parser "
                              "failed on its layout; the other tables are kept): check this table by hand")

    sections, unit_checks = _units_from_prose(doc, built, ctx, text.pages, meta)
    match_codes_by_name(doc.tables)
    ok, reason = is_budget_document(text.pages)
    if not ok and not any(t.rows or t.items for t in doc.tables):
        doc.status = "not_a_budget"
        doc.errors.append(f"{path.name}: not a budget or final-accounts disclosure ({reason})")
        doc.tables = []
        return doc

    facts = extract_facts(text.pages, meta=meta)
    facts.update(sections or extract_sections(text.pages, meta))  # sections, narrative_totals, empty_notes
    _facts_from_tables(facts, doc.tables, layouts, located)
    doc.document.subordinate_units = list(facts.get("subordinate_units") or [])
    doc.facts = facts
    doc.checks = unit_checks + run_checks(doc)
    if verify:
        doc.checks += verify_document(built, layouts, text.pages)
    doc.checks += units_against_prose(doc.tables, facts.get("narrative_totals") or [])
    choose_tables(doc.tables)
    annotate_ocr(doc, ocr_result)
    if failed or any(pl.error for pl in layouts):
        doc.status = "partial"
    for note in notes:
        log.info("%s: %s", path.name, note)
    return doc


def _units_from_prose(doc: Document, built: list[tuple[Table, object]], ctx: Context, pages: list[str],
                      meta: dict) -> tuple[dict | None, list]:
    """Tables printing no money unit in a report declaring none: rebuilt in the unit the prose
    quotes their totals in (parsers/unit_from_prose.py). Returns the report's sections (read
    here only when needed, reused for its facts) and the check saying why."""
    unitless = [i for i, (t, loc) in enumerate(built) if loc.money_unit is None and not t.empty]
    if not unitless:
        return None, []
    sections = extract_sections(pages, meta)
    found = unit_from_prose([built[i][0] for i in unitless], sections["narrative_totals"])
    if not found:
        return sections, []
    unit, check = found
    for i in unitless:
        old, loc = built[i]
        loc.money_unit = unit
        built[i] = (build_table(loc, ctx), loc)
        doc.tables[next(k for k, t in enumerate(doc.tables) if t is old)] = built[i][0]
    return sections, [check]


def _facts_from_tables(facts: dict, tables: list[Table], layouts, located) -> None:
    """Table figures beat prose: the 三公 table fills facts.three_public; targets come from grids."""
    for t in tables:
        if t.kind == "three_public" and any(t.total.get(k) for k in ("total", "abroad", "reception")):
            tp = {k: t.total[k] for k in ("total", "abroad", "reception", "vehicle_total",
                                           "vehicle_purchase", "vehicle_operation") if k in t.total}
            if "vehicle_total" not in t.total or not t.total["vehicle_total"]:
                tp["vehicle_total"] = round(tp.get("vehicle_purchase", 0.0) + tp.get("vehicle_operation", 0.0), 2)
            narrative = facts.get("three_public") or {}
            facts["three_public"] = {**narrative, **tp}
            break
    targets = performance_targets(located)
    if targets:
        facts["performance_targets"] = targets
