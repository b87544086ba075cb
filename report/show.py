"""`budget-etl show DOC_ID --page N [--code C]`: one archived page as PNG, the row boxed."""

from __future__ import annotations

from pathlib import Path

from report.pageimg import PageImageError, render_page
from warehouse.reader import reader


class ShowError(Exception):
    """Bad input for `show`: an unknown document, a missing archive or page (one line)."""


def archived_pdf(db_path: Path, raw_dir: Path, doc_id: str) -> Path:
    """The archived PDF of a document: data_dir/raw/<sha256>.pdf (doc_id or a prefix of it)."""
    with reader(db_path) as (con, _):
        rows = con.execute("SELECT doc_id, sha256 FROM documents WHERE doc_id LIKE ? || '%' ORDER BY doc_id",
                           [doc_id.strip().lower()]).fetchall()
    if not rows:
        raise ShowError(f"no document {doc_id!r} in the warehouse (see: budget-etl sql \"SELECT doc_id, unit FROM documents\")")
    if len(rows) > 1:
        raise ShowError(f"{doc_id!r} matches {len(rows)} documents: {', '.join(r[0] for r in rows[:5])}")
    doc, sha = rows[0]
    if not sha:
        raise ShowError(f"document {doc} has no archived file (it could not be hashed)")
    pdf = raw_dir / f"{sha}.pdf"
    if not pdf.exists():
        raise ShowError(f"document {doc}: the archived PDF {pdf} is missing")
    return pdf


def show_page(db_path: Path, raw_dir: Path, doc_id: str, page: int, code: str | None, out: Path) -> bool:
    """Write the PNG; returns whether the code's row was found and boxed."""
    pdf = archived_pdf(db_path, raw_dir, doc_id)
    try:
        return render_page(pdf, page, out, [code] if code else None)
    except PageImageError as e:
        raise ShowError(f"document {doc_id}: {e}") from e
