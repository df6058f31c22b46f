"""check shows each file's problems as it goes: the same output as rendering every report
at the end, the old -o file kept when a run fails, nothing to break up a progress bar."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.cli.conftest import JARGON, Invoke

from plainspeak.cli import runner
from plainspeak.config import ConfigResolver
from plainspeak.fileio import TEMP_PREFIX
from plainspeak.render import render

STDIN = "A care package.\n"
FLAGS = [[], ["--quiet"], ["--statistics"], ["--quiet", "--statistics"],
         ["--color", "always", "--statistics"]]


def _rendered(fmt: str, paths: list[str], monkeypatch: pytest.MonkeyPatch, *,
              stdin_filename: str | None = None, **options: Any) -> str:
    """What check printed before it streamed: every report, then render, then a newline."""
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STDIN.encode())))
        plan = runner.plan(paths, ConfigResolver(None, {}), stdin_filename=stdin_filename)
        reports = [report for report, _ in runner.run(plan)]
    text = render(fmt, reports, **options)
    return text + "\n" if text else ""


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "-".join(f) or "plain")
def test_output_is_every_report_rendered_at_the_end(invoke: Invoke, docs: Path, fmt: str,
                                                    flags: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (docs / "site" / "unreadable.docx").write_bytes(b"not a Word file")
    paths = ["-", "site", "site/missing.md"]
    result = invoke("check", "--format", fmt, *flags, *paths, "--stdin-filename", "typed.md",
                    input=STDIN)
    assert result.exit_code == 2                      # unreadable files, whatever else
    options = {"quiet": "--quiet" in flags, "statistics": "--statistics" in flags,
               "color": fmt == "text" and "always" in flags}
    expected = _rendered(fmt, paths, monkeypatch, stdin_filename="typed.md", **options)
    assert result.stdout == expected
    if fmt == "text" and not options["quiet"] and not options["color"]:
        assert "typed.md:1:3" in expected and "missing.md: error:" in expected


def test_an_empty_run(invoke: Invoke, docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (docs / "empty").mkdir()
    for fmt, flags in [("text", []), ("text", ["--quiet"]), ("github", [])]:
        result = invoke("check", "--format", fmt, *flags, "empty")
        assert result.exit_code == 0
        assert result.stdout == _rendered(fmt, ["empty"], monkeypatch,
                                          quiet="--quiet" in flags)
    assert invoke("check", "empty").stdout == "No files were checked.\n"


def _stopping_after(first: int) -> Any:
    """runner.stream that is stopped (Ctrl-C) after ``first`` reports."""
    real = runner.stream

    def stream(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for n, item in enumerate(real(*args, **kwargs)):
            if n == first:
                raise KeyboardInterrupt
            yield item
    return stream


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_stopped_run_leaves_the_old_output_file(invoke: Invoke, docs: Path, fmt: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = docs / "report.out"
    out.write_text("the old report\n", "utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(runner, "stream", _stopping_after(2))
        result = invoke("check", "--format", fmt, "-o", str(out), "site")
    assert result.exit_code == 130
    assert out.read_text("utf-8") == "the old report\n"
    assert not [p for p in docs.iterdir() if p.name.startswith(TEMP_PREFIX)]
    result = invoke("check", "--format", fmt, "-o", str(out), "site")
    assert result.exit_code == 1 and result.stdout == ""
    assert out.read_text("utf-8") == invoke("check", "--format", fmt, "site").stdout


def test_standard_output_shows_what_was_checked_before_a_stop(
        invoke: Invoke, docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = invoke("check", "--quiet", "site").stdout.splitlines()
    first = [line for line in whole if line.startswith("site/a.txt:")]
    assert first and len(first) < len(whole)
    monkeypatch.setattr(runner, "stream", _stopping_after(1))
    result = invoke("check", "--quiet", "site")
    assert result.exit_code == 130
    assert result.stdout.splitlines() == first


@pytest.mark.parametrize("stdout_terminal", [True, False])
def test_a_progress_bar_and_the_output_do_not_share_a_screen(
        invoke: Invoke, docs: Path, monkeypatch: pytest.MonkeyPatch,
        stdout_terminal: bool) -> None:
    from plainspeak.cli import commands_check, output

    for i in range(commands_check.PROGRESS_MIN_FILES):
        (docs / "site" / f"p{i:02}.txt").write_text(JARGON + "\n", "utf-8")
    plain = invoke("check", "--no-progress", "site")
    deferred: list[bool] = []
    real = output.opened_output

    def recording(name: str | None, *, defer: bool = False) -> Any:
        deferred.append(defer)
        return real(name, defer=defer)
    monkeypatch.setattr(output, "opened_output", recording)
    monkeypatch.setattr(commands_check, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(commands_check, "stdout_is_terminal", lambda: stdout_terminal)
    result = invoke("check", "site")
    assert "Checking" in result.stderr
    assert result.stdout == plain.stdout and result.exit_code == plain.exit_code == 1
    assert deferred == [stdout_terminal]     # kept until the bar is done only on a screen


def test_update_baseline_shows_no_problems_after_writing_the_baseline(
        invoke: Invoke, docs: Path) -> None:
    from plainspeak.baseline import Baseline

    result = invoke("check", "--baseline", "b.json", "--update-baseline", "site",
                    "site/missing.md")
    assert result.exit_code == 2
    assert result.stdout == ("site/missing.md: error: no such file\n\n"
                             "No problems in 5 files; 1 file could not be read.\n")
    plan = runner.plan(["site"], ConfigResolver(None, {}))
    expected = Baseline.from_reports([r for r, _ in runner.run(plan)], base=str(docs))
    assert Baseline.read(docs / "b.json") == expected and expected.count > 2
    # the message about the baseline comes first: the output waits until it is written
    wrote = result.output.index(f"wrote {expected.count} problems")
    assert wrote < result.output.index("site/missing.md: error")
    again = invoke("check", "--quiet", "--baseline", "b.json", "site")
    assert again.exit_code == 0 and again.stdout == ""


EXPLAINED = "Reablement (short-term help at home) helps.\n\n"
LONG_PAGE = ("## Help at home\n\nThe CQC visits. Service users said the care package was "
             "fine.\n\n- Reablement helps.\n- A steering group meets, which is where "
             "decisions are made by people who use services and by the staff who work with "
             "them every day of the week, and it is a very long sentence indeed to read.\n\n"
             "| Who | What |\n|---|---|\n| carers | respite |\n\n")


@pytest.mark.parametrize("fmt, flags", [("text", []), ("text", ["--quiet"]),
                                        ("text", ["--statistics"]), ("github", []), ("json", [])])
@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_a_long_file_shown_a_section_at_a_time_is_shown_as_it_whole(
        invoke: Invoke, docs: Path, fmt: str, flags: list[str], jobs: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A long Markdown file is read, checked and shown a section at a time (its memory
    stays flat): the output is the file's report rendered whole: a term explained in
    the first section and an abbreviation said once are not reported in later ones,
    and the file counts once."""
    import plainspeak.formats as formats
    from plainspeak.formats import base

    (docs / "site" / "long.md").write_text(EXPLAINED + LONG_PAGE * 40, "utf-8")
    paths = ["site/b.md", "site/long.md", "site/a.txt"]
    expected = _rendered(fmt, paths, monkeypatch, quiet="--quiet" in flags,
                         statistics="--statistics" in flags)
    assert expected.count("\u2018CQC\u2019") == 1 and "\u2018Reablement" not in expected
    monkeypatch.setattr(formats, "SECTION_BYTES", 1)
    monkeypatch.setattr(base, "SECTION_CHARS", 1000)
    shown: list[Any] = []
    stream = runner.stream
    monkeypatch.setattr(runner, "stream", lambda *a, **k: (
        shown.append(r) or (r, s) for r, s in stream(*a, **k)))
    result = invoke("check", "--format", fmt, "--jobs", jobs, *flags, *paths)
    assert result.exit_code == 1
    assert sum(1 for r in shown if r.path == "site/long.md") > 10   # in sections
    assert result.stdout == expected
