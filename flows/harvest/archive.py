"""The raw archive: `<raw_dir>/<sha256>.pdf`, written only by atomic rename.

Names come from content, never from URLs (no path tricks, no clashes, free de-duplication). Bytes
stream into a `.part` file in the same directory and are `os.replace`d into place once complete
and verified, so a killed process leaves at most a `.part` file, which the next run deletes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock, cleanup is unconditional
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
LOCK_NAME = ".harvest.lock"
HEAD_BYTES = 2048  # enough for parsers.pdf.sniff (looks at the first 1 KiB)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (best effort: not every OS/filesystem lets a directory be fsynced)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class PartFile:
    """A download in progress: writes, hashes and keeps the head for sniffing as bytes arrive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        fd, name = tempfile.mkstemp(prefix="dl-", suffix=PART_SUFFIX, dir=archive.raw_dir)
        self.path = Path(name)
        self._f = os.fdopen(fd, "wb")
        self._h = hashlib.sha256()
        self.size = 0
        self.head = b""

    def write(self, chunk: bytes) -> None:
        self._f.write(chunk)
        self._h.update(chunk)
        self.size += len(chunk)
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]

    def commit(self) -> tuple[str, Path]:
        """fsync, then atomically move to `<sha256>.pdf` (or drop it if that already exists)."""
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()
        sha = self._h.hexdigest()
        dest = self.archive.path_for(sha)
        if dest.exists():
            self.path.unlink(missing_ok=True)
        else:
            os.chmod(self.path, 0o644)
            os.replace(self.path, dest)
            _fsync_dir(self.archive.raw_dir)
        return sha, dest

    def abort(self) -> None:
        """Throw the partial bytes away (error, not a PDF, too large, truncated)."""
        if not self._f.closed:
            self._f.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> PartFile:
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.path.exists() and self.path.suffix == PART_SUFFIX:
            self.abort()


class Archive:
    """Content-addressed store of raw PDFs. Use as a context manager around one harvest run.

    While open it holds a shared lock on `<raw_dir>/.harvest.lock`; `.part` files are removed at
    open only when no other harvest holds the lock, so concurrent runs never delete each other's
    downloads in progress.
    """

    def __init__(self, raw_dir: Path) -> None:
        self.raw_dir = Path(raw_dir)
        self._lock_fd: int | None = None

    def open(self) -> int:
        """Create the directory, take the lock, delete orphaned `.part` files; returns how many."""
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        removed = 0
        if fcntl is None:  # pragma: no cover
            return self.clean_parts()
        fd = os.open(self.raw_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            removed = self.clean_parts()  # nobody else is running: every .part is an orphan
            fcntl.flock(fd, fcntl.LOCK_SH)
        except BlockingIOError:
            fcntl.flock(fd, fcntl.LOCK_SH)  # another harvest runs: leave its .part files alone
        self._lock_fd = fd
        return removed

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def __enter__(self) -> Archive:
        self.open()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def clean_parts(self) -> int:
        """Delete every `.part` file in the archive directory (left by a killed run)."""
        n = 0
        for p in self.raw_dir.glob("*" + PART_SUFFIX):
            try:
                p.unlink()
                n += 1
                log.info("removed unfinished download %s", p.name)
            except FileNotFoundError:
                pass
        return n

    def path_for(self, sha256: str) -> Path:
        return self.raw_dir / f"{sha256}.pdf"

    def has(self, sha256: str | None) -> bool:
        return bool(sha256) and self.path_for(sha256).is_file()  # type: ignore[arg-type]

    def part(self) -> PartFile:
        return PartFile(self)


def inside(path: Path, root: Path) -> bool:
    """Is the fully resolved `path` within the resolved `root`?"""
    try:
        return path.resolve(strict=True).is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError):
        return False


def walk_local(root: Path) -> Iterator[tuple[Path, Path | None, str | None]]:
    """(path as listed, resolved real path or None, refusal reason or None) for files under root.

    Symlinks are resolved; one whose target is outside `root` (file or directory) is reported as
    refused and never read. Directory symlinks inside `root` are not followed (no loops, no
    duplicates). Hidden files and `.part` files are skipped. Sorted for a stable order.
    """
    real_root = root.resolve(strict=True)
    for dirpath, dirnames, filenames in os.walk(real_root, followlinks=False):
        dirnames.sort()
        filenames.sort()
        here = Path(dirpath)
        for d in list(dirnames):
            p = here / d
            if p.is_symlink():
                try:
                    target = p.resolve(strict=True)
                except (OSError, RuntimeError):
                    continue
                if not target.is_relative_to(real_root):
                    yield p, None, f"{p}: refused, a symlink to {target}, which is outside {real_root}"
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or name.endswith(PART_SUFFIX):
                continue
            p = here / name
            try:
                target = p.resolve(strict=True)
            except (OSError, RuntimeError) as e:
                yield p, None, f"{p}: cannot resolve ({e.strerror if isinstance(e, OSError) else e})"
                continue
            if not target.is_relative_to(real_root):
                yield p, None, f"{p}: refused, a symlink to {target}, which is outside {real_root}"
                continue
            if target.is_file():
                yield p, target, None


def open_inside(path: Path, root: Path | None) -> int:
    """Open a local file for reading; with `root`, refuse a path that resolves outside it.

    The check is on the resolved path and the open does not follow a final symlink, so a link
    swapped in between cannot redirect the read.
    """
    real = path.resolve(strict=True)
    if root is not None and not real.is_relative_to(root.resolve(strict=True)):
        raise PermissionError(f"{path}: refused, it resolves to {real}, outside {root}")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(real, flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(f"{path}: not a regular file")
    return fd
