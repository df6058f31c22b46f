"""Renderers turn reports into text for people (text, html) or for machines (json, sarif, github).

Each renderer is its own module with the same ``render(reports, **options) -> str``
signature, imported only when asked for, so that ``plainspeak check`` in the default text
format never pays for building SARIF or HTML.  Renderers return the whole output without
a final newline; the caller adds one (``click.echo`` does).

The line formats (text and github) can also go a report at a time (``line_renderer``):
each report's lines are ready as soon as it is checked, and only counts are kept for
the footer, so a run over any number of files holds one report at a time.  Their
``render`` is the same lines joined, so there is one way to format a report, not two.
"""

from __future__ import annotations

import importlib
import json as _json  # not ``json``: the submodule render/json.py takes that name here
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary
    from plainspeak.models import Report

__all__ = ["RENDERERS", "STREAMING", "LineRenderer", "line_renderer", "render", "slim"]

RENDERERS: tuple[str, ...] = ("text", "json", "sarif", "github", "html")
STREAMING: tuple[str, ...] = ("text", "github", "json")   # can go a report at a time

STDIN_NAME = "<stdin>"

_SURROGATE = re.compile("[\ud800-\udfff]")


def render(
    name: str,
    reports: Sequence[Report],
    *,
    color: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    glossary: Glossary | None = None,
    tool_version: str | None = None,
) -> str:
    """Render ``reports`` in the format ``name``; raises ValueError for an unknown format."""
    if name not in RENDERERS:
        raise ValueError(
            f"unknown output format {name!r}: expected one of {', '.join(RENDERERS)}"
        )
    module = importlib.import_module(f"plainspeak.render.{name}")
    output: str = module.render(
        reports,
        color=color,
        statistics=statistics,
        quiet=quiet,
        glossary=glossary,
        tool_version=tool_version,
    )
    return output


class LineRenderer(Protocol):
    """A line format fed one report at a time; the output is every line returned, in
    order, each ended by a newline (nothing at all when there are no lines)."""

    def report(self, report: Report) -> list[str]:
        """The lines for this report, keeping only what the footer needs."""
        ...

    def footer(self) -> list[str]:
        """The lines after the last report (a summary), from what was kept."""
        ...


def line_renderer(name: str, *, color: bool = False, statistics: bool = False,
                  quiet: bool = False) -> LineRenderer:
    """A LineRenderer for ``name`` (one of STREAMING); raises ValueError for another."""
    if name not in STREAMING:
        raise ValueError(
            f"output format {name!r} cannot be streamed: expected one of {', '.join(STREAMING)}"
        )
    module = importlib.import_module(f"plainspeak.render.{name}")
    renderer: LineRenderer = module.LINES(color=color, statistics=statistics, quiet=quiet)
    return renderer


def slim(name: str, report: Report) -> Report:
    """What a whole-document format needs kept of ``report`` until the run ends: JSON and
    SARIF never show the text itself or per-sentence scores, so those are let go (the
    text is most of a report); HTML shows both, and the line formats keep nothing."""
    if name in ("json", "sarif") and (report.source or report.sentences):
        return replace(report, source="", sentences=())
    return report


def join_lines(renderer: LineRenderer, reports: Iterable[Report]) -> str:
    """The whole output of a line format at once, as ``render`` returns it."""
    out: list[str] = []
    for report in reports:
        out.extend(renderer.report(report))
    out.extend(renderer.footer())
    return "\n".join(out)


def resolve_version(tool_version: str | None) -> str:
    """The version to report: the caller's, else the installed package's."""
    if tool_version is not None:
        return tool_version
    from plainspeak._version import __version__

    return __version__


def display_path(path: str | None) -> str:
    """How a report's path is shown to people; text checked from stdin or the API has none."""
    return STDIN_NAME if path is None else path


def posix_path(path: str) -> str:
    """A path with forward slashes and without a leading ``./``, as CI tools expect."""
    return PurePath(path).as_posix()


def to_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON that keeps non-ASCII text readable but can always be written as UTF-8.

    ``ensure_ascii=False`` leaves a lone surrogate (which a Python str can hold, for
    example from ``surrogateescape`` decoding) as a raw code point that no UTF-8 stream
    accepts; it is only ever inside a JSON string, so writing it as a ``\\uXXXX`` escape
    keeps the document valid and the value unchanged.
    """
    text = _json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
