"""plainspeak config: the settings in force for a path and where each came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.conftest import Invoke


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "base.toml").write_text('allow = ["reablement"]\n', "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.plainspeak]\nextend = "base.toml"\nmax-grade = 9\n', "utf-8")
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_shows_values_and_sources(invoke: Invoke, project: Path) -> None:
    result = invoke("config", "docs")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# Config file: {project / 'pyproject.toml'}"
    assert lines[1] == f"# which extends: {project / 'base.toml'}"
    assert any(line.startswith("max-grade") and "= 9.0" in line
               and line.endswith(f"# {project / 'pyproject.toml'}") for line in lines)
    assert any(line.startswith("allow") and line.endswith(f"# {project / 'base.toml'}")
               for line in lines)
    assert any(line.startswith("max-sentence-words") and line.endswith("# default")
               for line in lines)


def test_json(invoke: Invoke, project: Path) -> None:
    data = json.loads(invoke("config", "--format", "json").stdout)
    assert data["settings"]["max_grade"] == 9.0
    assert data["sources"]["allow"] == str(project / "base.toml")
    assert data["extends"] == [str(project / "base.toml")]


def test_bad_config_exits_2(invoke: Invoke, project: Path) -> None:
    (project / "docs" / ".plainspeak.toml").write_text("colour = 'red'\n", "utf-8")
    result = invoke("config", "docs")
    assert result.exit_code == 2
    assert result.stderr == (f"plainspeak: {project / 'docs' / '.plainspeak.toml'}: "
                             "unknown setting 'colour'\n")


def test_check_uses_each_files_closest_config(invoke: Invoke, project: Path) -> None:
    text = "Our reablement team will help. We will signpost you.\n"
    (project / "docs" / "a.md").write_text(text, "utf-8")
    (project / "docs" / "legal").mkdir()
    (project / "docs" / "legal" / "b.md").write_text(text, "utf-8")
    (project / "docs" / "legal" / ".plainspeak.toml").write_text(
        'ignore = ["signpost"]\n', "utf-8")
    data = json.loads(invoke("check", "--format", "json", "docs").stdout)
    ids = {f["path"]: [x["entry_id"] for x in f["findings"]] for f in data["files"]}
    assert ids == {"docs/a.md": ["signpost"], "docs/legal/b.md": ["reablement"]}


def test_config_fail_on_severity_and_per_file_ignores(invoke: Invoke, project: Path) -> None:
    (project / "docs" / "a.md").write_text("Your care package. We will signpost you.\n",
                                           "utf-8")
    (project / "docs" / "b.md").write_text("Your care package.\n", "utf-8")
    (project / ".plainspeak.toml").write_text(
        'fail-on = "error"\n[severity]\nsignpost = "error"\n'
        '[per-file-ignores]\n"docs/b.md" = ["PS1"]\n"a.md" = ["care-package"]\n', "utf-8")
    result = invoke("check", "--format", "json", "docs")
    data = json.loads(result.stdout)
    found = {f["path"]: [(x["entry_id"], x["severity"]) for x in f["findings"]]
             for f in data["files"]}
    assert found == {"docs/a.md": [("signpost", "error")], "docs/b.md": []}
    assert result.exit_code == 1
    (project / ".plainspeak.toml").write_text('fail-on = "error"\n', "utf-8")
    assert invoke("check", "docs").exit_code == 0
    assert invoke("check", "--fail-on", "warning", "docs").exit_code == 1


def test_config_exclude(invoke: Invoke, project: Path) -> None:
    (project / "docs" / "a.md").write_text("Your care package.\n", "utf-8")
    (project / "docs" / "drafts").mkdir()
    (project / "docs" / "drafts" / "b.md").write_text("Your care package.\n", "utf-8")
    (project / "docs" / ".plainspeak.toml").write_text('exclude = ["drafts/"]\n', "utf-8")
    data = json.loads(invoke("check", "--format", "json", ".").stdout)
    assert [f["path"] for f in data["files"]] == ["docs/a.md"]
