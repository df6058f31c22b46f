"""Hand-built findings for the renderer tests, with positions computed as the engine does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from plainspeak.models import Finding, Severity

MakeFinding = Callable[..., Finding]


def position(source: str, offset: int) -> tuple[int, int]:
    """1-based line and code-point column of a 0-based offset."""
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return line, column


def finding_at(source: str, text: str, *, nth: int = 0, **fields: Any) -> Finding:
    """A PS101 finding on the ``nth`` occurrence of ``text`` in ``source``."""
    start = -1
    for _ in range(nth + 1):
        start = source.index(text, start + 1)
    end = start + len(text)
    line, column = position(source, start)
    end_line, end_column = position(source, end)
    values: dict[str, Any] = {
        "rule": "PS101",
        "name": "jargon",
        "severity": Severity.WARNING,
        "message": f"'{text}' is jargon. Try 'people who use services'.",
        "start": start,
        "end": end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "text": text,
        "sentence": _line_around(source, start, end),
        "entry_id": "service-users",
        "term": "service users",
        "category": "social-care",
        "alternatives": ("people who use services", "people we support"),
        "explanation": "It labels people by the services they get. Name the people instead.",
    }
    values.update(fields)
    return Finding(**values)


def _line_around(source: str, start: int, end: int) -> str:
    newline = source.find("\n", end)
    return source[source.rfind("\n", 0, start) + 1 : newline if newline != -1 else len(source)]


@pytest.fixture(scope="session")
def make_finding() -> MakeFinding:
    return finding_at
