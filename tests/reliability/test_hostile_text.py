"""Properties over arbitrary Unicode (combining marks, emoji, right-to-left text, joiners,
NUL, lone surrogates): checking never crashes, every finding slices the text to its own
text, and fixing is idempotent and touches nothing outside the findings."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import plainspeak
from plainspeak.fix import apply_edits, plan_edits

JARGON = ["service users", "Service User", "care package", "utilise", "UTILISE",
          "personal budget", "signposted", "co-produced", "LA", "prior to", "reablement"]
ODD = ["\u0301", "\u0308", "\U0001f642", "\U0001f468\u200d\U0001f469\u200d\U0001f467",
       "\u200d", "\u200c", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
       "\u202e", "\u2066", "\u00a0", "\u2028", "\ufeff", "\x00", "\ud800", "\udfff",
       "\r\n", "\r", "\n", "\n\n", "\t", " ", ". ", "[sic]", "\u2019s", "-", "\u00ad"]
MARKUP = ["# ", "> ", "- ", "1. ", "`", "```\n", "*", "_", "[", "](http://x.y)", "<",
          ">", "<p>", "</p>", "<div title='", "'>", "<!--", "-->", "&amp;", "&nbsp;", "&",
          "<script>", "</script>", "\\", "|", "---\n"]

pieces = st.one_of(
    st.sampled_from(JARGON), st.sampled_from(ODD), st.sampled_from(MARKUP),
    st.text(st.characters(codec=None), max_size=8),   # any code point, surrogates too
)
texts = st.lists(pieces, max_size=40).map("".join)
formats = st.sampled_from(["text", "markdown", "html"])

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
_SURROGATE = re.compile("[\ud800-\udfff]")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@SETTINGS
@given(texts, formats)
def test_findings_slice_the_source(text: str, fmt: str) -> None:
    report = plainspeak.check(text, format=fmt)
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)
        if f.rule == "PS101":
            assert text[f.start:f.end] == f.text, (f.text, text[f.start:f.end])
        assert (f.line, f.column) == _position(text, f.start)
        assert (f.end_line, f.end_column) == _position(text, f.end)


@SETTINGS
@given(texts, formats, st.booleans())
def test_fix_is_idempotent_and_local(text: str, fmt: str, unsafe: bool) -> None:
    report = plainspeak.check(text, format=fmt)
    edits = plan_edits(report, unsafe=unsafe)
    fixed = apply_edits(text, edits)
    assert plainspeak.fix(text, format=fmt, unsafe=unsafe) == fixed
    assert plainspeak.fix(fixed, format=fmt, unsafe=unsafe) == fixed
    # Outside the edited spans every character is the original's, in order.
    rebuilt: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: e.start):
        assert edit.start >= pos, "edits overlap"
        assert text[edit.start:edit.end] == edit.finding.text if edit.finding else True
        rebuilt += [text[pos:edit.start], edit.replacement]
        pos = edit.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == fixed


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_lone_surrogates_are_checked_not_fatal(fmt: str) -> None:
    text = "A care package\ud800 for service users\udcff.\n"
    report = plainspeak.check(text, format=fmt)
    assert [text[f.start:f.end] for f in report.findings if f.rule == "PS101"] == [
        "care package", "service users"]
    assert plainspeak.fix(text, format=fmt, unsafe=True).count("\ud800") == 1


@pytest.mark.parametrize("text", [
    "\x00" * 10_000 + "service users",
    "\u0301" * 50_000 + " service users",
    "\U0001f642" * 20_000 + " service users",
    "Service users said " + "!" * 20_000 + " ok",
    "[" * 20_000 + "Service users met." + "]" * 20_000,
    "\u202e" * 20_000 + "service users",
    "\u200d".join(["service users"] * 2_000),
    ("a" * 5_000 + " ") * 40 + "service users",
])
def test_long_runs_of_odd_characters(text: str) -> None:
    report = plainspeak.check(text)
    for f in report.findings:
        if f.rule == "PS101":
            assert text[f.start:f.end] == f.text
