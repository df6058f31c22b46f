"""Writing files without ever losing one: fixes and output files go aside, then replace.

A fix is worked out from the bytes read at the start; if the file on disk no longer
holds those bytes (an editor or a second plainspeak saved it meanwhile) the fix is
abandoned rather than overwriting someone's work.  The new bytes go to a temporary file
in the same directory, are flushed to disk, take the original's mode, and only then
replace the original in one ``os.replace``, so a reader sees the old file or the new
one and never half of either.  Any failure on the way removes the temporary file and
leaves the original exactly as it was.  Output files (``check -o``) are written the same
way, a report at a time, by ``replacing``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from plainspeak.errors import FixConflictError, InputError

__all__ = ["TEMP_PREFIX", "replacing", "write_atomic"]

TEMP_PREFIX = ".plainspeak-"   # temporary files start with this (tests look for leftovers)
_LOCK_TRIES = 50               # re-lock this often if the file keeps being replaced


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    """An advisory lock on the file itself, so two plainspeak processes fixing the same
    file take turns instead of both checking and both replacing.

    A fix replaces the file, so the lock taken may belong to an inode that is no longer
    at ``path`` by the time it is granted (another process replaced it while we waited).
    The lock is only trusted once the locked inode is still the one at ``path``;
    otherwise it is dropped and taken again on the new file.  Where locks are not
    available the compare-before-replace still keeps every file whole."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    for _ in range(_LOCK_TRIES):
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            break
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            held, now = os.fstat(handle), os.stat(path)
        except OSError:
            os.close(handle)
            break
        if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
            try:
                yield
            finally:
                os.close(handle)  # closing releases the lock
            return
        os.close(handle)
    # No lock (the file vanished, or it is replaced faster than we can lock it): the
    # caller still compares the contents before replacing, which is what keeps files
    # whole; the lock only spares the second process a wasted check.
    yield


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written (a write may be partial)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _sync_directory(directory: str) -> None:
    """Flush the directory entry of a replaced file, so a crash right after a fix
    cannot bring back the old name pointing at nothing.  Best effort: not every
    platform or file system lets a directory be opened or synced."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: str | os.PathLike[str], new: bytes, *, original: bytes,
                 mode: int | None = None) -> None:
    """Replace the file at ``path`` with ``new``, if it still holds ``original``.

    Raises FixConflictError when the file changed since it was read, and InputError
    (one line, naming the file) when it cannot be written; in both cases the file on
    disk is exactly as it was and no temporary file is left behind.
    """
    name = os.fspath(path)
    real = os.path.realpath(name)   # write through a symlink, keep the link
    directory = os.path.dirname(real) or "."
    with _locked(real):
        try:
            with open(real, "rb") as handle:
                current = handle.read(len(original) + 1)
            info = os.stat(real)
        except OSError as error:
            raise InputError(f"{name}: cannot read it again before writing "
                             f"({error.strerror or error})") from None
        if current != original:
            raise FixConflictError(f"{name}: the file changed while it was being checked; "
                                   "not fixed (run plainspeak fix again)")
        if mode is None:
            mode = info.st_mode & 0o7777
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=directory)
            try:
                _write_all(fd, new)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(tmp, mode)
            os.replace(tmp, real)
            tmp = None
        except OSError as error:
            raise InputError(f"{name}: cannot write the fixed file ({_reason(error)}); "
                             "the original is unchanged") from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        _sync_directory(directory)


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write the new contents of ``path`` into, bit by bit; ``path`` is
    replaced in one step when the block ends without an error, and left exactly as it was
    (no temporary file either) when it raises.  Errors while writing reach the caller as
    OSError; failing to replace at the end is an InputError naming the file.

    A new file gets the usual mode (0666 less the umask), an old one keeps its mode, and
    a symlink keeps pointing at the file it named.  Something that is not a regular file
    (``/dev/null``, ``/dev/stdout``, a pipe) cannot be replaced and is written straight
    into.  A writable file in a folder where no temporary file can be made is written
    aside elsewhere and copied in at the end: only that copy could be cut short.
    """
    name = os.fspath(path)
    real = os.path.realpath(name)   # write through a symlink, keep the link
    directory = os.path.dirname(real) or "."
    try:
        mode: int | None = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise InputError(f"{name}: cannot write the output ({_reason(error)})") from None
    if mode is not None and not stat.S_ISREG(mode):
        with _open_for_output(name) as handle:
            yield handle
        return
    try:
        tmp, handle = _new_file(directory)
    except OSError as error:
        permission = error.errno in (errno.EACCES, errno.EPERM)
        if not (permission and mode is not None and os.access(real, os.W_OK)):
            raise InputError(f"{name}: cannot write the output ({_reason(error)})") from None
        with tempfile.TemporaryFile() as spool:
            yield spool
            spool.seek(0)
            with _open_for_output(name) as handle:
                shutil.copyfileobj(spool, handle)
        return
    done = False
    try:
        with handle:
            yield handle
            try:   # only reached when the caller's block ended well
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as error:
                raise _output_error(name, error) from None
        try:
            if mode is not None:
                os.chmod(tmp, stat.S_IMODE(mode))
            os.replace(tmp, real)
        except OSError as error:
            raise _output_error(name, error) from None
        done = True
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _sync_directory(directory)


def _new_file(directory: str) -> tuple[str, BinaryIO]:
    """A new, empty temporary file in ``directory``.  Made with mode 0666 so the umask
    applies, as for any new file (``mkstemp`` would make it 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f"{TEMP_PREFIX}{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        return tmp, os.fdopen(fd, "wb")
    raise FileExistsError(errno.EEXIST, "no free temporary file name", directory)


def _output_error(name: str, error: OSError) -> InputError:
    return InputError(f"{name}: cannot write the output ({_reason(error)}); "
                      "the old file is unchanged")


@contextlib.contextmanager
def _open_for_output(name: str) -> Iterator[BinaryIO]:
    try:
        handle = open(name, "wb")   # noqa: SIM115 - closed below, after the caller's block
    except OSError as error:
        raise InputError(f"{name}: cannot write the output ({_reason(error)})") from None
    with handle:
        yield handle


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    return error.strerror or str(error)
