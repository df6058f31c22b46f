"""Nothing runs that should not: hostile document and glossary text, end to end through the
engine and every renderer, comes out inert in each format."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from plainspeak.api import Checker
from plainspeak.glossary.loader import load_glossary
from plainspeak.models import Report
from plainspeak.render import RENDERERS, render

ESC = "\x1b"
# Terminal control: clear screen, set the window title, move the cursor, bell; bidi
# overrides and isolates; C1 controls; a NUL; CR alone; a Unicode line separator.
HOSTILE = (f"{ESC}[2J{ESC}]0;owned\x07{ESC}[31m \u202eevil\u202c \u2066x\u2069 \x9b31m "
           "\x00 \r %0A ::error file=x::boom , : % <script>alert(1)</script> "
           "<img src=x onerror=alert(2)> \u2028 \"quote\" 'single' & &amp;")

GLOSSARY = r"""version: 1
entries:
  - id: evil-term
    term: pwned word
    category: officialese
    alternatives: ["plain \e]0;title\a <b>bold</b> %0D::warning::x", "second \u202e choice"]
    explanation: "Means \e[31mred\e[0m <script>alert('g')</script> %25 ::notice::n \u202e."
    safe_fix: true
"""


@pytest.fixture(scope="module")
def hostile_checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    path = tmp_path_factory.mktemp("g") / "hostile.yaml"
    path.write_text(GLOSSARY, "utf-8")
    return Checker(glossary=load_glossary(path, builtin=False))


@pytest.fixture(scope="module")
def reports(hostile_checker: Checker) -> list[Report]:
    text = f"Line one {HOSTILE} has a pwned word {HOSTILE}.\n\nA pwned word\ud800 here.\n"
    path = f"docs/evil{ESC}[2J\u202e,name:%0A.txt"
    report = hostile_checker.check(text, path=path)
    assert [f.text for f in report.findings if f.rule == "PS101"] == ["pwned word"] * 2
    broken = Report(path=f"bad{ESC}]0;x\x07\r\n::error::file.txt",
                    error=f"bad{ESC}[2J.txt: cannot read it ({HOSTILE})")
    return [report, broken]


@pytest.mark.parametrize("fmt", RENDERERS)
def test_every_renderer_copes_with_hostile_text(reports: list[Report], fmt: str) -> None:
    out = render(fmt, reports)
    out.encode("utf-8")   # no lone surrogate leaks into the output stream


def test_text_output_has_no_control_characters(reports: list[Report]) -> None:
    for color in (False, True):
        out = render("text", reports, color=color, statistics=True)
        if color:   # the renderer's own SGR colour codes are the only escapes allowed
            out = re.sub("\x1b\\[[0-9;]*m", "", out)
        bad = re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff]", out)
        assert bad == [], sorted(set(bad))
        assert "\\x1b" in out and "\\u202e" in out   # shown, visibly, not obeyed


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_output_is_valid_json_that_keeps_the_text(
        reports: list[Report], fmt: str) -> None:
    out = render(fmt, reports)
    data = json.loads(out)
    dumped = json.dumps(data)
    assert "pwned word" in dumped
    if fmt == "json":
        finding = [f for f in data["files"][0]["findings"] if f["rule"] == "PS101"][0]
        assert finding["text"] == "pwned word"
        assert data["files"][1]["error"] is not None
    # the raw control characters are escaped inside strings, never bare in the stream
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", out)


def test_github_commands_cannot_be_forged(reports: list[Report]) -> None:
    out = render("github", reports)
    assert "\r" not in out
    lines = out.split("\n")
    assert lines and all(line.startswith(("::warning ", "::error ", "::notice "))
                         for line in lines), lines
    for line in lines:
        head, sep, message = line[2:].partition("::")
        assert sep
        name, _, props = head.partition(" ")
        for prop in props.split(","):
            key, eq, value = prop.partition("=")
            assert eq and re.fullmatch(r"[A-Za-z]+", key), prop
            assert ":" not in value and "," not in value and "\n" not in value
        # a message may hold "::" as text but never a raw line break
        assert "%0A" not in message.replace("%250A", "") or "%25" in message
    # the document's own "%0A" is escaped to "%250A" so the runner shows it literally
    assert "%250A" in out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_html_report_escapes_document_and_glossary(reports: list[Report]) -> None:
    out = render("html", reports)
    parser = _Tags()
    parser.feed(out)
    names = [tag for tag, _ in parser.tags]
    assert names.count("script") == 1      # the report's own, allowed by its CSP hash
    assert "img" not in names and "b" not in names
    for tag, attrs in parser.tags:
        for key, value in attrs:
            assert not key.startswith("on"), (tag, key)
            assert "javascript:" not in (value or "").lower()
    assert "alert(1)" not in "".join(parser.scripts)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "Content-Security-Policy" in out
    assert ESC not in out and "\x00" not in out


@pytest.mark.parametrize("fmt", RENDERERS)
def test_renderers_with_a_hostile_glossary_only(hostile_checker: Checker, fmt: str,
                                                tmp_path: Path) -> None:
    report = hostile_checker.check("A pwned word.", path="a.txt")
    out = render(fmt, [report])
    if fmt != "github":   # the runner's grammar needs only %, CR, LF, ':' and ',' escaped
        assert "\x07" not in out and "\x1b" not in out
    if fmt == "text":   # machine formats may carry bidi marks as data; a terminal obeys them
        assert "\u202e" not in out
