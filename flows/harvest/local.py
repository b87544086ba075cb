"""Local sources: a PDF file, a directory of them, or the pages of an offline portal (file://).

Local files get the same record semantics as downloads; a size+mtime validator stands in for
the HTTP ETag, so an untouched file is `unchanged` on the next run without being read again.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path

from flows.harvest.archive import Archive, open_inside
from flows.harvest.download import CHUNK, PAGE_MAX_BYTES, FetchFailure, Page
from flows.harvest.records import FetchRecord, PriorFetch, decide
from flows.harvest.urls import to_url
from parsers.pdf import sniff


def file_etag(st: os.stat_result) -> str:
    """Weak validator for a local file (size and mtime in ns), like an HTTP ETag."""
    return f'W/"{st.st_size:x}-{st.st_mtime_ns:x}"'


def _open(path: Path, root: Path | None, what: str) -> int:
    try:
        return open_inside(path, root)
    except FileNotFoundError as e:
        raise FetchFailure("error", f"{what} {path}: file not found") from e
    except PermissionError as e:
        raise FetchFailure(
            "error", str(e) if "refused" in str(e) else f"{what} {path}: permission denied"
        ) from e
    except IsADirectoryError as e:
        raise FetchFailure("error", f"{what} {path}: not a regular file") from e
    except OSError as e:
        raise FetchFailure("error", f"{what} {path}: {e.strerror or e}") from e


def read_local_page(path: Path, root: Path | None) -> Page:
    """An HTML page of an offline portal, refused if it resolves outside `root`."""
    fd = _open(path, root, "read")
    with os.fdopen(fd, "rb") as f:
        body = f.read(PAGE_MAX_BYTES + 1)
    if len(body) > PAGE_MAX_BYTES:
        raise FetchFailure("too_large", f"read {path}: page exceeds the {PAGE_MAX_BYTES} byte limit")
    return Page(url=to_url(path), body=body, content_type=None, status=None)


def copy_local(
    path: Path,
    root: Path | None,
    archive: Archive,
    prior: PriorFetch | None,
    record: FetchRecord,
    max_bytes: int,
) -> FetchRecord:
    """Archive one local file (atomically, by content); never raises for a bad file."""
    record.file_name = path.name
    try:
        fd = _open(path, root, "copy")
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            record.etag = file_etag(st)
            record.last_modified = formatdate(st.st_mtime, usegmt=True)
            record.bytes = st.st_size
            if st.st_size > max_bytes:
                raise FetchFailure(
                    "too_large", f"copy {path}: {st.st_size} bytes exceeds max_bytes {max_bytes}"
                )
            head = f.read(2048)
            reason = sniff(head)
            if reason:
                raise FetchFailure("not_pdf", f"copy {path}: {reason}; not archived")
            if prior is not None and prior.etag == record.etag and archive.has(prior.sha256):
                assert prior.sha256 is not None
                record.outcome, record.sha256 = "unchanged", prior.sha256
                record.archive_path = str(archive.path_for(prior.sha256))
                return record
            with archive.part() as part:
                part.write(head)
                while chunk := f.read(CHUNK):
                    part.write(chunk)
                    if part.size > max_bytes:
                        raise FetchFailure(
                            "too_large", f"copy {path}: grew past max_bytes {max_bytes} while copying"
                        )
                sha, dest = part.commit()
        record.sha256, record.bytes, record.archive_path = sha, dest.stat().st_size, str(dest)
        record.outcome = decide(prior, sha)
    except FetchFailure as e:
        record.outcome, record.error = e.outcome, e.message  # type: ignore[assignment]
        record.sha256 = record.archive_path = None
    except OSError as e:
        record.outcome, record.error = "error", f"copy {path}: {e.strerror or e}"
        record.sha256 = record.archive_path = None
    finally:
        record.fetched_at = datetime.now(UTC)
    return record
