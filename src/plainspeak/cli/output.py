"""Writing output: UTF-8 to a file or standard output, colour only for a person at a terminal."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any, BinaryIO, cast

FORMATS = ("text", "json", "sarif", "github", "html", "auto")


def resolve_format(name: str) -> str:
    """``auto`` is ``github`` inside GitHub Actions (so findings show on the pull request),
    otherwise ``text``."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def wants_color(stream: IO[str] | None = None) -> bool:
    """Colour when writing to a terminal and NO_COLOR (https://no-color.org) is not set."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


ENCODE_CHUNK = 1 << 20   # characters encoded at a time


class Output:
    """Lines of output on their way to a file or standard output, as UTF-8 whatever the
    locale says (a Windows or C-locale console must not turn a curly quote into a crash).

    Every line is written with its newline as soon as it is given; nothing is kept."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self._handle = handle
        self._name = name

    def write_lines(self, lines: Sequence[str]) -> None:
        if not lines:
            return
        # A whole JSON or HTML document is one "line" of up to hundreds of megabytes:
        # joining one line copies nothing, and encoding a slice at a time (UTF-8 and
        # surrogateescape encode each code point alone) saves a copy of it in bytes.
        text = "\n".join(lines)
        try:
            for start in range(0, len(text), ENCODE_CHUNK):
                chunk = text[start:start + ENCODE_CHUNK]
                self._handle.write(chunk.encode("utf-8", errors="surrogateescape"))
            self._handle.write(b"\n")
        except BrokenPipeError:
            raise
        except OSError as error:
            from plainspeak.errors import InputError

            raise InputError(f"{self._name}: cannot write the output "
                             f"({error.strerror or error})") from None


@contextlib.contextmanager
def opened_output(output: str | None, *, defer: bool = False) -> Iterator[Output]:
    """Where a command's output goes: the file named by ``-o`` or standard output.

    A file is written aside and replaces the old one only when the block ends well, so a
    run that fails or is stopped leaves the old output whole.  Standard output gets each
    line as it comes; with ``defer`` (a progress bar on the same terminal, which lines
    would break up) it is kept aside, on disk past a megabyte, and shown at the end.
    """
    if output and output != "-":
        from plainspeak.fileio import replacing

        with replacing(output) as handle:
            yield Output(handle, output)
        return
    sys.stdout.flush()
    buffer: BinaryIO | None = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a text-only stream (some IDE consoles)
        buffer = cast(BinaryIO, _TextOnly(sys.stdout))
    if not defer:
        try:
            yield Output(buffer, "standard output")
        finally:
            buffer.flush()
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        yield Output(cast(BinaryIO, spool), "a temporary file")
        spool.seek(0)
        shutil.copyfileobj(spool, buffer)
        buffer.flush()


SPOOL_IN_MEMORY = 1 << 20   # deferred output past this many bytes waits on disk


class _TextOnly(io.RawIOBase):  # pragma: no cover - a text-only stream (some IDE consoles)
    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._stream.write(bytes(data).decode("utf-8", errors="replace"))
        return len(data)

    def flush(self) -> None:
        self._stream.flush()


def write_output(text: str, output: str | None) -> None:
    """The whole rendered output plus a final newline (nothing at all for no text)."""
    with opened_output(output) as out:
        out.write_lines([text] if text else [])
