"""Shared helpers for the reliability tests: fixing a file the way the CLI does."""

from __future__ import annotations

from pathlib import Path

import pytest

from plainspeak.api import Checker
from plainspeak.fileio import write_atomic
from plainspeak.fix import plan_file_fix


def fix_file(checker: Checker, path: Path, *, unsafe: bool = False) -> bool:
    """Plan and write one file's fix; True when the file was rewritten."""
    plan = plan_file_fix(checker, path, unsafe=unsafe)
    if plan.new is None:
        return False
    write_atomic(path, plan.new, original=plan.original, mode=plan.mode)
    return True


@pytest.fixture()
def fixer(checker: Checker):  # type: ignore[no-untyped-def]
    """``fixer(path)`` fixes one file with the engine glossary's safe suggestions."""
    return lambda path, **kw: fix_file(checker, path, **kw)
