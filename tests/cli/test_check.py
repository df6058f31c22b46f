"""plainspeak check: discovery, output formats, exit codes, selection, stdin and errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from tests.cli.conftest import CLEAN, JARGON, LONG_MARKDOWN, Invoke

SARIF_SCHEMA = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"


def test_checks_a_folder_of_mixed_files_and_exits_1(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "site")
    assert result.exit_code == 1, result.output
    out = result.stdout
    for name in ("site/a.txt", "site/b.md", "site/d.docx", "site/nested/c.html"):
        assert f"{name}:" in out
    assert "script.py" not in out          # unsupported extension
    assert "ignored.md" not in out         # .gitignore
    assert "site/a.txt:1:1: PS101 [warning]" in out
    assert out.rstrip().endswith("in 4 files.")


def test_order_is_deterministic(invoke: Invoke, docs: Path) -> None:
    data = json.loads(invoke("check", "--format", "json", ".").stdout)
    assert [f["path"] for f in data["files"]] == [
        "site/a.txt", "site/b.md", "site/clean.md", "site/d.docx", "site/nested/c.html"]


def test_no_paths_means_the_current_folder(invoke: Invoke, docs: Path) -> None:
    assert invoke("check").exit_code == 1


def test_fail_on_error_with_only_warnings_exits_0(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--fail-on", "error", "site")
    assert result.exit_code == 0
    assert "PS101" in result.stdout       # still reported


@pytest.mark.parametrize(("args", "code"), [
    (["--fail-on", "never"], 0), (["--exit-zero"], 0), (["--fail-on", "info"], 1)])
def test_fail_levels(invoke: Invoke, docs: Path, args: list[str], code: int) -> None:
    assert invoke("check", *args, "site/a.txt").exit_code == code


def test_clean_file_exits_0(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "site/clean.md")
    assert result.exit_code == 0
    assert "All clear" in result.stdout


def test_missing_file_is_an_error_slot_and_exit_2(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--format", "json", "site/a.txt", "nope.md")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["files"][0]["findings"]                      # the run went on
    assert data["files"][1] == {**data["files"][1], "path": "nope.md",
                                "error": "no such file"}


def test_unreadable_file_does_not_stop_the_others(invoke: Invoke, docs: Path) -> None:
    (docs / "site" / "broken.docx").write_bytes(b"not a zip file")
    result = invoke("check", "site")
    assert result.exit_code == 2
    assert "site/broken.docx: error:" in result.stdout
    assert "site/a.txt:1:1" in result.stdout


def test_unknown_option_exits_2(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_json_output_validates_against_the_schema(invoke: Invoke, docs: Path) -> None:
    from plainspeak.render.json import load_schema

    result = invoke("check", "--format", "json", "site")
    data = json.loads(result.stdout)
    jsonschema.validate(data, load_schema())
    assert data["summary"]["files"] == 5
    ids = {f["entry_id"] for f in data["files"][0]["findings"]}
    assert {"service-user", "care-package"} <= ids


def test_sarif_output_validates_against_the_official_schema(invoke: Invoke,
                                                             docs: Path) -> None:
    result = invoke("check", "--format", "sarif", "site")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.validate(log, schema)
    assert log["runs"][0]["results"]


def test_github_output_escapes_file_names(invoke: Invoke, docs: Path) -> None:
    odd = docs / "50%: a,b.md"
    odd.write_text(JARGON + "\n", "utf-8")
    result = invoke("check", "--format", "github", odd.name)
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("::") for line in lines)
    assert "file=50%25%3A a%2Cb.md," in lines[0]


def test_github_output_escapes_a_new_line_in_a_file_name(invoke: Invoke, docs: Path) -> None:
    (docs / "two\nlines.md").write_text(JARGON + "\n", "utf-8")
    result = invoke("check", "--format", "github", ".")
    lines = [line for line in result.stdout.splitlines() if "two" in line]
    assert lines and all(line.startswith("::") and "file=two%0Alines.md," in line
                         for line in lines)


def test_auto_format_is_github_in_actions(invoke: Invoke, docs: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert invoke("check", "--format", "auto", "site/a.txt").stdout.startswith("::warning ")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert invoke("check", "--format", "auto", "site/a.txt").stdout.startswith("site/a.txt:")


def test_output_file(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--format", "json", "-o", "out.json", "site/a.txt")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads((docs / "out.json").read_text("utf-8"))["summary"]["findings"] >= 2


def test_html_goes_through_the_renderer(invoke: Invoke, docs: Path) -> None:
    pytest.importorskip("plainspeak.render.html")
    result = invoke("check", "--format", "html", "-o", "report.html", "site/a.txt")
    assert result.exit_code == 1
    assert "<html" in (docs / "report.html").read_text("utf-8").lower()


def test_select_and_ignore(invoke: Invoke, docs: Path) -> None:
    data = json.loads(invoke("check", "--format", "json", "--select", "PS2",
                             "site/a.txt").stdout)
    assert data["summary"]["findings"] == 0
    data = json.loads(invoke("check", "--format", "json", "--ignore", "care-package,PS2",
                             "site/a.txt").stdout)
    assert [f["entry_id"] for f in data["files"][0]["findings"]] == ["service-user"]


def test_readability_thresholds(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--select", "PS201", "--max-sentence-words", "3",
                    "site/clean.md")
    assert result.exit_code == 1
    assert "PS201" in result.stdout


def test_glossary_options(invoke: Invoke, docs: Path) -> None:
    (docs / "team.yaml").write_text(
        "entries:\n  - term: Monday\n    category: officialese\n    severity: error\n"
        "    alternatives: [the start of the week]\n"
        "    explanation: A day.\n", "utf-8")
    result = invoke("check", "--no-builtin-glossary", "--glossary", "team.yaml",
                    "--fail-on", "error", "site/clean.md", "site/a.txt")
    assert result.exit_code == 1
    assert "Monday" in result.stdout
    assert "care package" not in result.stdout


def test_bad_glossary_is_one_line_and_exit_2(invoke: Invoke, docs: Path) -> None:
    (docs / "bad.yaml").write_text("entries:\n  - term: [oops\n", "utf-8")
    result = invoke("check", "--glossary", "bad.yaml", "site/a.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith("plainspeak: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_stdin_with_a_file_name(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "-", "--stdin-filename", "draft.md", "--format", "json",
                    input=f"```\n{JARGON}\n```\n\n{JARGON}\n")
    data = json.loads(result.stdout)
    assert data["files"][0]["path"] == "draft.md"
    assert data["files"][0]["format"] == "markdown"
    assert all(f["line"] == 5 for f in data["files"][0]["findings"])   # code is skipped
    result = invoke("check", "-", input=CLEAN)
    assert result.exit_code == 0


def test_quiet_and_statistics(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--quiet", "site/a.txt")
    assert result.stdout.splitlines()[0].startswith("site/a.txt:1:1: PS101")
    assert "Found" not in result.stdout
    result = invoke("check", "--statistics", "site/a.txt")
    assert "Problems by rule:" in result.stdout


def test_report_unused_suppressions(invoke: Invoke, docs: Path) -> None:
    (docs / "s.md").write_text("<!-- plainspeak-disable-next-line PS101 -->\n"
                               "Nothing here.\n", "utf-8")
    assert "PS301" not in invoke("check", "s.md").stdout
    result = invoke("check", "--report-unused-suppressions", "--fail-on", "info", "s.md")
    assert "PS301" in result.stdout
    assert result.exit_code == 1


def test_exclude(invoke: Invoke, docs: Path) -> None:
    data = json.loads(invoke("check", "--format", "json", "--exclude", "nested/",
                             "--exclude", "*.txt", "site").stdout)
    assert [f["path"] for f in data["files"]] == ["site/b.md", "site/clean.md",
                                                  "site/d.docx"]


def test_jobs_give_the_same_output(invoke: Invoke, docs: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from plainspeak.formats import markdown

    for i in range(12):
        (docs / "site" / f"extra{i:02}.md").write_text(f"{JARGON}\n" * (i + 1), "utf-8")
    (docs / "site" / "long.md").write_text(LONG_MARKDOWN, "utf-8")
    monkeypatch.setattr(markdown, "PART_CHARS", 300)   # --jobs 2 sends long.md in parts
    one = invoke("check", "--format", "json", "--jobs", "1", "site")
    two = invoke("check", "--format", "json", "--jobs", "2", "site")   # split in two
    three = invoke("check", "--format", "json", "--jobs", "3", "site")  # files shared out
    assert one.exit_code == two.exit_code == three.exit_code == 1
    assert one.stdout == two.stdout == three.stdout


def test_every_command_has_examples_in_help(invoke: Invoke) -> None:
    commands = [["check"], ["fix"], ["readability"], ["explain"], ["config"], ["glossary"],
                ["glossary", "validate"], ["glossary", "list"], ["glossary", "search"],
                ["glossary", "export"], []]
    for command in commands:
        result = invoke(*command, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout, command
        assert "plainspeak " in result.stdout.split("Examples:")[1], command


def test_progress_bar_only_for_a_person_at_a_terminal(invoke: Invoke, docs: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from plainspeak.cli import commands_check

    for i in range(commands_check.PROGRESS_MIN_FILES):
        (docs / "site" / f"p{i:02}.txt").write_text(CLEAN + "\n", "utf-8")
    assert "Checking" not in invoke("check", "site").stderr      # not a terminal
    monkeypatch.setattr(commands_check, "stderr_is_terminal", lambda: True)
    result = invoke("check", "site")
    assert "Checking" in result.stderr and "Checking" not in result.stdout
    assert "Checking" not in invoke("check", "--no-progress", "site").stderr
    assert "Checking" not in invoke("check", "--quiet", "site").stderr
    assert "Checking" not in invoke("check", "site/a.txt").stderr  # one file: no bar


@pytest.mark.slow
def test_jobs_with_spawned_workers(invoke: Invoke, docs: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Where fork is not used (macOS, Windows) each worker builds its own Checker."""
    from plainspeak.cli import runner

    one = invoke("check", "--format", "json", "site")
    monkeypatch.setattr(runner, "START_METHOD", "spawn")
    two = invoke("check", "--format", "json", "--jobs", "2", "site")
    three = invoke("check", "--format", "json", "--jobs", "3", "site")
    assert one.stdout == two.stdout == three.stdout


def test_colour_only_when_asked_or_on_a_terminal(invoke: Invoke, docs: Path) -> None:
    assert "\x1b[" not in invoke("check", "site/a.txt").stdout     # not a terminal
    assert "\x1b[" in invoke("check", "--color", "always", "site/a.txt").stdout
    assert "\x1b[" not in invoke("check", "--color", "always", "--format", "json",
                                 "site/a.txt").stdout


def test_select_names_a_rule(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--select", "PS9", "site/a.txt")
    assert result.exit_code == 2
    assert "no rule called 'PS9'" in result.stderr
    assert invoke("check", "--select", "long-sentence,PS1", "site/a.txt").exit_code == 1
