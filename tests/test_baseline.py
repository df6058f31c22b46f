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


def test_one_report_at_a_time_is_the_same_as_all_at_once(builtin_checker, tmp_path: Path) -> None:
    """check --baseline filters each report as it comes; the counts left over carry from
    one report to the next, so standard input named like a file shares that file's."""
    text = "Your care package is ready. Your care package is ready."
    old = [report(builtin_checker, "a.md", text), report(builtin_checker, "b.md", text)]
    baseline = Baseline.from_reports(old, base=str(tmp_path))
    new = [report(builtin_checker, "a.md", f"{text} {text}"),
           report(builtin_checker, "a.md", text),          # stdin shown as a.md
           report(builtin_checker, "b.md", "We will signpost you."),
           report(builtin_checker, "c.md", text)]
    keep = baseline.filterer()
    one_by_one = [keep(r) for r in new]
    assert one_by_one == baseline.filter(new)
    assert [len(r.findings) for r in one_by_one] == [2, 2, 1, 2]
    assert baseline.filter(new) == one_by_one               # filter leaves the counts as they were


def test_add_counts_as_from_reports(builtin_checker, tmp_path: Path) -> None:
    reports = [report(builtin_checker, "a.md", "A care package. A care package."),
               report(builtin_checker, "b.md", "Service users.")]
    grown = Baseline(base=str(tmp_path))
    for r in reports:
        grown.add(r)
    assert grown == Baseline.from_reports(reports, base=str(tmp_path)) and grown.count == 3
