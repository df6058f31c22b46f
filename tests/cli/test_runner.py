"""The runner: how many processes, falling back to one, and settings per file."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from tests.cli.conftest import LONG_MARKDOWN, Invoke

from plainspeak.cli import runner


def test_jobs_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    small = tmp_path / "small.md"
    small.write_text("A care package.\n", "utf-8")
    big = tmp_path / "big.md"
    big.write_text("A care package.\n" * (runner.AUTO_BYTES // 16 + 1), "utf-8")
    few = [runner.Target(str(small), 0)] * 3
    assert runner.jobs_for(1, few) == 1
    assert runner.jobs_for(0, few) == 2                    # 0: one per CPU
    assert runner.jobs_for(3, few) == 3
    assert runner.jobs_for(8, few) == 4                    # at most twice the CPUs
    assert runner.jobs_for(None, few) == 1                 # default: little to read
    assert runner.jobs_for(None, [runner.Target(str(big), 0)]) == 2
    assert runner.jobs_for(None, [runner.Target(str(tmp_path / "gone.md"), 0)]) == 1
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 1)
    assert runner.jobs_for(None, [runner.Target(str(big), 0)]) == 1


def test_the_second_process_starts_early_only_for_a_likely_split(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    small = tmp_path / "small.md"
    small.write_text("A care package.\n", "utf-8")
    cases = {(None, (str(small),)): False,      # a commit's few files: one process
             (None, (str(tmp_path),)): True,    # a folder: likely 256 KB or more
             (None, ()): True,                  # the current folder
             (1, (str(tmp_path),)): False,
             (2, (str(small),)): True,
             (3, (str(tmp_path),)): False}      # whole files per process instead
    for (jobs, paths), expected in cases.items():
        with runner.second_process(jobs, paths) as second:
            assert (second is not None) == expected, (jobs, paths)


def _slow_start(flag: Path) -> Any:
    """A second process's start that notes when it begins and when it ends, and takes
    far longer than any test (loading spaCy takes about half a second)."""
    import time

    def start() -> None:
        flag.write_text("started", "utf-8")
        time.sleep(60)
        flag.write_text("finished", "utf-8")

    return start


def _wait_for(path: Path, text: str) -> None:
    import time

    for _ in range(1000):
        if path.exists() and path.read_text("utf-8") == text:
            return
        time.sleep(0.01)
    raise AssertionError(f"{path} never said {text!r}")


@pytest.mark.parametrize("stopped", [KeyboardInterrupt, "unneeded"])
def test_a_second_process_is_ended_at_once_when_not_waited_for(
        stopped: Any, docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After Ctrl-C, or when the files found prove too few to split, the second process
    is ended while it is still loading spaCy, rather than waited for."""
    from plainspeak.cli import matcher_process

    flag = docs / "second-process"
    monkeypatch.setattr(matcher_process, "_start", _slow_start(flag))   # forked: inherited
    monkeypatch.setattr(runner, "START_METHOD", "fork")
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)   # a folder: a split is likely
    expected = pytest.raises(KeyboardInterrupt) if stopped is KeyboardInterrupt else nullcontext()
    with expected, runner.second_process(None, ["site"]) as second:
        assert second is not None
        _wait_for(flag, "started")
        if stopped is KeyboardInterrupt:
            raise KeyboardInterrupt
        plan = runner.plan(["site"], runner.ConfigResolver(None, {}))
        assert len(list(runner.stream(plan, jobs=None, second=second))) == 5
    assert not multiprocessing.active_children()
    assert flag.read_text("utf-8") == "started"


class _NoProcesses:
    """A multiprocessing context in which no process can start (some sandboxes)."""

    real = multiprocessing.get_context("fork")

    def __init__(self, method: str | None = None) -> None:
        pass

    def Pool(self, *args: object, **kwargs: object) -> None:   # noqa: N802
        raise OSError(38, "Function not implemented")

    def Process(self, *args: Any, **kwargs: Any) -> Any:   # noqa: N802
        process = self.real.Process(*args, **kwargs)

        def start() -> None:
            raise OSError(38, "Function not implemented")

        process.start = start
        return process

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_falls_back_to_one_process_without_processes(invoke: Invoke, docs: Path, jobs: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    expected = invoke("check", "--format", "json", "site").stdout
    get_context = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", _NoProcesses)
    result = invoke("check", "--format", "json", "--jobs", jobs, "site")
    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    assert result.exit_code == 1
    assert result.stdout == expected


def test_a_second_process_that_cannot_load_spacy_prints_no_traceback(
        invoke: Invoke, docs: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    """The pool would print its initializer's error as a traceback; instead the error
    comes back with the first batch, and the first process does the work, with the same
    output."""
    import os

    from plainspeak.cli.matcher_process import MatcherProcess
    from plainspeak.nlp import pipeline

    expected = invoke("check", "--format", "json", "site").stdout
    parent, real = os.getpid(), pipeline.english_tokenizer

    def only_here() -> Any:
        if os.getpid() != parent:
            raise RuntimeError("spaCy is broken in this process")
        return real()

    monkeypatch.setattr(pipeline, "english_tokenizer", only_here)   # forked: the worker has it
    monkeypatch.setattr(runner, "_SHARED", {})   # no matcher built by the run above
    capfd.readouterr()
    with MatcherProcess("fork") as process:
        process.serve([runner.Settings()])
        with pytest.raises(RuntimeError, match="spaCy is broken"):
            process.submit(0, [("A care package.", [(0, 15)])], True).result()
    assert "Traceback" not in capfd.readouterr().err
    result = invoke("check", "--format", "json", "--jobs", "2", "site")
    assert result.stdout == expected


def test_a_dying_matcher_process_leaves_the_work_to_this_one(
        invoke: Invoke, docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 2: if the second process dies (killed, out of memory), this one analyses
    the batches it had sent, and the parts of a long file, and the output is the same."""
    import os

    from plainspeak.cli import matcher_process
    from plainspeak.formats import markdown

    (docs / "site" / "long.md").write_text(LONG_MARKDOWN, "utf-8")
    monkeypatch.setattr(markdown, "PART_CHARS", 300)
    expected = invoke("check", "--format", "json", "site").stdout

    def die(*args: object) -> None:
        os._exit(9)

    monkeypatch.setattr(matcher_process, "_analyse", die)   # forked: the worker has it
    result = invoke("check", "--format", "json", "--jobs", "2", "site")
    assert result.exit_code == 1
    assert result.stdout == expected


def test_stdin_and_files_together(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--format", "json", "site/clean.md", "-",
                    "--stdin-filename", "typed.txt", input="A care package.\n")
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == ["typed.txt", "site/clean.md"]
    assert result.exit_code == 1


def test_stream_hands_on_each_report_before_checking_the_next(
        docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing piles up in the runner: the caller has each report before the next file
    is checked, so a run holds one report at a time however many files there are."""
    from plainspeak.config import ConfigResolver
    from plainspeak.models import Report

    checked: list[str] = []

    class Recording:
        def check_paths(self, paths: list[str], sections: bool = False) -> Iterator[Report]:
            for path in paths:
                checked.append(path)
                yield Report(path=path)

    plan = runner.plan(["site"], ConfigResolver(None, {}))
    monkeypatch.setattr(runner, "prepare", lambda settings: None)
    monkeypatch.setattr(runner, "checker_for", lambda key: Recording())
    seen: list[str | None] = []
    results = runner.stream(plan, on_report=lambda report: seen.append(report.path))
    assert checked == []                                    # nothing before it is asked for
    for n, (report, settings) in enumerate(results, 1):
        assert len(checked) == n and seen[-1] == report.path == checked[-1]
        assert settings is plan.settings[0]
    assert checked == [t.path for t in plan.targets] and len(checked) > 2


def test_run_is_stream_collected(docs: Path) -> None:
    from plainspeak.config import ConfigResolver

    plan = runner.plan(["site", "site/missing.md"], ConfigResolver(None, {}))
    assert runner.run(plan) == list(runner.stream(plan))


@pytest.mark.parametrize(
    ("kinds", "exit_zero", "code"),
    [
        ([], False, 0),
        (["clean"], False, 0),
        (["warning"], False, 1),
        (["warning"], True, 0),
        (["info"], False, 0),                 # under the default fail level (warning)
        (["info-strict"], False, 1),          # that file's config says fail_on = info
        (["warning-never"], False, 0),
        (["error", "warning"], True, 2),      # an unreadable file is 2 even with exit_zero
        (["warning", "error"], False, 2),
        (["blank"], False, 0),                # an empty message is not an error (as before)
    ],
)
def test_outcome_gives_the_exit_codes_of_the_readme(
        make_report: Any, kinds: list[str], exit_zero: bool, code: int) -> None:
    results = [make_report(kind) for kind in kinds]
    outcome = runner.Outcome()
    for report, settings in results:
        outcome.add(report, settings)
    assert outcome.exit_code(exit_zero=exit_zero) == code
    assert runner.exit_code(results, exit_zero=exit_zero) == code


@pytest.fixture()
def make_report() -> Any:
    from plainspeak.models import Finding, Report, Severity
    from plainspeak.settings import Settings

    def make(kind: str) -> tuple[Report, Settings]:
        level, _, fail_on = kind.partition("-")
        fail_on = {"strict": "info", "never": "never", "": "warning"}[fail_on]
        if level == "error":
            return Report(path="bad.md", error="cannot read it"), Settings()
        if level == "blank":
            return Report(path="odd.md", error=""), Settings()
        if level == "clean":
            return Report(path="ok.md"), Settings()
        finding = Finding("PS101", "jargon", Severity(level), "m", 0, 1, 1, 1, 1, 2, "x")
        return Report(findings=(finding,), path="a.md"), Settings(fail_on=fail_on)

    return make


def test_folders_with_their_own_configs_share_one_matcher(tmp_path: Path) -> None:
    from plainspeak.config import ConfigResolver

    for name, words in (("a", 20), ("b", 30)):
        (tmp_path / name).mkdir()
        (tmp_path / name / ".plainspeak.toml").write_text(f"max-sentence-words = {words}\n",
                                                         "utf-8")
        (tmp_path / name / "page.md").write_text("The bins go out on Monday.\n", "utf-8")
    plan = runner.plan([str(tmp_path)], ConfigResolver(None, {}))
    assert len(plan.settings) == 2
    runner.prepare(plan.settings)
    first, second = runner.checker_for(0), runner.checker_for(1)
    assert first.glossary is second.glossary
    assert first._matcher is None and second._matcher is None   # nothing built yet
    assert second.matcher is first.matcher
