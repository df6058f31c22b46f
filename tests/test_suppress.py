"""Inline directives: regions, next line, whole file, targets and unused ones."""

from __future__ import annotations

from plainspeak.api import Checker
from plainspeak.formats.base import Comment, SourceDocument
from plainspeak.settings import Settings


def document(text: str) -> SourceDocument:
    """A document whose <!-- --> comments are directives and whose other text is prose."""
    comments = []
    prose = list(text)
    start = text.find("<!--")
    while start != -1:
        end = text.index("-->", start) + 3
        comments.append(Comment(start, end, text[start + 4:end - 3]))
        prose[start:end] = [" " if ch != "\n" else ch for ch in text[start:end]]
        start = text.find("<!--", end)
    return SourceDocument(text, "".join(prose), "markdown", comments=comments)


def ids(checker: Checker, text: str) -> list[str | None]:
    return [f.entry_id for f in checker.check_document(document(text)).findings]


def test_disable_region_and_enable(checker: Checker) -> None:
    text = ("The LA said.\n\n<!-- plainspeak-disable PS101 -- quoting -->\nThe budget.\n\n"
            "<!-- plainspeak-enable -->\nYour personal budget.\n")
    assert ids(checker, text) == ["la", "personal-budget"]


def test_disable_next_line_only(checker: Checker) -> None:
    text = "<!-- plainspeak-disable-next-line budget -->\nA budget.\n\nA budget.\n"
    report = checker.check_document(document(text))
    assert [f.line for f in report.findings] == [4] and report.suppressed == 1


def test_disable_file_for_one_id(checker: Checker) -> None:
    text = "A budget and the LA.\n<!-- plainspeak-disable-file la -->\n"
    assert ids(checker, text) == ["budget"]


def test_unused_suppressions_reported(engine_glossary) -> None:
    checker = Checker(Settings(report_unused_suppressions=True), glossary=engine_glossary)
    report = checker.check_document(document("<!-- plainspeak-disable-next-line -->\nFine.\n"))
    assert [(f.rule, f.line) for f in report.findings] == [("PS301", 1)]
