"""Baselines for gradual adoption: remember today's findings, report only new ones later.

A team with a large site cannot fix everything before turning plainspeak on, so the
first run records what is already there and later runs show only what is new.  A
finding is recognised by its file, rule, glossary entry (or text) and the sentence it
sits in, never by line number, so editing a paragraph above does not make old findings
look new.  Matching counts occurrences: if a sentence held "care package" once and now
holds it twice, one of the two is reported.

The file is the team's record of what they have agreed to live with, so it is never
lost or half-written: it is written aside and replaces the old one in one step, only
after the new text has been read back to the same findings.  Whatever plainspeak can
report it can record: a file name that is not UTF-8 (``os.fsdecode`` gives lone
surrogates) is stored as ``\\udcXX`` escapes, so the file is always UTF-8 JSON.
"""

from __future__ import annotations

import json
import os
import re
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

_SURROGATE = re.compile("[\ud800-\udfff]")


def _canonical(text: str) -> str:
    """``text`` with each high surrogate that is followed by a low one joined into the
    character the pair spells.  JSON cannot tell the two apart (``\\ud83d\\ude00`` reads
    back as one emoji), so keys are kept in this form everywhere and a recorded finding
    still matches the same finding later.  Every other lone surrogate is kept."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


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
    return (_canonical(path), finding.rule, _canonical(what), _canonical(context))


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
        (one line, naming the file) if it cannot be written or would not read back; the
        old file is then exactly as it was and no temporary file is left."""
        from plainspeak.fileio import _reason, replacing
        from plainspeak.render import to_json

        name = os.fspath(path)
        counts: Counter[Key] = Counter()
        for (where, rule, term, context), n in self.counts.items():
            if n > 0:
                counts[(_canonical(where), _canonical(rule), _canonical(term),
                        _canonical(context))] += n
        items = [{"path": k[0], "rule": k[1], "term": k[2], "context": k[3], "count": n}
                 for k, n in sorted(counts.items())]
        data = {"tool": "plainspeak", "baseline_version": BASELINE_VERSION,
                "findings": items}
        # to_json escapes lone surrogates, so the text always encodes as UTF-8.
        raw = (to_json(data, indent=2) + "\n").encode("utf-8")
        if _parse(raw, name) != counts:   # pragma: no cover - a bug, never bad input
            raise ConfigError(f"{name}: the new baseline would not read back the same; "
                              "the old file is unchanged")
        _refuse_special(name)
        try:
            with replacing(name) as handle:
                handle.write(raw)
        except OSError as error:   # while writing; replacing names its own failures
            raise ConfigError(f"{name}: cannot write the baseline ({_reason(error)}); "
                              "the old file is unchanged") from None

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Baseline:
        """The baseline at ``path``; ConfigError (one line, naming the file) if there is
        none or it is not one plainspeak wrote."""
        name = os.fspath(path)
        try:
            raw = Path(name).read_bytes()
        except FileNotFoundError:
            raise ConfigError(f"{name}: baseline file not found") from None
        except OSError as error:
            raise ConfigError(f"{name}: is not a plainspeak baseline ({error})") from None
        return cls(_parse(raw, name), os.path.dirname(os.path.abspath(name)))

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


def _parse(raw: bytes, name: str) -> Counter[Key]:
    """The finding counts in a baseline file's bytes."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
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
    return counts
