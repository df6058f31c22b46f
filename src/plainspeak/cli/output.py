"""Writing output: UTF-8 to a file or standard output, colour only for a person at a terminal."""

from __future__ import annotations

import os
import sys
from typing import IO

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


def write_output(text: str, output: str | None) -> None:
    """The whole rendered output plus a final newline, as UTF-8 whatever the locale says
    (a Windows or C-locale console must not turn a curly quote into a crash)."""
    data = (text + "\n").encode("utf-8", errors="surrogateescape") if text else b""
    if output and output != "-":
        from plainspeak.errors import InputError

        try:
            with open(output, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise InputError(f"{output}: cannot write the output "
                             f"({error.strerror or error})") from None
        return
    stream = sys.stdout
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # pragma: no cover - a text-only stream (some IDE consoles)
        stream.write(data.decode("utf-8", errors="replace"))
        stream.flush()
