"""The JSON renderer: plainspeak's versioned format (docs/json-output.md), an error slot per file.

The shape is ``Report.to_dict`` and ``RunSummary.to_dict`` wrapped with the tool name,
version and ``schema_version``; ``plainspeak/schemas/report.schema.json`` describes it
exactly and the tests hold the two together.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from typing import TYPE_CHECKING, Any

from plainspeak.models import Report, RunSummary
from plainspeak.render import resolve_version, to_json
from plainspeak.render.text import Tally

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary

# Bump when a field is removed or changes meaning; adding a field does not bump it.
SCHEMA_VERSION = 1


def document(reports: Sequence[Report], *, tool_version: str | None = None) -> dict[str, Any]:
    """The output as plain data, for callers that want to embed it rather than print it."""
    return {
        "tool": "plainspeak",
        "version": resolve_version(tool_version),
        "schema_version": SCHEMA_VERSION,
        "files": [_file(report) for report in reports],
        "summary": RunSummary.of(list(reports)).to_dict(),
    }


def _file(report: Report) -> dict[str, Any]:
    entry = report.to_dict()
    if entry["readability"] is not None:
        entry["readability"] = _finite(entry["readability"])
    return entry


def _finite(scores: dict[str, Any]) -> dict[str, Any]:
    """A formula that cannot be computed (no words) gives null, never NaN: NaN is not JSON."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in scores.items()
    }


def render(
    reports: Sequence[Report],
    *,
    color: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    glossary: Glossary | None = None,
    tool_version: str | None = None,
    **_: Any,
) -> str:
    """Pretty-printed JSON (UTF-8, indent 2); display options do not change machine output."""
    return to_json(document(reports, tool_version=tool_version))


class JsonLines:
    """``render``'s document a report at a time: each file's object as its report
    arrives, and the summary from running counts at the end, so that a long run keeps
    no report (the tests compare the bytes with ``render``'s).  A long file's sections
    (``Report.more``) make one object, its findings written as each section comes."""

    def __init__(self, *, tool_version: str | None = None, **_: Any) -> None:
        head = to_json({"tool": "plainspeak", "version": resolve_version(tool_version),
                        "schema_version": SCHEMA_VERSION, "files": []}).split("\n")
        self._head = head[:-2]            # "{" to "schema_version", one key per line
        self._tally = Tally()
        self._started = False
        self._held: str | None = None     # the last line written: it may need a ","
        self._open: _OpenFile | None = None   # the file whose sections are coming

    def report(self, report: Report) -> list[str]:
        lines = [] if self._started else [*self._head, '  "files": [']
        self._started = True
        self._tally.add(report)
        if self._open is not None and report.error is not None:
            # the file changed while its sections were read: its object so far is
            # closed, and the error follows as an object of its own
            lines.extend(self._close(replace(report, error=None)))
        if self._open is None and not report.more:
            body = ["    " + line for line in to_json(_file(report)).split("\n")]
            return lines + self._hold(body)
        if self._open is None:
            self._open = _OpenFile()
            head, _ = _around_findings(report)   # up to '"error": ...,'
            lines.extend(self._hold(head))
            lines.append(self._take())
        for finding in report.findings:
            if not self._open.findings:
                lines.append('      "findings": [')
            self._open.findings += 1
            lines.extend(self._hold(["        " + line
                                     for line in to_json(finding.to_dict()).split("\n")]))
        self._open.suppressed += report.suppressed
        if report.more:
            return lines
        return lines + self._close(report)

    def _close(self, last: Report) -> list[str]:
        """The end of the open file's object, with ``last``'s readability."""
        assert self._open is not None
        opened, self._open = self._open, None
        lines = []
        if opened.findings:
            lines.append(self._take())
            close = ["      ],"]
        else:
            close = ['      "findings": [],']
        _, tail = _around_findings(replace(last, findings=(), suppressed=opened.suppressed))
        return lines + self._hold(close + tail)

    def _hold(self, lines: list[str]) -> list[str]:
        """Lines to write, all but the last, which is held back: a "," may follow it."""
        if not lines:
            return []
        out = [] if self._held is None else [self._held + ","]
        out.extend(lines[:-1])
        self._held = lines[-1]
        return out

    def _take(self) -> str:
        held, self._held = self._held or "", None
        return held

    def footer(self) -> list[str]:
        tally = self._tally
        summary = RunSummary(tally.files, tally.files_with_errors, tally.findings,
                             dict(tally.by_severity), dict(tally.by_rule))
        first, *rest = to_json(summary.to_dict()).split("\n")
        files = [*self._head, '  "files": [],'] if not self._started else [
            self._take(), "  ],"]
        return [*files, '  "summary": ' + first, *("  " + line for line in rest), "}"]


class _OpenFile:
    """A file whose sections are being written: how many findings and suppressions so
    far."""

    __slots__ = ("findings", "suppressed")

    def __init__(self) -> None:
        self.findings = 0
        self.suppressed = 0


def _around_findings(report: Report) -> tuple[list[str], list[str]]:
    """A file's object without its findings, as written in the files list: the lines
    before its findings, and those after."""
    lines = ["    " + line
             for line in to_json(_file(replace(report, findings=()))).split("\n")]
    at = lines.index('      "findings": [],')
    return lines[:at], lines[at + 1:]


LINES = JsonLines   # what ``plainspeak.render.line_renderer`` builds for "json"


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of this output, shipped inside the package."""
    path = resources.files("plainspeak").joinpath("schemas").joinpath("report.schema.json")
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema
