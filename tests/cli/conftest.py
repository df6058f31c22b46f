"""Fixtures for the command-line tests: a CliRunner and a folder of mixed documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from plainspeak.cli import cli

JARGON = "Service users said the care package was fine."
CLEAN = "We met on Monday. The plan is good."
# Long enough to be read in parts once PART_CHARS is small: a kept term explained in an
# early part and used again in later ones, lists and a quote crossing no part.
LONG_MARKDOWN = "".join(
    f"## Part {i}\n\n{JARGON} Reablement (short-term help at home) helps.\n\n"
    f"- reablement again\n- {CLEAN}\n\n> In a quote: a care package.\n\n"
    for i in range(12))

Invoke = Callable[..., Result]


@pytest.fixture()
def invoke(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run ``plainspeak ARGS`` in this process; exceptions are never swallowed."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None) -> Result:
        result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
        return result

    return run


@pytest.fixture()
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with one file of each format, an unsupported file and a
    git-ignored file; the working directory is the project."""
    from docx import Document

    root = tmp_path / "project"
    (root / "site" / "nested").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "site" / "a.txt").write_text(JARGON + "\n", "utf-8")
    (root / "site" / "b.md").write_text(f"# Plan\n\n{JARGON}\n", "utf-8")
    (root / "site" / "nested" / "c.html").write_text(f"<p>{JARGON}</p>\n", "utf-8")
    (root / "site" / "clean.md").write_text(CLEAN + "\n", "utf-8")
    (root / "site" / "script.py").write_text("# care package\n", "utf-8")
    (root / "site" / "ignored.md").write_text(JARGON + "\n", "utf-8")
    (root / ".gitignore").write_text("ignored.md\n", "utf-8")
    document = Document()
    document.add_paragraph(JARGON)
    document.save(root / "site" / "d.docx")
    monkeypatch.chdir(root)
    return root
