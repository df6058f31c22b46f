"""Writing fixed files without ever losing one: compare, write aside, then replace.

A fix is worked out from the bytes read at the start; if the file on disk no longer
holds those bytes (an editor or a second plainspeak saved it meanwhile) the fix is
abandoned rather than overwriting someone's work.  The new bytes go to a temporary file
in the same directory, are flushed to disk, take the original's mode, and only then
replace the original in one ``os.replace``, so a reader sees the old file or the new
one and never half of either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator

from plainspeak.errors import FixConflictError, InputError

__all__ = ["write_atomic"]


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    """An advisory lock on the file itself, so two plainspeak processes fixing the same
    file take turns instead of both checking and both replacing.  Where locks are not
    available the compare-before-replace still keeps every file whole."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def write_atomic(path: str | os.PathLike[str], new: bytes, *, original: bytes,
                 mode: int | None = None) -> None:
    """Replace the file at ``path`` with ``new``, if it still holds ``original``.

    Raises FixConflictError when the file changed since it was read, and InputError
    (one line, naming the file) when it cannot be written; in both cases the file on
    disk is exactly as it was.
    """
    name = os.fspath(path)
    real = os.path.realpath(name)   # write through a symlink, keep the link
    directory = os.path.dirname(real) or "."
    with _locked(real):
        try:
            with open(real, "rb") as handle:
                current = handle.read(len(original) + 1)
        except OSError as error:
            raise InputError(f"{name}: cannot read it again before writing "
                             f"({error.strerror or error})") from None
        if current != original:
            raise FixConflictError(f"{name}: the file changed while it was being checked; "
                                   "not fixed (run plainspeak fix again)")
        if mode is None:
            mode = os.stat(real).st_mode & 0o7777
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".plainspeak-", suffix=".tmp", dir=directory)
            with os.fdopen(fd, "wb") as out:
                out.write(new)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, real)
            tmp = None
        except OSError as error:
            reason = "the disk is full" if error.errno == errno.ENOSPC else (
                error.strerror or str(error))
            raise InputError(f"{name}: cannot write the fixed file ({reason}); "
                             "the original is unchanged") from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
