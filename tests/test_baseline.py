"""Baselines: findings are matched by file, rule, term and sentence, never by line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plainspeak.baseline import Baseline
from plainspeak.errors import ConfigError
from plainspeak.models import Report


def report(checker, path: str, text: str) -> Report:
    from dataclasses import replace

    return replace(checker.check(text), path=path)


def test_old_findings_are_hidden_when_lines_move(builtin_checker, tmp_path: Path) -> None:
    before = report(builtin_checker, str(tmp_path / "a.md"), "Your care package is ready.\n")
    baseline = Baseline.from_reports([before], base=str(tmp_path))
    baseline.write(tmp_path / "baseline.json")
    known = Baseline.read(tmp_path / "baseline.json")
    after = report(builtin_checker, str(tmp_path / "a.md"),
                   "A new first line.\n\nYour care package is ready.\nWe will signpost you.\n")
    [left] = known.filter([after])
    assert [f.entry_id for f in left.findings] == ["signpost"]


def test_counts_matter(builtin_checker, tmp_path: Path) -> None:
    text = "Your care package is ready."
    baseline = Baseline.from_reports([report(builtin_checker, "a.md", text)],
                                     base=str(tmp_path))
    [left] = baseline.filter([report(builtin_checker, "a.md", f"{text} {text}")])
    # a second identical sentence is a new finding
    assert [f.entry_id for f in left.findings] == ["care-package"]


def test_other_files_are_not_covered(builtin_checker, tmp_path: Path) -> None:
    text = "Your care package is ready."
    baseline = Baseline.from_reports([report(builtin_checker, "a.md", text)],
                                     base=str(tmp_path))
    [left] = baseline.filter([report(builtin_checker, "b.md", text)])
    assert len(left.findings) == 1


def test_file_format_is_readable_json(builtin_checker, tmp_path: Path) -> None:
    baseline = Baseline.from_reports(
        [report(builtin_checker, str(tmp_path / "docs" / "a.md"), "A care package.")],
        base=str(tmp_path))
    baseline.write(tmp_path / "b.json")
    data = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert data["baseline_version"] == 1
    assert data["findings"][0] == {"path": "docs/a.md", "rule": "PS101",
                                   "term": "care-package", "context": "A care package.",
                                   "count": 1}


@pytest.mark.parametrize("text", ["", "[]", '{"baseline_version": 99, "findings": []}',
                                  '{"baseline_version": 1, "findings": [{"path": 1}]}'])
def test_a_broken_baseline_is_a_config_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "b.json").write_text(text, "utf-8")
    with pytest.raises(ConfigError, match="is not a plainspeak baseline"):
        Baseline.read(tmp_path / "b.json")
