"""Baselines for gradual adoption: remember today's findings, report only new ones later.

A team with a large site cannot fix everything before turning plainspeak on, so the
first run records what is already there and later runs show only what is new.  A
finding is recognised by its file, rule, glossary entry (or text) and the sentence it
sits in, never by line number, so editing a paragraph above does not make old findings
look new.  Matching counts occurrences: if a sentence held "care package" once and now
holds it twice, one of the two is reported.

The file is the team's record of what they have agreed to live with, so it is never
lost or half-written: it is written aside and replaces the old one in one step.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

from plainspeak.errors import ConfigError
from plainspeak.models import Finding, Report

__all__ = ["BASELINE_VERSION", "Baseline", "finding_key"]

BASELINE_VERSION = 1
Key = tuple[str, str, str, str]


def _relative(path: str | None, base: str) -> str:
    """The path as stored: relative to the baseline's folder, with forward slashes, so the
    file works from any working directory and on any machine."""
    if path is None:
        return "<stdin>"
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, base)
    except ValueError:   # another drive on Windows
        rel = absolute
    return PurePath(rel).as_posix()


def finding_key(finding: Finding, path: str) -> Key:
    """What identifies a finding across edits: file, rule, term and surrounding sentence."""
    what = finding.entry_id or " ".join(finding.text.lower().split())
    context = " ".join((finding.sentence or finding.text).split())
    return (path, finding.rule, what, context)


@dataclass(slots=True)
class Baseline:
    """A multiset of finding keys, read from or written to a JSON file."""

    counts: Counter[Key] = field(default_factory=Counter)
    base: str = "."

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    @classmethod
    def from_reports(cls, reports: Iterable[Report], *, base: str) -> Baseline:
        baseline = cls(Counter(), base)
        for report in reports:
            baseline.add(report)
        return baseline

    def write(self, path: str | os.PathLike[str]) -> None:
        """Replace the baseline at ``path`` in one step.  Raises ConfigError or InputError
        (one line, naming the file) if it cannot be written; the old file is then exactly
        as it was and no temporary file is left."""
        from plainspeak.fileio import _reason, replacing

        name = os.fspath(path)
        items = [{"path": k[0], "rule": k[1], "term": k[2], "context": k[3], "count": n}
                 for k, n in sorted(self.counts.items())]
        data = {"tool": "plainspeak", "baseline_version": BASELINE_VERSION,
                "findings": items}
        raw = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8", errors="surrogateescape")
        _refuse_special(name)
        try:
            with replacing(name) as handle:
                handle.write(raw)
        except OSError as error:   # while writing; replacing names its own failures
            raise ConfigError(f"{name}: cannot write the baseline ({_reason(error)}); "
                              "the old file is unchanged") from None

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Baseline:
        name = os.fspath(path)
        try:
            data = json.loads(Path(name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{name}: baseline file not found") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ConfigError(f"{name}: is not a plainspeak baseline ({error})") from None
        counts: Counter[Key] = Counter()
        try:
            if not isinstance(data, dict) or data.get("baseline_version") != BASELINE_VERSION:
                raise TypeError("unknown baseline_version")
            for item in data["findings"]:
                key = (str(item["path"]), str(item["rule"]), str(item["term"]),
                       str(item["context"]))
                counts[key] += int(item.get("count", 1))
        except (KeyError, TypeError, ValueError) as error:
            raise ConfigError(f"{name}: is not a plainspeak baseline ({error}); delete it "
                              "and run with --baseline again to write a new one") from None
        return cls(counts, os.path.dirname(os.path.abspath(name)))

    def filter(self, reports: Iterable[Report]) -> list[Report]:
        """The reports with every finding already in the baseline taken out."""
        keep = self.filterer()
        return [keep(report) for report in reports]

    def filterer(self) -> Callable[[Report], Report]:
        """``filter`` one report at a time, for a run that shows each report as it comes:
        the counts left over are shared between calls, so feeding the reports in order
        gives exactly what ``filter`` gives for the whole list."""
        left = Counter(self.counts)

        def keep(report: Report) -> Report:
            path = _relative(report.path, self.base)
            kept: list[Finding] = []
            for finding in report.findings:
                key = finding_key(finding, path)
                if left[key] > 0:
                    left[key] -= 1
                else:
                    kept.append(finding)
            return (report if len(kept) == len(report.findings)
                    else replace(report, findings=tuple(kept)))

        return keep

    def add(self, report: Report) -> None:
        """Count the findings of one more report (``from_reports`` a report at a time)."""
        path = _relative(report.path, self.base)
        self.counts.update(finding_key(f, path) for f in report.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"findings": self.count, "base": self.base}


def _refuse_special(name: str) -> None:
    """A baseline has to be a file it can be read back from: not a folder, and not a
    device or pipe (which would swallow it, or block)."""
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return   # a new file; replacing reports a missing folder or a refusal
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{name}: is a directory, not a baseline file")
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{name}: is not a regular file, so it cannot hold a baseline")
