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
surrogates) is stored as ``\\udcXX`` escapes, so the file is always UTF-8 JSON.  A file
that is not a baseline is one line naming it, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from plainspeak.errors import ConfigError
from plainspeak.models import Finding, Report

__all__ = ["BASELINE_VERSION", "MAX_BASELINE_BYTES", "Baseline", "finding_key"]

BASELINE_VERSION = 1
# Far above any real site (400,000 findings take about 120 MB and read in a second),
# low enough that a stray disk image or log file is refused before it fills memory.
# Writing checks the same limit, so plainspeak never writes a baseline it would refuse.
MAX_BASELINE_BYTES = 512 * 1024 * 1024
Key = tuple[str, str, str, str]

_FIELDS = ("path", "rule", "term", "context")
_SURROGATE = re.compile("[\ud800-\udfff]")
_HINT = "write a new one with --baseline FILE --update-baseline"


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
        if len(raw) > MAX_BASELINE_BYTES:
            raise ConfigError(f"{name}: cannot write the baseline: it would be "
                              f"{_size(len(raw))}, over the {_size(MAX_BASELINE_BYTES)}"
                              " limit for reading one back")
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
        return cls(_parse(_load(name), name), os.path.dirname(os.path.abspath(name)))

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


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size:,} bytes"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


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


def _load(name: str) -> bytes:
    """The bytes of the baseline file, refusing anything that is not a regular file of a
    sensible size before reading from it (a pipe is never read, so it cannot block)."""
    from plainspeak.fileio import _reason

    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for ever.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ConfigError(f"{name}: baseline file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{name}: is a directory, not a baseline file") from None
    except OSError as error:
        raise ConfigError(f"{name}: cannot read the baseline ({_reason(error)})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ConfigError(f"{name}: is a directory, not a baseline file")
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{name}: is not a regular file, so it cannot be a baseline")
        if info.st_size > MAX_BASELINE_BYTES:
            raise ConfigError(_too_big(name, info.st_size))
        with open(fd, "rb", closefd=False) as handle:
            # Ask for the size stat gave (a read of n bytes sets n bytes aside first).
            raw = handle.read(info.st_size + 1)
            if len(raw) > info.st_size:   # it grew since: read on, up to the limit
                raw += handle.read(MAX_BASELINE_BYTES + 1 - len(raw))
    except OSError as error:
        raise ConfigError(f"{name}: cannot read the baseline ({_reason(error)})") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_BASELINE_BYTES:
        raise ConfigError(_too_big(name, len(raw)))
    return raw


def _too_big(name: str, size: int) -> str:
    return (f"{name}: is {_size(size)}, over the {_size(MAX_BASELINE_BYTES)} "
            "limit for a baseline")


def _parse(raw: bytes, name: str) -> Counter[Key]:
    """The finding counts in a baseline file's bytes, checked field by field."""
    try:
        return _counts(_json(raw))
    except _NotABaseline as error:
        raise ConfigError(f"{name}: is not a plainspeak baseline ({error}); {_HINT}") from None


class _NotABaseline(Exception):
    """Why the bytes are not a baseline, in a few words."""


def _refuse_constant(word: str) -> Any:
    raise _NotABaseline(f"'{word}' is not a number plainspeak writes")


def _json(raw: bytes) -> Any:
    if b"\0" in raw:   # JSON text never holds a raw NUL: this is some binary file
        raise _NotABaseline("it looks like a binary file, not JSON")
    try:
        text = raw.decode("utf-8-sig")   # a BOM from an editor is harmless
    except UnicodeDecodeError as error:
        raise _NotABaseline(f"not UTF-8 text: byte {error.start + 1} is "
                            f"0x{raw[error.start]:02x}") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise _NotABaseline(f"not valid JSON: {error.msg} at line {error.lineno} "
                            f"column {error.colno}") from None
    except RecursionError:
        raise _NotABaseline("it is nested too deeply") from None
    except ValueError:   # an integer of thousands of digits (sys.get_int_max_str_digits)
        raise _NotABaseline("it holds a number too long to read") from None


def _shown(value: Any) -> str:
    """A value as a message shows it: its JSON type, or a number or short text itself."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}" if len(repr(value)) <= 20 else "a long number"
    if isinstance(value, str):
        return f"the text {value[:30]!r}" + ("..." if len(value) > 30 else "")
    return "a list" if isinstance(value, list) else "an object"


def _counts(data: Any) -> Counter[Key]:
    if not isinstance(data, dict):
        raise _NotABaseline(f"it is {_shown(data)}, not an object")
    version = data.get("baseline_version")
    if type(version) is not int or version != BASELINE_VERSION:
        what = ("it has no 'baseline_version'" if "baseline_version" not in data
                else f"its 'baseline_version' is {_shown(version)}")
        raise _NotABaseline(f"{what}; this plainspeak reads version {BASELINE_VERSION}")
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise _NotABaseline(f"'findings' is {_shown(findings)}, not a list")
    counts: Counter[Key] = Counter()
    for number, item in enumerate(findings, 1):
        if not isinstance(item, dict):
            raise _NotABaseline(f"finding {number} is {_shown(item)}, not an object")
        for name in item:
            if name not in _FIELDS and name != "count":
                raise _NotABaseline(f"finding {number} has an unknown field {name[:30]!r}")
        for name in _FIELDS:
            if name not in item:
                raise _NotABaseline(f"finding {number} has no '{name}'")
            if not isinstance(item[name], str):
                raise _NotABaseline(f"finding {number} has {_shown(item[name])} as its "
                                    f"'{name}', not text")
        n = item.get("count", 1)
        if type(n) is not int or n < 1:
            raise _NotABaseline(f"finding {number} has {_shown(n)} as its 'count', "
                                "not a whole number above 0")
        counts[(item["path"], item["rule"], item["term"], item["context"])] += n
    return counts
