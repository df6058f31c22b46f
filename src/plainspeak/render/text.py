"""The terminal renderer: findings a writer can read and act on, safe to print from any document.

Document and glossary text reaches a terminal here, so every piece of it goes through
``escape_terminal``: a hostile document must not be able to move the cursor, recolour
the screen or reorder what is shown with bidi overrides.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from plainspeak.models import Finding, Report, Severity
from plainspeak.render import display_path, join_lines
from plainspeak.rules import RULES

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary

TAB = "    "            # a tab is shown as four spaces, so carets line up on any terminal
CONTEXT_BEFORE = 40     # characters of the line shown before a finding
CONTEXT_AFTER = 40      # ... and after it
MAX_UNDERLINE = 100     # a longer span (a long sentence) is shown up to here, then "..."
MAX_WHY = 120           # the "why" line is the explanation's first sentence, cut to this

# Cc except tab, bidi embeddings/overrides/isolates, and lone surrogates (which no
# terminal encoding accepts and which would otherwise crash the write).
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NEWLINES = re.compile(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_GREEN = "\x1b[32m"
_SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[31m",     # red
    Severity.WARNING: "\x1b[33m",   # yellow
    Severity.INFO: "\x1b[36m",      # cyan
}


def escape_terminal(text: str) -> str:
    """Show control characters as visible escapes (ESC becomes ``\\x1b``) so that text from
    a document or glossary cannot drive the terminal.  Tabs are kept."""
    if text.isprintable():   # nothing to escape (every escaped character is unprintable)
        return text
    return _UNSAFE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """Messages and labels on one line: line breaks become spaces, the rest is escaped."""
    if text.isprintable():   # no line break, tab or anything to escape
        return text
    return escape_terminal(_NEWLINES.sub(" ", text).replace("\t", " "))


def cell_width(ch: str) -> int:
    """Terminal cells a printable character takes: East Asian wide and full-width take two,
    combining marks and format characters (such as a zero-width joiner) none."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def excerpt(line: str, start: int, end: int) -> tuple[str, str]:
    """The line as shown and a caret line under code points ``start:end`` (0-based).

    Long lines are cut to a window around the span, marked with "...", so a 10 MB line
    does not flood the terminal; the caret line is measured in cells, not characters.
    """
    n = len(line)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    shown_end = min(end, start + MAX_UNDERLINE)
    lo = max(0, start - CONTEXT_BEFORE)
    hi = min(n, max(shown_end, start + 1) + CONTEXT_AFTER)
    head = "..." if lo > 0 else ""
    tail = "..." if hi < n else ""
    more = "..." if shown_end < end else ""
    window = line[lo:hi]
    if window.isascii() and window.isprintable():   # one cell per character
        pad, underline, shown = len(head) + start - lo, max(1, shown_end - start), window
    else:
        cells = [_cells(ch) for ch in window]
        pad = len(head) + sum(width for _, width in cells[: start - lo])
        underline = max(1, sum(width for _, width in cells[start - lo : shown_end - lo]))
        shown = "".join(piece for piece, _ in cells)
    return head + shown + tail, " " * pad + "^" * underline + more


@lru_cache(maxsize=4096)
def _cells(ch: str) -> tuple[str, int]:
    """A character as shown (tab as spaces, control characters escaped) and its cells."""
    if ch == "\t":
        return TAB, len(TAB)
    piece = escape_terminal(ch)
    return piece, len(piece) if piece != ch else cell_width(ch)


def short_why(explanation: str) -> str:
    """The first sentence of an explanation, cut to MAX_WHY characters."""
    text = " ".join(explanation.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) > MAX_WHY:
        first = first[: MAX_WHY - 3].rstrip() + "..."
    return first


class _Style:
    """ANSI colour when asked for, nothing otherwise; the CLI decides (isatty, NO_COLOR)."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, *codes: str) -> str:
        if not self.color or not codes or not text:
            return text
        return "".join(codes) + text + _RESET


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


@dataclass(slots=True)
class Tally:
    """Running counts over the reports shown so far: all the summary line and the
    statistics table need, so a long run can let each report go once it is printed."""

    files: int = 0
    files_with_errors: int = 0
    files_with_findings: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    rule_names: dict[str, str] = field(default_factory=dict)     # first name seen per code
    by_entry: Counter[str] = field(default_factory=Counter)
    entry_labels: dict[str, str] = field(default_factory=dict)   # first label per entry id
    open_findings: bool = False   # findings in the sections so far of a file still coming

    @classmethod
    def of(cls, reports: Iterable[Report]) -> Tally:
        tally = cls()
        for report in reports:
            tally.add(report)
        return tally

    def add(self, report: Report) -> None:
        """Count a report; a long file's sections (``Report.more``) count as one file."""
        self.open_findings = self.open_findings or bool(report.findings)
        if not report.more:
            self.files += 1
            self.files_with_errors += bool(report.error)
            self.files_with_findings += self.open_findings
            self.open_findings = False
        for f in report.findings:
            self.by_severity[f.severity.value] += 1
            self.by_rule[f.rule] += 1
            self.rule_names.setdefault(f.rule, f.name)
            if f.entry_id:
                self.by_entry[f.entry_id] += 1
                self.entry_labels.setdefault(f.entry_id, f.term or f.text)

    @property
    def findings(self) -> int:
        return sum(self.by_rule.values())


def summary_line(reports: Iterable[Report] | Tally) -> str:
    """One line a person reads first: how many problems, how bad, how many files.

    "in N files" counts the files that have problems; unreadable files are counted apart.
    """
    tally = reports if isinstance(reports, Tally) else Tally.of(reports)
    unreadable = tally.files_with_errors
    readable = tally.files - unreadable
    failed = f"; {_plural(unreadable, 'file')} could not be read" if unreadable else ""
    if tally.findings:
        sev = tally.by_severity
        parts = [
            _plural(sev.get("error", 0), "error"),
            _plural(sev.get("warning", 0), "warning"),
            f"{sev.get('info', 0)} info",
        ]
        kinds = ", ".join(p for p in parts if not p.startswith("0 "))
        return (f"Found {_plural(tally.findings, 'problem')} ({kinds}) in "
                f"{_plural(tally.files_with_findings, 'file')}{failed}.")
    if unreadable:
        return f"No problems in {_plural(readable, 'file')}{failed}."
    if not readable:
        return "No files were checked."
    return f"All clear: no problems in {_plural(readable, 'file')}."


def statistics_table(reports: Iterable[Report] | Tally) -> list[str]:
    """Counts per rule and per glossary entry, most frequent first (like ``ruff --statistics``)."""
    tally = reports if isinstance(reports, Tally) else Tally.of(reports)
    if not tally.by_rule:
        return []
    width = len(str(max(tally.by_rule.values())))
    lines = ["Problems by rule:"]
    for code, count in sorted(tally.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = RULES.get(code)
        name = rule.name if rule else tally.rule_names[code]
        lines.append(f"  {count:>{width}}  {one_line(code)}  {one_line(name)}")
    if tally.by_entry:
        width = len(str(max(tally.by_entry.values())))
        lines.append("Problems by glossary term:")
        for entry_id, count in sorted(tally.by_entry.items(), key=lambda kv: (-kv[1], kv[0])):
            label = one_line(tally.entry_labels[entry_id])
            lines.append(f"  {count:>{width}}  {label}  ({one_line(entry_id)})")
    return lines


def _header(path: str, f: Finding, style: _Style) -> str:
    where = f" ({one_line(f.where)})" if f.where else ""
    sev_color = _SEVERITY_COLOR.get(f.severity, "")
    location = style(f"{path}:{f.line}:{f.column}", _BOLD)
    code = style(one_line(f.rule), _BOLD, sev_color)
    severity = style(f"[{f.severity.value}]", sev_color)
    return f"{location}{where}: {code} {severity} {one_line(f.message)}"


def _finding_block(path: str, f: Finding, lines: list[str], first_line: int,
                   style: _Style) -> list[str]:
    """A finding's lines; ``lines`` are the report's source lines, the first of them
    line ``first_line`` of the file."""
    block = [_header(path, f, style)]
    if 0 <= f.line - first_line < len(lines):
        line = lines[f.line - first_line]
        start = f.column - 1
        end = f.end_column - 1 if f.end_line == f.line else len(line)
        shown, carets = excerpt(line, start, end)
        block.append(f"    {shown}".rstrip())
        block.append("    " + style(carets, _SEVERITY_COLOR.get(f.severity, "")))
    if f.alternatives:
        tries = ", ".join(one_line(a) for a in f.alternatives)
        block.append(f"  {style('try:', _GREEN)} {tries}")
    if f.explanation and f.explanation.strip():
        block.append(f"  {style('why:', _DIM)} {one_line(short_why(f.explanation))}")
    return block


class TextLines:
    """The text output a report at a time: ``report`` gives one report's lines as soon
    as it arrives and keeps only counts; ``footer`` gives the statistics and summary.

    ``render`` is these lines joined, so streamed and whole output are the same bytes.
    """

    def __init__(self, *, color: bool = False, statistics: bool = False,
                 quiet: bool = False) -> None:
        self.style = _Style(color)
        self.statistics = statistics
        self.quiet = quiet
        self.tally = Tally()

    def report(self, report: Report) -> list[str]:
        style, quiet = self.style, self.quiet
        self.tally.add(report)
        out: list[str] = []
        path = escape_terminal(display_path(report.path))
        if report.error is not None:
            label = style("error", _BOLD, _SEVERITY_COLOR[Severity.ERROR])
            out.append(f"{style(path, _BOLD)}: {label}: {one_line(report.error)}")
            if not quiet:
                out.append("")
        if not report.findings:
            return out
        ordered = sorted(report.findings, key=lambda f: (f.line, f.column, f.rule, f.start))
        if quiet:
            return out + [_header(path, f, style) for f in ordered]
        lines = [ln.rstrip("\r") for ln in report.source.split("\n")] if report.source else []
        for f in ordered:
            out.extend(_finding_block(path, f, lines, report.first_line, style))
            out.append("")
        return out

    def footer(self) -> list[str]:
        out: list[str] = []
        if self.statistics:
            table = statistics_table(self.tally)
            if table:
                out.extend(table)
                if not self.quiet:
                    out.append("")
        if not self.quiet:
            out.append(self.style(summary_line(self.tally), _BOLD))
        return out


LINES = TextLines   # what ``plainspeak.render.line_renderer`` builds for "text"


def render(
    reports: Iterable[Report],
    *,
    color: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    glossary: Glossary | None = None,
    tool_version: str | None = None,
    **_: Any,
) -> str:
    """Findings grouped by file, each as ``path:line:col: CODE [severity] message`` with
    the line, the term underlined, the alternatives and a short why; then a summary.

    ``quiet`` keeps only the one-line finding headers and the ``path: error: ...`` lines:
    no excerpts, no try/why lines and no summary (for scripts and editors that parse
    lines).  ``statistics`` adds counts per rule and per glossary term before the
    summary (also when quiet).  ``glossary`` and ``tool_version`` are not used.
    """
    return join_lines(TextLines(color=color, statistics=statistics, quiet=quiet), reports)
