"""Renderers turn reports into text for people (text, html) or for machines (json, sarif, github).

Each renderer is its own module with the same ``render(reports, **options) -> str``
signature, imported only when asked for, so that ``plainspeak check`` in the default text
format never pays for building SARIF or HTML.  Renderers return the whole output without
a final newline; the caller adds one (``click.echo`` does).
"""

from __future__ import annotations

import importlib
import json as _json  # not ``json``: the submodule render/json.py takes that name here
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary
    from plainspeak.models import Report

__all__ = ["RENDERERS", "render"]

RENDERERS: tuple[str, ...] = ("text", "json", "sarif", "github", "html")

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
