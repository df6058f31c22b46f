"""The GitHub Actions renderer: one workflow command per finding, shown as a diff annotation.

The runner reads commands line by line, so a newline in a message would end the
command and let the rest of the document issue commands of its own.  Escaping follows
the runner's rules (actions/toolkit ``command.ts``): ``%``, CR and LF in the message,
and additionally ``:`` and ``,`` in property values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from plainspeak.models import Finding, Report, Severity
from plainspeak.render import join_lines, posix_path

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary

COMMANDS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


# Controls other than CR and LF are not part of the command syntax, but the log viewer
# renders ANSI escapes and bidi overrides reorder what a reviewer sees; lone surrogates
# cannot be written to a UTF-8 log at all.  They are shown as visible escapes instead.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_data(text: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    text = _UNSAFE.sub(_visible, text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=...``, ``title=...``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line; properties that are None are left out."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def finding_command(path: str | None, f: Finding) -> str:
    """The annotation for one finding, titled with the rule code and name."""
    return command(
        COMMANDS.get(f.severity, "warning"),
        f.message,
        file=posix_path(path) if path is not None else None,
        line=max(1, f.line),
        col=max(1, f.column),
        endLine=max(1, f.end_line),
        endColumn=max(1, f.end_column),
        title=f"{f.rule} {f.name}",
    )


class GithubLines:
    """Workflow commands a report at a time; nothing is kept, and there is no footer."""

    def __init__(self, **_: Any) -> None:
        pass

    def report(self, report: Report) -> list[str]:
        lines: list[str] = []
        path = report.path
        if report.error is not None:
            lines.append(command("error", report.error,
                                 file=posix_path(path) if path is not None else None))
        for f in sorted(report.findings, key=lambda f: (f.line, f.column, f.rule, f.start)):
            lines.append(finding_command(path, f))
        return lines

    def footer(self) -> list[str]:
        return []


LINES = GithubLines   # what ``plainspeak.render.line_renderer`` builds for "github"


def render(
    reports: Iterable[Report],
    *,
    color: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    glossary: Glossary | None = None,
    tool_version: str | None = None,
    **_: Any,
) -> str:
    """Workflow commands only, one per line: ``::warning file=...,line=...::message``;
    a file that could not be read becomes ``::error file=...::message``."""
    return join_lines(GithubLines(), reports)
