"""The runner: how many processes, falling back to one, and settings per file."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from tests.cli.conftest import Invoke

from plainspeak.cli import runner


def test_jobs_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    assert runner.jobs_for(1, 10_000) == 1
    assert runner.jobs_for(0, 100) == 2                    # 0: one per CPU
    assert runner.jobs_for(3, 100) == 3
    assert runner.jobs_for(8, 100) == 4                    # at most twice the CPUs
    assert runner.jobs_for(2, 1) == 1                      # never more than the files


def test_falls_back_to_one_process_without_a_pool(invoke: Invoke, docs: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    expected = invoke("check", "--format", "json", "site").stdout

    class NoPool:
        def Pool(self, *args: object, **kwargs: object) -> None:   # noqa: N802
            raise OSError(38, "Function not implemented")

        def get_start_method(self) -> str:
            return "fork"

    monkeypatch.setattr(multiprocessing, "get_context", lambda method: NoPool())
    result = invoke("check", "--format", "json", "--jobs", "2", "site")
    assert result.exit_code == 1
    assert result.stdout == expected


def test_stdin_and_files_together(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--format", "json", "site/clean.md", "-",
                    "--stdin-filename", "typed.txt", input="A care package.\n")
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == ["typed.txt", "site/clean.md"]
    assert result.exit_code == 1
