"""The JSON renderer: plainspeak's versioned format (docs/json-output.md), an error slot per file.

The shape is ``Report.to_dict`` and ``RunSummary.to_dict`` wrapped with the tool name,
version and ``schema_version``; ``plainspeak/schemas/report.schema.json`` describes it
exactly and the tests hold the two together.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from plainspeak.models import Report, RunSummary
from plainspeak.render import resolve_version, to_json

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary

# Bump when a field is removed or changes meaning; adding a field does not bump it.
SCHEMA_VERSION = 1


def document(reports: Sequence[Report], *, tool_version: str | None = None) -> dict[str, Any]:
    """The output as plain data, for callers that want to embed it rather than print it."""
    files = [report.to_dict() for report in reports]
    for entry in files:
        if entry["readability"] is not None:
            entry["readability"] = _finite(entry["readability"])
    return {
        "tool": "plainspeak",
        "version": resolve_version(tool_version),
        "schema_version": SCHEMA_VERSION,
        "files": files,
        "summary": RunSummary.of(list(reports)).to_dict(),
    }


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


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of this output, shipped inside the package."""
    path = resources.files("plainspeak").joinpath("schemas").joinpath("report.schema.json")
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema
