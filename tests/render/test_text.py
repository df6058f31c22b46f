"""The terminal renderer: exact output on small cases, no control characters from hostile text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.models import Fix, Report, Severity
from plainspeak.render import RENDERERS, render
from plainspeak.render import text as text_renderer
from plainspeak.render.text import cell_width, escape_terminal, excerpt, short_why, summary_line

SOURCE = "Hello.\nWe support service users to live well.\n"


def test_finding_block_is_exact(make_finding):
    report = Report(findings=(make_finding(SOURCE, "service users"),), path="docs/a.md",
                    source=SOURCE)
    assert render("text", [report]) == (
        "docs/a.md:2:12: PS101 [warning] 'service users' is jargon."
        " Try 'people who use services'.\n"
        "    We support service users to live well.\n"
        "               ^^^^^^^^^^^^^\n"
        "  try: people who use services, people we support\n"
        "  why: It labels people by the services they get.\n"
        "\n"
        "Found 1 problem (1 warning) in 1 file."
    )


def test_word_findings_carry_their_paragraph_label(make_finding):
    f = make_finding(SOURCE, "service users", where="paragraph 2", alternatives=(),
                     explanation=None)
    out = render("text", [Report(findings=(f,), path="letter.docx", format="docx",
                                 source=SOURCE)])
    assert out.splitlines()[0] == (
        "letter.docx:2:12 (paragraph 2): PS101 [warning] 'service users' is jargon."
        " Try 'people who use services'."
    )
    assert "try:" not in out and "why:" not in out


def test_unreadable_file_and_stdin(make_finding):
    f = make_finding(SOURCE, "service users")
    reports = [Report(path="missing.md", error="cannot read missing.md: no such file"),
               Report(findings=(f,), path=None, source=SOURCE)]
    lines = render("text", reports).splitlines()
    assert lines[0] == "missing.md: error: cannot read missing.md: no such file"
    assert lines[2].startswith("<stdin>:2:12: PS101")
    assert lines[-1] == "Found 1 problem (1 warning) in 1 file; 1 file could not be read."


@pytest.mark.parametrize(
    ("severities", "files", "errors", "expected"),
    [
        ([], 3, 0, "All clear: no problems in 3 files."),
        ([], 1, 0, "All clear: no problems in 1 file."),
        ([], 0, 0, "No files were checked."),
        ([], 2, 1, "No problems in 1 file; 1 file could not be read."),
        ([], 3, 2, "No problems in 1 file; 2 files could not be read."),
        (["error", "warning", "warning", "info", "info", "info"], 2, 0,
         "Found 6 problems (1 error, 2 warnings, 3 info) in 1 file."),
        (["info"], 1, 0, "Found 1 problem (1 info) in 1 file."),
    ],
)
def test_summary_line(make_finding, severities, files, errors, expected):
    found = tuple(
        replace(make_finding(SOURCE, "service users"), severity=Severity(s)) for s in severities
    )
    reports = [Report(path=f"f{i}.md", source=SOURCE) for i in range(files - errors)]
    reports += [Report(path=f"bad{i}.md", error="unreadable") for i in range(errors)]
    if found:
        reports[0] = replace(reports[0], findings=found)
    assert summary_line(reports) == expected


def test_quiet_keeps_only_the_one_line_headers(make_finding):
    f = make_finding(SOURCE, "service users")
    reports = [Report(findings=(f,), path="a.md", source=SOURCE),
               Report(path="b.md", error="unreadable")]
    assert render("text", reports, quiet=True) == (
        "a.md:2:12: PS101 [warning] 'service users' is jargon. Try 'people who use services'.\n"
        "b.md: error: unreadable"
    )
    assert render("text", [Report(path="c.md", source=SOURCE)], quiet=True) == ""


def test_statistics_count_rules_and_terms(make_finding):
    source = "service users and service users and care package and a long one.\n"
    findings = (
        make_finding(source, "service users"),
        make_finding(source, "service users", nth=1),
        make_finding(source, "care package", entry_id="care-package", term="care package"),
        make_finding(source, "a long one.", rule="PS201", name="long-sentence",
                     entry_id=None, term=None, category=None, alternatives=()),
    )
    out = render("text", [Report(findings=findings, path="a.md", source=source)],
                 statistics=True, quiet=True)
    assert out.split("\n")[4:] == [
        "Problems by rule:",
        "  3  PS101  jargon",
        "  1  PS201  long-sentence",
        "Problems by glossary term:",
        "  2  service users  (service-users)",
        "  1  care package  (care-package)",
    ]


def test_findings_are_sorted_by_position(make_finding):
    source = "care package then service users\n"
    late = make_finding(source, "service users")
    early = make_finding(source, "care package")
    out = render("text", [Report(findings=(late, early), path="a.md", source=source)],
                 quiet=True)
    assert [line.split(":")[2] for line in out.splitlines()] == ["1", "19"]


def test_colour_only_when_asked(make_finding):
    report = Report(findings=(make_finding(SOURCE, "service users"),), path="a.md",
                    source=SOURCE)
    assert "\x1b" not in render("text", [report])
    coloured = render("text", [report], color=True)
    assert "\x1b[33mPS101\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render("text", [report])


def test_tabs_and_wide_characters_keep_the_carets_under_the_term(make_finding):
    source = "\t漢字 service users\n"
    f = make_finding(source, "service users")
    shown, carets = render("text", [Report(findings=(f,), path="a.md", source=source)]
                           ).splitlines()[1:3]
    assert shown == "        漢字 service users"
    # 4 indent + 4 for the tab + 2 cells per ideograph + 1 space
    assert carets == " " * 13 + "^" * 13


def test_combining_marks_take_no_cell():
    line = "cafe\u0301 service users"
    shown, carets = excerpt(line, line.index("service"), line.index("service") + 13)
    assert shown == line
    assert carets == " " * 5 + "^" * 13  # "café " is five cells, six code points


def test_cell_width():
    assert [cell_width(c) for c in "a漢\u0301\u200d"] == [1, 2, 0, 0]


def test_a_finding_spanning_lines_is_underlined_to_the_end_of_its_first_line(make_finding):
    source = "We support service\nusers well.\n"
    f = make_finding(source, "service\nusers")
    lines = render("text", [Report(findings=(f,), path="a.md", source=source)]).splitlines()
    assert lines[1:3] == ["    We support service", "               ^^^^^^^"]


def test_a_huge_line_is_shown_as_a_window_around_the_finding():
    line = "x" * 5000 + " service users " + "y" * 5000
    start = line.index("service")
    shown, carets = excerpt(line, start, start + 13)
    assert len(shown) < 110
    assert shown.startswith("...") and shown.endswith("...")
    assert shown[carets.index("^"):][:13] == "service users"


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(st.characters(max_codepoint=0x7f), st.characters()), max_size=120),
       st.integers(0, 130), st.integers(0, 130))
def test_excerpt_cells_are_the_sum_of_each_characters(line: str, a: int, b: int) -> None:
    """The ASCII shortcut and the per-character path agree with the characters' cells."""
    start, end = min(a, b), max(a, b)
    shown, carets = excerpt(line, start, end)
    n = len(line)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    lo = max(0, start - text_renderer.CONTEXT_BEFORE)
    shown_end = min(end, start + text_renderer.MAX_UNDERLINE)
    hi = min(n, max(shown_end, start + 1) + text_renderer.CONTEXT_AFTER)

    def cells(ch: str) -> tuple[str, int]:
        if ch == "\t":
            return text_renderer.TAB, 4
        piece = escape_terminal(ch)
        return piece, len(piece) if piece != ch else cell_width(ch)

    each = [cells(ch) for ch in line[lo:hi]]
    head = "..." if lo else ""
    assert shown == head + "".join(p for p, _ in each) + ("..." if hi < n else "")
    pad = len(head) + sum(w for _, w in each[:start - lo])
    assert carets.startswith(" " * pad + "^")
    underline = sum(w for _, w in each[start - lo:shown_end - lo])
    assert carets.rstrip(".").count("^") == max(1, underline)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=40))
def test_printable_text_is_shown_as_it_is(text: str) -> None:
    """The shortcut for printable text agrees with the escaping it skips."""
    expected = text_renderer._UNSAFE.sub(text_renderer._escape_char, text)
    assert escape_terminal(text) == expected
    assert text_renderer.one_line(text) == text_renderer._UNSAFE.sub(
        text_renderer._escape_char, text_renderer._NEWLINES.sub(" ", text).replace("\t", " "))


def test_a_long_span_is_cut_with_an_ellipsis_after_the_carets():
    line = "a" * 300
    shown, carets = excerpt(line, 0, 300)
    assert carets == "^" * text_renderer.MAX_UNDERLINE + "..."


def test_missing_source_gives_headers_without_excerpt(make_finding):
    f = make_finding(SOURCE, "service users")
    lines = render("text", [Report(findings=(f,), path="a.md", source="")]).splitlines()
    assert lines[1] == "  try: people who use services, people we support"


def test_short_why_takes_the_first_sentence_and_caps_it():
    assert short_why("First part. Second part.") == "First part."
    long = "word " * 60
    assert short_why(long).endswith("...") and len(short_why(long)) == text_renderer.MAX_WHY


def test_hostile_text_cannot_drive_the_terminal(make_finding):
    source = "We support \x1b[2Jservice users\u202e here\x07.\n"
    f = make_finding(source, "service users", message="Bad \x1b]0;owned\x07 title",
                     alternatives=("a\x1b[31mb",), explanation="Why\x9b31m.",
                     fix=Fix("x", "safe"))
    out = render("text", [Report(findings=(f,), path="evil\x1b[1m.md", source=source)])
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\x9b" not in out
    assert "evil\\x1b[1m.md:1:16:" in out
    assert "\\x1b[2Jservice users\\u202e here\\x07." in out
    shown, carets = out.splitlines()[1:3]
    assert shown[carets.index("^"):][:13] == "service users"


def test_escape_terminal_keeps_tabs_and_printable_text():
    assert escape_terminal("a\tb é 漢") == "a\tb é 漢"
    assert escape_terminal("\x00\x1b\x7f\u2066\ud800") == "\\x00\\x1b\\x7f\\u2066\\ud800"


def test_render_dispatch():
    assert RENDERERS == ("text", "json", "sarif", "github", "html")
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render("xml", [])


_ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
_HOSTILE = st.text(
    st.one_of(st.sampled_from("\x1b\x07\x00\r\n\t\x9b\u202a\u202e\u2066\u2069[];m"), _ANY_CHAR),
    max_size=40,
)


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return ((unicodedata.category(ch) == "Cc" and ch != "\t") or 0x202A <= code <= 0x202E
            or 0x2066 <= code <= 0x2069 or 0xD800 <= code <= 0xDFFF)


@settings(deadline=None)
@given(source=_HOSTILE, message=_HOSTILE, path=_HOSTILE, extra=_HOSTILE,
       span=st.tuples(st.integers(0, 40), st.integers(0, 40)))
def test_output_never_carries_control_characters_from_input(
        make_finding, source, message, path, extra, span):
    source = source or "x"
    start, end = sorted(min(i, len(source)) for i in span)
    f = make_finding(source, source[start:end] or source[0], message=message,
                     alternatives=(extra,), explanation=extra, where=extra or None,
                     term=extra, entry_id=extra)
    reports = [Report(findings=(f,), path=path, source=source),
               Report(path=path, error=message)]
    out = render("text", reports, statistics=True)
    assert not [ch for ch in out if ch != "\n" and _unsafe(ch)]
    out.encode("utf-8")
    # With colour, the only escapes are plainspeak's own: removing them gives the plain output.
    coloured = render("text", reports, statistics=True, color=True)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == out


@pytest.mark.parametrize("name", ["text", "json", "sarif", "github"])
def test_every_renderer_accepts_every_option(make_finding, name):
    report = Report(findings=(make_finding(SOURCE, "service users"),), path="a.md",
                    source=SOURCE)
    module = __import__(f"plainspeak.render.{name}", fromlist=["render"])
    options = dict(color=False, statistics=True, quiet=False, glossary=None,
                   tool_version="1.0")
    assert render(name, [report], **options) == module.render([report], **options)
    assert "a.md" in render(name, [report], **options)
