"""Inline directives: regions, next line, whole file, targets and unused ones."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.api import Checker
from plainspeak.formats.base import Comment, SourceDocument
from plainspeak.models import Finding
from plainspeak.settings import Settings
from plainspeak.suppress import Suppressions


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


def _naive_filter(directives: list[Any], findings: list[Finding]) -> tuple[list[Finding],
                                                                           list[int]]:
    """The definition: each finding goes to the first directive (in order) covering it."""
    kept: list[Finding] = []
    used = [0] * len(directives)
    for finding in findings:
        hit = next((i for i, d in enumerate(directives) if d.applies(finding)), None)
        if hit is None:
            kept.append(finding)
        else:
            used[hit] += 1
    return kept, used


DIRECTIVE_KINDS = st.sampled_from(["disable", "enable", "disable-next-line",
                                   "disable-file"])
TARGETS = st.sampled_from(["", " PS101", " PS2", " la", " PS101 budget"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(DIRECTIVE_KINDS, TARGETS, st.booleans()), max_size=12))
def test_filter_matches_its_definition(checker: Checker,
                                       lines: list[tuple[str, str, bool]]) -> None:
    """The sweep over findings gives exactly what the plain first-match rule gives."""
    parts = []
    for kind, target, jargon in lines:
        parts.append(f"<!-- plainspeak-{kind}{target} -->\n")
        parts.append("The LA and your budget.\n\n" if jargon else "Plain words.\n\n")
    doc = document("".join(parts))
    report = checker.check_document(doc)   # the engine's own findings, before filtering
    findings = [*report.findings]
    suppressions = Suppressions.of(doc)
    expected_kept, expected_used = _naive_filter(suppressions.directives,
                                                 findings + _suppressed(checker, doc))
    kept, count = Suppressions.of(doc).filter(findings + _suppressed(checker, doc))
    assert kept == expected_kept
    fresh = Suppressions.of(doc)
    fresh.filter(findings + _suppressed(checker, doc))
    assert [d.used for d in fresh.directives] == expected_used
    assert count == sum(expected_used)


def _suppressed(checker: Checker, doc: SourceDocument) -> list[Finding]:
    """The findings the directives took away: the same text checked without them."""
    bare = SourceDocument(doc.source, doc.prose, doc.format)
    shown = {(f.start, f.rule) for f in checker.check_document(doc).findings}
    return [f for f in checker.check_document(bare).findings
            if (f.start, f.rule) not in shown]
