"""OCR stage: give scanned pages a text layer with Tesseract, then parse as usual.

Only pages with no text and an image covering them are OCR'd (pdf.classify_pages); pages
with a text layer and blank pages are left alone. The OCR'd file is a derived version kept
next to the archive (<derived>/<sha256 of the original>.ocr.pdf, with a .ocr.json of the
pages and word confidences), so re-parsing never runs OCR twice; the original stays the
document's identity (source.sha256). Each page is read by parsers/ocr_engine.py (Tesseract,
header cells again by ocr_cells.py, words by ocr_words.py) and its text layer drawn over the
page by ocr_layer.py; OCRmyPDF is not used (its start and Ghostscript rasterisation cost
~0.9 s of CPU a page, and a rendering blurs the scan: bench/ocr_accuracy.py).

Wrong digits must never pass silently: the arithmetic identities and the text-layer
verification apply to OCR'd tables as to any other, and `annotate` adds one failed check
("ocr confidence") per row whose amounts were read from words below LOW_CONFIDENCE (or
from fragments such as "2,208."), and one ("ocr header") per value key whose header OCR did
not read as a measure.
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from parsers.document import Check, Document
from parsers.headers import measure_key, templates
from parsers.ocr_engine import read_page
from parsers.ocr_layer import graft
from parsers.ocr_rules import page_rules
from parsers.ocr_words import FIXES_FILE
from parsers.pdf import PdfText, classify_pages, read_pdf_text

PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"  # Debian packages the stage needs
LANGUAGES = "chi_sim"  # chi_sim reads digits too; +eng read 合计 as "it"/"tt" and cost ~0.6 s a page (measured)
PAGESEG = None  # Tesseract's default (3, automatic): 6 and 4 lose the table body (bench/ocr_accuracy.py)
OVERSAMPLE = 300  # dpi pages are rendered at for Tesseract: its digit accuracy needs ~300 (150-dpi scans upsampled)
TIMEOUT = 180  # seconds a page may take in Tesseract before the stage gives up on it
# Amount words Tesseract reads at under this confidence are suspect. Measured on 235 amount
# words of 300-dpi scans (bench/ocr_accuracy.py pages): median 92.3, 3 right ones under 80
# (77.5-78.6), while partial reads that lost their leading digits (".53" for "9.53") sat at
# 79-82; so 80, and a fragment (an amount starting or ending with "." or ",") is suspect at
# any confidence. Again with chi_sim alone on the stored images: 12 of 204 right rows have a
# word under 80 (lowest 64.1), the wrong ones 61.6 or fragments at 85-93; 80 kept (a false
# flag costs a look, a missed one a wrong figure).
LOW_CONFIDENCE = 80.0
# a derived file made with other settings (or other known misreadings) is redone
SETTINGS = f"24|{LANGUAGES}|{PAGESEG}|{OVERSAMPLE}|" + hashlib.sha256(
    FIXES_FILE.read_bytes() if FIXES_FILE.exists() else b"").hexdigest()[:12]


class OcrUnavailable(Exception):
    """The OCR tools are missing or failed; the message says what to install or what broke."""


@dataclass
class OcrResult:
    path: Path  # the derived PDF with a text layer
    text: PdfText
    pages: list[int]  # 1-based pages that were OCR'd
    confidence: dict[int, float]  # page -> mean word confidence (0-100)
    words: dict[int, list[dict]] = field(default_factory=dict)  # page -> [{text, conf, bbox}]
    seconds: float = 0.0


def enabled(flag: bool | None) -> bool:
    """An explicit flag wins; else BUDGET_ETL_OCR (set from config parse.ocr by the CLI); else on."""
    if flag is not None:
        return flag
    return os.environ.get("BUDGET_ETL_OCR", "1").strip().lower() not in ("0", "false", "no", "off")


def derived_dir_for(path: Path, derived_dir: Path | str | None) -> Path | None:
    """Where derived files go: the argument, BUDGET_ETL_DERIVED_DIR, or derived/ beside an
    archive's raw/ folder; None for a loose file (then the system's temp folder caches it)."""
    if derived_dir:
        return Path(derived_dir)
    if os.environ.get("BUDGET_ETL_DERIVED_DIR"):
        return Path(os.environ["BUDGET_ETL_DERIVED_DIR"])
    if path.parent.name == "raw":
        return path.parent.parent / "derived"
    return None


def missing_tools() -> str | None:
    """What is missing to run OCR, in words naming the Debian packages, or None."""
    missing = [c for c in ("tesseract",) if shutil.which(c) is None]
    if not missing:
        try:
            langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                   timeout=30).stdout.split()
        except (OSError, subprocess.SubprocessError):
            langs = []
        missing = [f"Tesseract language '{lang}'" for lang in LANGUAGES.split("+") if lang not in langs]
    if not missing:
        return None
    return (f"OCR is not available ({', '.join(missing)} not found): install the Debian packages "
            f"{PACKAGES} (sudo apt-get install {PACKAGES}, or `make sysdeps`)")


def ocr_document(path: Path, sha256: str, pages: list[int], derived_dir: Path | None) -> OcrResult:
    """OCR these pages of the PDF (or reuse the derived file made earlier with the same settings)."""
    reason = missing_tools()
    if reason:
        raise OcrUnavailable(reason)
    derived_dir = derived_dir or Path(tempfile.gettempdir()) / "budget-etl-ocr"
    derived_dir.mkdir(parents=True, exist_ok=True)
    return _ocr(path, sha256, pages, derived_dir)


def _ocr(path: Path, sha256: str, pages: list[int], out_dir: Path) -> OcrResult:
    out, meta_file = out_dir / f"{sha256}.ocr.pdf", out_dir / f"{sha256}.ocr.json"
    if out.exists() and meta_file.exists():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("settings") == SETTINGS and meta.get("pages") == pages:
            return _result(out, meta)
    t0, c0 = time.perf_counter(), _cpu()
    with tempfile.TemporaryDirectory(prefix="budget-etl-ocr-", dir=out_dir) as tmp:
        layers, words = _read_pages(path, pages, Path(tmp))
        tmp_pdf = Path(tmp) / "out.pdf"
        try:
            graft(path, layers, tmp_pdf)
        except (OSError, ValueError, RuntimeError) as e:
            raise OcrUnavailable(f"the OCR text layer could not be written: {type(e).__name__}: {e}") from e
        meta = {"settings": SETTINGS, "source_sha256": sha256, "pages": pages, "words": words,
                "seconds": round(time.perf_counter() - t0, 2), "cpu_seconds": round(_cpu() - c0, 2)}
        os.replace(tmp_pdf, out)
    tmp_meta = meta_file.with_suffix(".json.tmp")
    tmp_meta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp_meta, meta_file)
    return _result(out, meta)


def _read_pages(path: Path, pages: list[int], tmp: Path) -> tuple[dict[int, bytes], dict[str, list[dict]]]:
    """Each page's text layer and words (boxes in pt of the displayed page)."""
    layers: dict[int, bytes] = {}
    words: dict[str, list[dict]] = {}
    doc = pdfium.PdfDocument(str(path))
    try:
        for p in pages:
            page = doc[p - 1]
            try:
                lines, layers[p], px_per_pt = read_page(page, page_rules(page), tmp / f"p{p}", LANGUAGES, PAGESEG,
                                                        OVERSAMPLE, TIMEOUT)
            except subprocess.TimeoutExpired as e:
                raise OcrUnavailable(f"Tesseract did not finish page {p} within {e.timeout:.0f} s") from e
            except subprocess.CalledProcessError as e:
                last = ((e.stderr or b"").decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
                raise OcrUnavailable(f"Tesseract failed on page {p} (exit {e.returncode}: {last})") from e
            except (OSError, ValueError, RuntimeError) as e:  # an image pdfium or PIL cannot decode, a full disk
                raise OcrUnavailable(f"OCR failed on page {p}: {type(e).__name__}: {e}") from e
            finally:
                page.close()
            k = 1.0 / px_per_pt
            words[str(p)] = [{"text": w["text"], "conf": round(w["conf"], 1),
                              "bbox": [round(w["x0"] * k, 1), round(w["y0"] * k, 1), round(w["x1"] * k, 1),
                                       round(w["y1"] * k, 1)]} for line in lines for w in line]
    finally:
        doc.close()
    return layers, words


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract): what OCR costs."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _result(out: Path, meta: dict) -> OcrResult:
    words = {int(k): v for k, v in meta.get("words", {}).items()}
    conf = {}
    for page in meta["pages"]:
        cs = [w["conf"] for w in words.get(page, []) if w["conf"] >= 0]
        conf[page] = round(sum(cs) / len(cs), 1) if cs else 0.0
    return OcrResult(out, read_pdf_text(out), list(meta["pages"]), conf, words, float(meta.get("seconds", 0.0)))


# ------------------------------------------------------------------------------ in the parse


def prepare(path: Path, text: PdfText, doc: Document, ocr: bool | None = None,
            derived_dir: Path | str | None = None) -> OcrResult | None:
    """Run OCR on the scanned pages when there are any and OCR is on.

    Returns the OCR result to parse from (its path and text), or None to parse the original.
    When nothing is readable (every page scanned and OCR off or unavailable, or every page
    blank) doc.status and doc.errors say so and the caller stops.
    """
    kinds = classify_pages(path, text)
    scans = [i + 1 for i, k in enumerate(kinds) if k == "scan"]
    n = text.page_count
    if not scans:
        if "text" not in kinds:
            doc.status = "no_text_layer"
            doc.errors.append(f"{path.name}: all {n} pages are blank (no text and no page image): nothing to read")
        return None
    why = "OCR is turned off (parse --no-ocr or config parse.ocr: false)"
    result = None
    if enabled(ocr):
        try:
            result = ocr_document(path, text.sha256, scans, derived_dir_for(path, derived_dir))
        except OcrUnavailable as e:
            why = str(e)
    if result is None:
        if "text" not in kinds:
            doc.status = "no_text_layer"
            doc.errors.append(f"{path.name}: none of the {n} pages has a text layer and {len(scans)} are scanned "
                              f"images: {why}")
        else:
            doc.errors.append(f"{path.name}: pages {scans} are scanned images without a text layer; "
                              f"their content is not read: {why}")
        return None
    doc.ocr, doc.ocr_pages, doc.ocr_confidence = True, result.pages, result.confidence
    return result


def annotate(doc: Document, result: OcrResult | None) -> None:
    """Mark tables and rows read from OCR'd pages; flag rows whose amounts are low-confidence
    words or fragments, and value keys whose column header OCR did not read."""
    if result is None:
        return
    _check_unread_pages(doc, result)
    ocr_pages = set(result.pages)
    for t in doc.tables:
        if not ocr_pages.intersection(t.pages):
            continue
        t.ocr = True
        scale = 10000.0 if (t.money_unit or "").startswith("万") else 1.0
        for r in t.rows:
            if r.page not in ocr_pages:
                continue
            r.ocr = True
            found = _amount_words(result.words.get(r.page, []), r.code, r.name,
                                  [v / scale for v in r.values.values() if v])
            if found:
                r.ocr_confidence = min(w["conf"] for w in found)
            low = [w for w in found if w["conf"] < LOW_CONFIDENCE or _fragment(w["text"])]
            if low:
                doc.checks.append(Check(
                    rule="ocr confidence", table=f"{t.kind} ({t.label or t.title})", passed=False, page=r.page,
                    expected=LOW_CONFIDENCE, actual=min(w["conf"] for w in low),
                    detail=f"{r.code or ''} {r.name}: amount(s) {', '.join(w['text'] for w in low)} read by OCR "
                           f"at confidence under {LOW_CONFIDENCE:.0f} or as a fragment".strip()))
        _check_headers(doc, t, ocr_pages)
        _check_uncoded_items(doc, t, ocr_pages)
        if not t.money_unit and any(r.ocr and any(r.values.values()) for r in t.rows):
            doc.checks.append(Check(
                rule="ocr money unit", table=f"{t.kind} ({t.label or t.title})", passed=False,
                page=min(ocr_pages.intersection(t.pages)), expected=None, actual=None,
                detail="no 单位 line (万元 / 元) was read by OCR for this table: its amounts are taken as 元 and "
                       "may be off by 10,000"))


CODED = re.compile(r"^(?:\d{3}|\d{5}|\d{7})(?:$|[-—－:：、.]?[\u4e00-\u9fff])")  # 2040601, 2040601-行政运行
MIN_CODED_WORDS = 3  # an OCR'd page printing this many coded words holds a coded table


def _check_unread_pages(doc: Document, result: OcrResult) -> None:
    """An OCR'd page that prints coded lines but gives no table a coded row (the header or
    the grid was not made out) loses a whole table silently: one failed check per such page."""
    for page in result.pages:
        coded = [w for w in result.words.get(page, []) if CODED.match(w["text"])]
        if len(coded) < MIN_CODED_WORDS or any(r.page == page and r.code for t in doc.tables for r in t.rows):
            continue
        on_page = [t for t in doc.tables if page in t.pages]
        doc.checks.append(Check(
            rule="ocr page unread", table=f"{on_page[0].kind} ({on_page[0].label or on_page[0].title})" if on_page else "",
            passed=False, page=page, expected=float(len(coded)), actual=0.0,
            detail=f"page {page}: OCR read {len(coded)} coded lines, but no table row was read from the page"))


def _fragment(text: str) -> bool:
    """An amount that lost digits at a separator: ".53" (for "9.53"), "2,208." (for "2,208.19")."""
    return text[:1] in ".," or text[-1:] in ".,"


def _check_headers(doc: Document, t, ocr_pages: set[int]) -> None:
    """A value key whose column header OCR did not read as a measure (empty, or garbled into
    words the vocabulary does not know) was given by position or kept under a column letter:
    its figures may stand under the wrong key, which no identity can see (基本支出 and 项目支出
    swapped still add up). So is a key named by a column letter (`*_col_*`): two headers read
    as the same measure, one of them misread; and a header naming two measures (two columns'
    headers run together: one column lost, zeros included). One failed check per such key with a non-zero figure."""
    for key, label in t.columns.items():
        read = label == key or (label and measure_key(label.split("/"), None) is not None)
        merged = bool(label) and len(_measures_in(label.split("/")[-1])) >= 2
        if read and "_col_" not in key and not merged:
            continue
        # two measures in one header: two columns read as one, the other's figures (zeros
        # too) are not under its key
        rows = [r for r in t.rows if r.page in ocr_pages and (r.values.get(key) or (merged and key in r.values))]
        if not rows:
            continue
        why = ("its header names two measures (two columns read as one)" if merged
               else "its header reads as another column's measure" if read
               else "its header names no measure (misread, or not in the vocabulary)")
        doc.checks.append(Check(
            rule="ocr header", table=f"{t.kind} ({t.label or t.title})", passed=False, page=rows[0].page,
            expected=None, actual=None,
            detail=f"column '{key}': on an OCR'd page {why} ({label or 'nothing read'!r}); "
                   f"the column's {len(rows)} figures may stand under the wrong key"))


def _check_uncoded_items(doc: Document, t, ocr_pages: set[int]) -> None:
    """A summary's expenditure line whose function-class name OCR misread ("四教育支出": the 、
    lost; "j二、外交支出") is an item without a code: its class row is missing (a zero line
    too), and nothing else may say so. One failed check per such item."""
    for it in t.items:
        label = re.sub(r"\s+", "", it.label)
        if (it.page in ocr_pages and it.side == "expenditure" and not it.code and not _measures_in(label)
                and _like_a_class(label)):
            doc.checks.append(Check(
                rule="ocr name unread", table=f"{t.kind} ({t.label or t.title})", passed=False, page=it.page,
                expected=None, actual=None,
                detail=f"expenditure line {it.label!r} names no function class as OCR read it "
                       "(misread?): its class row is missing"))


CLASSES_FILE = Path(__file__).parent / "normalise" / "reference" / "func_classification_partial.csv"
LIKE_A_CLASS = 0.8  # similarity (difflib) of a misread name to a 类 name: 四教育支出 0.89, 一、本年支出 0.4


@functools.lru_cache(maxsize=1)
def _class_names() -> tuple[str, ...]:
    with open(CLASSES_FILE, encoding="utf-8", newline="") as f:
        return tuple(r["name"] for r in csv.DictReader(f) if r.get("level") == "类" and r.get("name"))


def _like_a_class(label: str) -> bool:
    """The label holds a function class's name or nearly one (四教育支出, 社会保障和丈业支出),
    not a total or another line (一、本年支出, 对附属单位的补助支出)."""
    return any(n in label or difflib.SequenceMatcher(None, label, n).ratio() >= LIKE_A_CLASS for n in _class_names())


def _measures_in(label: str) -> set[str]:
    """The measures a header label names (上缴上级支对附属单位补助支出: two)."""
    return {k for k, rx in templates()["_measures"] if rx.search(label)} - {"subtotal", "total"}


def _number(s: str) -> float | None:
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def _amount_words(words: list[dict], code: str | None, name: str, amounts: list[float]) -> list[dict]:
    """The words on the row's line that hold its amounts: the line is found by the row's code
    (or name); the words by value, so a column read elsewhere on the page is not taken."""
    anchor = next((w for w in words if code and w["text"].replace(" ", "") == code), None)
    if anchor is None and name:
        anchor = next((w for w in words if w["text"] == name), None)
    pool = words
    if anchor is not None:
        y0, y1 = anchor["bbox"][1], anchor["bbox"][3]
        h = max(y1 - y0, 1.0)
        pool = [w for w in words if y0 - h / 2 <= (w["bbox"][1] + w["bbox"][3]) / 2 <= y1 + h / 2]
    out = []
    for w in pool:
        v = _number(w["text"])
        if v is not None and any(abs(v - a) < 0.005 + 1e-9 * abs(a) for a in amounts):
            out.append(w)
    if anchor is None:  # no line to stand on: only amounts that occur once on the page count
        out = [w for w in out if sum(1 for x in out if x["text"] == w["text"]) == 1]
    return out
