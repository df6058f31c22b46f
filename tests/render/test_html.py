"""The HTML renderer: structure, escaping, self-containment and highlights that match offsets."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.api import Checker
from plainspeak.models import Report, SentenceScore, Severity
from plainspeak.render import html as html_renderer
from plainspeak.render import render
from plainspeak.render.html_text import Mark, Shade, highlighted, inline_marks

HOSTILE = (
    "# A letter\n\n"
    "Your care package starts soon. <script>window.pwned = 1; document.title = 'pwned'"
    "</script>\n\n"
    "<img src=x onerror=\"window.pwned = 2\"> Service users & carers \"told\" us.\n"
)


class Doc(HTMLParser):
    """Collects the text of ``div.doc`` (without badges) and of each highlight."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.marks: dict[str, list[str]] = {}
        self.open_marks: list[str] = []
        self.tags: list[str] = []
        self.scripts = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "script":
            self.scripts += 1
        if tag in {"meta", "link", "br", "rect", "line"}:
            return
        self.stack.append((tag, a))
        if tag == "mark" and a.get("data-card"):
            self.open_marks.append(str(a["data-card"]))
            self.marks[str(a["data-card"])] = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"meta", "link", "br", "rect", "line"}:
            return
        open_tag, a = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        if tag == "mark" and a.get("data-card"):
            self.open_marks.pop()

    def _in(self, cls: str, tag: str) -> bool:
        return any(t == tag and cls in (a.get("class") or "").split() for t, a in self.stack)

    def handle_data(self, data: str) -> None:
        if self._in("doc", "div") and not self._in("age", "span"):
            self.text.append(data)
            for card in self.open_marks:
                self.marks[card].append(data)


def parse(page: str) -> Doc:
    doc = Doc()
    doc.feed(page)
    doc.close()
    assert not doc.stack, f"unclosed: {doc.stack}"
    return doc


@pytest.fixture(scope="module")
def hostile_report(builtin_checker: Checker) -> Report:
    return builtin_checker.check(HOSTILE, format="markdown", path="letter <b>.md")


def test_page_structure(hostile_report: Report) -> None:
    page = render("html", [hostile_report], tool_version="9.9")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en-GB\">")
    assert page.count("<h1>") == 1 and "<main id=\"main\"" in page and "<header" in page
    assert "<footer" in page and 'name="viewport"' in page and "plainspeak 9.9" in page
    assert 'role="dialog"' in page and '<a class="skip" href="#main">' in page
    doc = parse(page)
    assert len(doc.ids) == len(set(doc.ids)), "ids are unique"
    assert "table" not in doc.tags, "one file has no index"


def _sha(code: str) -> str:
    return base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()


def test_content_security_policy_allows_only_the_page_itself(hostile_report: Report) -> None:
    page = render("html", [hostile_report])
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL)
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    assert script and style
    assert f"script-src 'sha256-{_sha(script.group(1))}'" in policy
    assert f"style-src 'sha256-{_sha(style.group(1))}'" in policy


def test_document_and_glossary_text_is_escaped(hostile_report: Report, make_finding) -> None:
    page = render("html", [hostile_report])
    assert page.count("<script") == 1 and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;window.pwned = 1; document.title = &#x27;pwned&#x27;" in page
    assert "letter &lt;b&gt;.md" in page
    source = "We support service users."
    f = make_finding(source, "service users", alternatives=("<script>x()</script>",),
                     explanation="Say \"people\" & <em>mean</em> it.", term="<i>",
                     message="'service users' </mark> is jargon.")
    page = render("html", [Report(findings=(f,), source=source, path="a.txt")])
    assert page.count("<script") == 1 and "<em>" not in page and "<i>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page and "&amp; &lt;em&gt;mean" in page
    assert parse(page).marks == {"f1-1": ["service users"]}


def test_self_contained(hostile_report: Report) -> None:
    page = render("html", [hostile_report])
    assert "http" not in page.lower().replace('http-equiv="content-security-policy"', "")
    assert not re.search(r"\bsrc\s*=", page.replace("src=x", ""))  # only the escaped text
    assert not re.search(r"\b(?:href|src|action)=\"(?!#|data:)", page)
    assert "@import" not in page and "url(" not in page


def test_highlights_sit_on_their_findings(hostile_report: Report) -> None:
    page = render("html", [hostile_report])
    doc = parse(page)
    assert "".join(doc.text) == hostile_report.source
    jargon = [(j, f) for j, f in enumerate(hostile_report.findings, 1) if f.rule == "PS101"]
    assert {f.text for _, f in jargon} >= {"care package", "Service users"}
    for j, f in jargon:
        assert "".join(doc.marks[f"f1-{j}"]) == f.text == hostile_report.source[f.start:f.end]


def test_cards_explain_every_finding(hostile_report: Report) -> None:
    page = render("html", [hostile_report])
    for j, f in enumerate(hostile_report.findings, 1):
        card = re.search(rf'<li class="card[^"]*" id="f1-{j}".*?</li>\s*(?=<li class="card|</ol>)',
                         page, re.DOTALL)
        assert card is not None
        for alternative in f.alternatives:
            assert f"<li>{alternative}</li>" in card.group(0)
    assert "Plainer words to try" in page and "Terms that appear most" in page


def test_summary_reading_age_ease_and_chart(builtin_checker: Checker) -> None:
    text = ("We will signpost you. It is short.\n\n"
            "Notwithstanding the aforementioned statutory obligations, the multidisciplinary "
            "safeguarding partnership will undertake comprehensive assessments.\n\n"
            "Call us. We can help.\n")
    report = builtin_checker.check(text)
    page = render("html", [report])
    assert report.readability is not None
    assert report.readability.reading_age_words in page
    assert f"{report.readability.flesch_reading_ease:.0f} out of 100" in page
    assert page.count('<rect class="bar') == 3 and 'role="img"' in page
    assert re.search(r'<span class="sent very-hard">.*?</span><span class="age very-hard"',
                     page, re.DOTALL)
    for i in (1, 2, 3):
        assert f'href="#file-1-p{i}"' in page and f'id="file-1-p{i}"' in page


def test_many_files_get_a_sortable_index(builtin_checker: Checker, tmp_path: Path) -> None:
    a = tmp_path / "a.md"
    a.write_text("A care package.\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("Nothing to see here.\n", encoding="utf-8")
    reports = list(builtin_checker.check_paths([a, b, tmp_path / "missing.md"]))
    page = render("html", reports)
    doc = parse(page)
    assert "table" in doc.tags and page.count("<tr>") == 4
    for i in (1, 2, 3):
        assert f'href="#file-{i}"' in page and f'id="file-{i}"' in page
    assert "could not be read" in page and "No problems found in this file." in page
    assert page.count('data-type="number"') == 4


def test_word_findings_show_where(builtin_checker: Checker, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Hello there.")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Service users can ask."
    path = tmp_path / "letter.docx"
    document.save(str(path))
    report = builtin_checker.check_path(path)
    page = render("html", [report])
    assert "Table 1, row 1, cell 1" in page
    assert parse(page).marks["f1-1"] == ["Service users"]


def test_unsafe_characters_never_reach_the_page(make_finding) -> None:
    source = "A\x00B\x1b[31m \ud800 service users\r\nend"
    f = make_finding(source, "service users")
    page = render("html", [Report(findings=(f,), source=source)])
    page.encode("utf-8")
    assert "\x00" not in page and "\x1b" not in page
    assert parse(page).marks["f1-1"] == ["service users"]


def test_assets_are_package_data() -> None:
    files = resources.files("plainspeak.render")
    for name in ("report.css", "report.js"):
        assert files.joinpath(name).is_file()
    assert "http" not in html_renderer.asset("report.js")


def test_empty_and_zero_length_findings_do_not_break_the_text(make_finding) -> None:
    source = "We support service users."
    f = make_finding(source, "service users")
    empty = make_finding(source, "We")
    from dataclasses import replace
    empty = replace(empty, end=empty.start, severity=Severity.INFO)
    page = render("html", [Report(findings=(empty, f), source=source)])
    doc = parse(page)
    assert "".join(doc.text) == source and list(doc.marks) == ["f1-2"]
    assert 'id="f1-1"' in page  # still listed


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, list[Mark], list[Shade]]:
    text = draw(st.text(st.sampled_from("ab <>&\"'\n\r.é"), min_size=1, max_size=40))
    n = len(text)
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=8)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    marks = [Mark(a, b, f"c{i}", "warning") for i, (a, b) in enumerate(spans)]
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=6)))
    shades = [Shade(a, b, "hard", 16, f"s{i}")
              for i, (a, b) in enumerate(zip(cuts[::2], cuts[1::2], strict=False)) if a < b]
    return text, marks, shades


@settings(max_examples=300, deadline=None)
@given(layouts())
def test_highlighting_keeps_the_text_and_nests_properly(layout) -> None:
    text, marks, shades = layout
    shown, left = inline_marks(marks, len(text))
    assert not left
    page = f'<div class="doc">{highlighted(text, shown, shades, [(0, "top")])}</div>'
    doc = parse(page)
    assert "".join(doc.text) == text
    for m in shown:
        assert "".join(doc.marks[m.card]) == text[m.start:m.end]
    assert page.count('class="age hard"') == len(shades)


def test_sentence_rules_become_badges_not_highlights(make_finding) -> None:
    source = "One two three four. Five."
    long = make_finding(source, "One two three four.", rule="PS201", name="long-sentence",
                        message="This sentence has 4 words.", alternatives=(), entry_id=None)
    sentences = (SentenceScore(0, 19, 4, 3.0), SentenceScore(20, 25, 1, 1.0))
    page = render("html", [Report(findings=(long,), source=source, sentences=sentences)])
    assert parse(page).marks == {}
    assert '<span class="sent long">One two three four.</span>' in page
    assert 'data-card="s1-1"' in page and 'href="#a-s1-1"' in page


def test_an_html_document_is_shown_as_its_source(builtin_checker: Checker) -> None:
    source = ('<html><body><p onclick="steal()">Your care package starts.</p>'
              "<script>window.pwned = 1</script></body></html>")
    report = builtin_checker.check(source, format="html", path="page.html")
    page = render("html", [report])
    doc = parse(page)
    assert "".join(doc.text) == source and doc.scripts == 1
    assert list(doc.marks.values()) == [["care package"]]
    assert 'onclick="steal()"' not in page and "onclick=&quot;steal()&quot;" in page
