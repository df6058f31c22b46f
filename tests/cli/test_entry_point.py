"""The installed ``plainspeak`` script and ``python -m plainspeak``, run as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plainspeak import __version__


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    script = shutil.which("plainspeak")
    command = [script] if script else [sys.executable, "-m", "plainspeak"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env={**_env(), "NO_COLOR": "1"})


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}


def test_version() -> None:
    result = subprocess.run([sys.executable, "-m", "plainspeak", "--version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == f"plainspeak {__version__}"


def modules_loaded_by(runs: list[list[str]], prefixes: tuple[str, ...]) -> str:
    """The modules starting with ``prefixes`` that a fresh process has loaded after
    running the CLI with each of ``runs`` (printed as a sorted list)."""
    code = (
        "import sys\n"
        "from plainspeak.cli import cli\n"
        f"for args in {runs!r}:\n"
        "    try:\n"
        "        cli(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(sorted(m for m in sys.modules if m.startswith({prefixes!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_help_and_version_do_not_load_the_engine() -> None:
    heavy = ("spacy", "textstat", "yaml", "plainspeak.api", "plainspeak.render",
             "plainspeak.nlp", "plainspeak.formats", "plainspeak.glossary")
    assert modules_loaded_by([["--help"], ["--version"], ["check", "--help"]], heavy) == "[]"


def test_missing_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = run("check", "missing.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "missing.md: error: no such file" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_malformed_config_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / ".plainspeak.toml").write_text("max-grade = \n", "utf-8")
    (tmp_path / "a.md").write_text("Hello there.\n", "utf-8")
    result = run("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plainspeak: ")
    assert ".plainspeak.toml: is not valid TOML" in lines[0]


def test_unknown_option_exits_2(tmp_path: Path) -> None:
    result = run("check", "--colour", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_checks_the_bundled_letter(fmt: str) -> None:
    root = Path(__file__).parents[2]
    result = run("check", "--format", fmt, "examples/letter.md", cwd=root)
    assert result.returncode == 1
    assert "letter.md" in result.stdout


def test_version_imports_no_command() -> None:
    assert modules_loaded_by([["--version"]], ("plainspeak.cli.commands",)) == "[]"


def test_help_lists_every_command_in_order() -> None:
    result = run("--help")
    rows = result.stdout.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    names = [row.split()[0] for row in rows if row.startswith("  ") and row.split()]
    assert names == ["check", "config", "explain", "fix", "glossary", "readability"]


def test_a_commits_files_with_a_warm_cache_load_no_yaml_pathspec_or_multiprocessing(
        tmp_path: Path) -> None:
    """A pre-commit run names its files and finds the glossary in the cache: it parses no
    YAML, matches no exclude pattern and starts no process, so it imports none of the
    three (about 30 ms of a clean page's 0.15 s).  The first run fills the cache."""
    page = tmp_path / "page.md"
    page.write_text("# Bins\n\nThe bins are emptied on Monday.\n", "utf-8")
    code = ("import sys\nfrom plainspeak.cli import cli\n"
            "try:\n"
            f"    cli(['check', '--no-progress', {str(page)!r}])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(sorted(m for m in sys.modules"
            " if m.split('.')[0] in ('yaml', 'pathspec', 'multiprocessing')))\n")
    env = {**os.environ, "PLAINSPEAK_CACHE_DIR": str(tmp_path / "cache")}

    def loaded() -> str:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                                text=True, timeout=60, env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert "'yaml'" in loaded()   # the first run parses the glossary
    assert loaded() == "[]"
