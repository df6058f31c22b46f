"""What every check needs to know about one document, computed once."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from plainspeak.formats.base import SourceDocument
from plainspeak.models import Finding, SentenceScore, Severity
from plainspeak.rules import RULES
from plainspeak.settings import Settings


@dataclass(slots=True)
class CheckContext:
    """A document with its sentences and the settings in force."""

    document: SourceDocument
    settings: Settings
    sentences: list[SentenceScore]
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> SentenceScore | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def sentence_text(self, offset: int) -> str:
        found = self.sentence_at(offset)
        if found is None:
            return ""
        return " ".join(self.document.prose[found.start:found.end].split())

    def severity(self, rule: str, default: Severity, *, category: str | None = None,
                 entry_id: str | None = None) -> Severity:
        """The most specific severity setting wins: entry id, then category, then rule."""
        table = self.settings.severity
        for key in (entry_id, category, rule, RULES[rule].name if rule in RULES else None):
            if key and key in table:
                return table[key]
        return default

    def finding(self, rule: str, start: int, end: int, message: str, severity: Severity,
                **extra: object) -> Finding:
        """A finding at source offsets, with positions and the label for its line; given
        in the file's offsets and lines when the document is one section of a file."""
        doc = self.document
        line, column = doc.position(start)
        end_line, end_column = doc.position(end)
        lines = doc.first_line - 1
        return Finding(
            rule=rule, name=RULES[rule].name, severity=severity, message=message,
            start=doc.offset + start, end=doc.offset + end, line=lines + line,
            column=column, end_line=lines + end_line,
            end_column=end_column, text=doc.source[start:end],
            sentence=self.sentence_text(start), where=doc.label(line),
            **extra,  # type: ignore[arg-type]
        )
