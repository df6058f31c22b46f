"""The GitHub Actions renderer: exact workflow commands, escaped as the runner requires."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.models import Report, Severity
from plainspeak.render import render
from plainspeak.render.github import command, escape_data, escape_property

SOURCE = "Hello.\nWe support service users to live well.\n"


def unescape_data(text: str) -> str:
    return re.sub("%0D|%0A|%25", lambda m: {"%0D": "\r", "%0A": "\n", "%25": "%"}[m.group()],
                  text)


def unescape_property(text: str) -> str:
    table = {"%0D": "\r", "%0A": "\n", "%25": "%", "%3A": ":", "%2C": ","}
    return re.sub("%0D|%0A|%25|%3A|%2C", lambda m: table[m.group()], text)


def test_one_command_per_finding(make_finding):
    findings = (
        make_finding(SOURCE, "service users"),
        make_finding(SOURCE, "live", severity=Severity.INFO, message="Plain word."),
        make_finding(SOURCE, "Hello", severity=Severity.ERROR, message="Bad."),
    )
    out = render("github", [Report(findings=findings, path="docs/a.md", source=SOURCE)])
    assert out.split("\n") == [
        "::error file=docs/a.md,line=1,col=1,endLine=1,endColumn=6,title=PS101 jargon::Bad.",
        "::warning file=docs/a.md,line=2,col=12,endLine=2,endColumn=25,title=PS101 jargon"
        "::'service users' is jargon. Try 'people who use services'.",
        "::notice file=docs/a.md,line=2,col=29,endLine=2,endColumn=33,title=PS101 jargon"
        "::Plain word.",
    ]


def test_file_errors_become_error_commands():
    out = render("github", [Report(path="./docs/bad.docx", error="bad.docx is not a Word file")])
    assert out == "::error file=docs/bad.docx::bad.docx is not a Word file"


def test_percent_colon_comma_and_newline_are_escaped(make_finding):
    f = make_finding(SOURCE, "service users", message="100% sure: a, b\nc\r\n::set-env x")
    out = render("github", [Report(findings=(f,), path="we,ird:100%\nname.md", source=SOURCE),
                            Report(path="a:b,c%.md", error="line one\nline two: 50%")])
    assert out.split("\n") == [
        "::warning file=we%2Cird%3A100%25%0Aname.md,line=2,col=12,endLine=2,endColumn=25,"
        "title=PS101 jargon::100%25 sure: a, b%0Ac%0D%0A::set-env x",
        "::error file=a%3Ab%2Cc%25.md::line one%0Aline two: 50%25",
    ]


def test_stdin_findings_have_no_file_property(make_finding):
    f = make_finding(SOURCE, "service users")
    out = render("github", [Report(findings=(f,), source=SOURCE)])
    assert out.startswith("::warning line=2,col=12,")


def test_nothing_to_report_prints_nothing():
    assert render("github", [Report(path="a.md", source=SOURCE)]) == ""


def test_command_without_properties():
    assert command("notice", "hi, there: 1%") == "::notice::hi, there: 1%25"


def visible(text: str) -> str:
    from plainspeak.render.github import _UNSAFE, _visible

    return _UNSAFE.sub(_visible, text)


_ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=40)


@settings(deadline=None)
@given(_ANY_TEXT)
def test_escaping_round_trips_and_never_breaks_the_line(text):
    data, prop = escape_data(text), escape_property(text)
    shown = visible(text)   # controls are shown as escapes, not sent to the log
    assert unescape_data(data) == shown
    assert unescape_property(prop) == shown
    assert "\n" not in data + prop and "\r" not in data + prop
    assert ":" not in prop and "," not in prop


@settings(deadline=None)
@given(path=_ANY_TEXT, message=_ANY_TEXT)
def test_each_finding_is_exactly_one_command_line(make_finding, path, message):
    f = make_finding(SOURCE, "service users", message=message)
    out = render("github", [Report(findings=(f,), path=path or None, source=SOURCE)])
    assert "\n" not in out and "\r" not in out
    head, _, data = out[2:].partition("::")
    assert unescape_data(data) == visible(message)
    props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
    assert props["title"] == "PS101 jargon"


def test_terminal_controls_and_bidi_overrides_are_shown_not_obeyed() -> None:
    from plainspeak.render.github import escape_data, escape_property

    assert escape_data("a\x1b[31mred\x07\tb") == "a\\x1b[31mred\\x07\tb"
    assert escape_data("x\u202ey\ud800") == "x\\u202ey\\ud800"
    assert escape_property("a:b,\x1b") == "a%3Ab%2C\\x1b"
