"""Plain data that flows out of the engine: findings, readability scores and reports.

Everything here is a frozen dataclass with a ``to_dict`` so that renderers, the JSON
output and other tools all see the same shape; nothing here knows about spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):  # noqa: UP042 - str() and format() must stay as they are
    """How much a finding matters; ordered so that ``rank`` compares levels."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 1, "warning": 2, "error": 3}[self.value]

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r}: expected error, warning or info"
            ) from None


@dataclass(frozen=True, slots=True)
class Fix:
    """One replacement for a finding's span; ``safe`` fixes are applied by default."""

    replacement: str
    applicability: str = "unsafe"  # "safe" or "unsafe", as in ruff

    @property
    def safe(self) -> bool:
        return self.applicability == "safe"

    def to_dict(self) -> dict[str, Any]:
        return {"replacement": self.replacement, "applicability": self.applicability}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one exact place in the original text.

    ``start``/``end`` are 0-based, half-open offsets into the source string (code
    points); ``line``/``column`` are 1-based.  ``where`` is a human label for formats
    whose lines are not lines, such as "paragraph 4" or "table 1, row 2, cell 3" in Word.
    """

    rule: str
    name: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    sentence: str = ""
    entry_id: str | None = None
    term: str | None = None
    category: str | None = None
    alternatives: tuple[str, ...] = ()
    explanation: str | None = None
    fix: Fix | None = None
    where: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "sentence": self.sentence,
            "entry_id": self.entry_id,
            "term": self.term,
            "category": self.category,
            "alternatives": list(self.alternatives),
            "explanation": self.explanation,
            "fix": self.fix.to_dict() if self.fix else None,
            "where": self.where,
        }


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """Difficulty of one sentence, used for per-sentence findings and the HTML report."""

    start: int
    end: int
    words: int
    grade: float

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "words": self.words,
                "grade": round(self.grade, 2)}


@dataclass(frozen=True, slots=True)
class Readability:
    """Whole-document readability scores (textstat formulas over plainspeak's counts)."""

    flesch_reading_ease: float
    flesch_kincaid_grade: float
    smog_index: float
    gunning_fog: float
    coleman_liau_index: float
    automated_readability_index: float
    dale_chall: float
    reading_age: float
    words: int
    sentences: int
    syllables: int
    average_sentence_length: float
    long_word_share: float

    @property
    def reading_age_words(self) -> str:
        """The UK reading age in words a lay reader understands."""
        from plainspeak.readability import describe_reading_age

        return describe_reading_age(self.reading_age)

    def to_dict(self) -> dict[str, Any]:
        return {
            "flesch_reading_ease": round(self.flesch_reading_ease, 2),
            "flesch_kincaid_grade": round(self.flesch_kincaid_grade, 2),
            "smog_index": round(self.smog_index, 2),
            "gunning_fog": round(self.gunning_fog, 2),
            "coleman_liau_index": round(self.coleman_liau_index, 2),
            "automated_readability_index": round(self.automated_readability_index, 2),
            "dale_chall": round(self.dale_chall, 2),
            "reading_age": round(self.reading_age, 1),
            "reading_age_words": self.reading_age_words,
            "words": self.words,
            "sentences": self.sentences,
            "syllables": self.syllables,
            "average_sentence_length": round(self.average_sentence_length, 2),
            "long_word_share": round(self.long_word_share, 4),
        }


@dataclass(frozen=True, slots=True)
class Report:
    """What checking one text found.

    ``path`` is None for a string checked through the API.  ``error`` is set (and the
    rest empty) when the file could not be read, so that one bad file never aborts a run.

    A long file checked in sections (``Checker.check_paths(sections=True)``) gives one
    report per section, in order: ``more`` is True on all but the last, ``source`` is
    the section's text starting on line ``first_line`` of the file, and findings are
    in the file's offsets and lines.  Only the last has the file's ``readability``, and
    none has sentence scores.
    """

    findings: tuple[Finding, ...] = ()
    readability: Readability | None = None
    sentences: tuple[SentenceScore, ...] = ()
    path: str | None = None
    format: str = "text"
    source: str = ""
    error: str | None = None
    suppressed: int = 0
    first_line: int = 1
    more: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "error": self.error,
            "findings": [f.to_dict() for f in self.findings],
            "readability": self.readability.to_dict() if self.readability else None,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True, slots=True)
class RunSummary:
    """Totals over many reports, for summary lines and the JSON summary."""

    files: int
    files_with_errors: int
    findings: int
    by_severity: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, reports: list[Report]) -> RunSummary:
        by_sev: dict[str, int] = {}
        by_rule: dict[str, int] = {}
        for r in reports:
            for f in r.findings:
                by_sev[f.severity.value] = by_sev.get(f.severity.value, 0) + 1
                by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
        return cls(
            files=len(reports),
            files_with_errors=sum(1 for r in reports if r.error),
            findings=sum(len(r.findings) for r in reports),
            by_severity=by_sev,
            by_rule=by_rule,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "files_with_errors": self.files_with_errors,
            "findings": self.findings,
            "by_severity": dict(sorted(self.by_severity.items())),
            "by_rule": dict(sorted(self.by_rule.items())),
        }
