"""HTML: visible text and alt/title values, entities mapped without moving offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plainspeak.formats import read_path, read_text
from plainspeak.formats.base import SourceDocument
from plainspeak.formats.plaintext import WORD_JOINER

FIXTURES = Path(__file__).parent / "fixtures"


def html(text: str) -> SourceDocument:
    return read_text(text, format="html")


def positions(doc: SourceDocument, pattern: str = "service users") -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(pattern, doc.prose):
        assert doc.source[m.start():m.end()] == m.group()
        out.append(doc.position(m.start()))
    return out


def test_golden_positions() -> None:
    doc = read_path(FIXTURES / "golden.html")
    assert positions(doc) == [(4, 17), (9, 41), (10, 23), (11, 38), (12, 11)]
    # "service&nbsp;users" on line 16 reads as two words with only spaces between.
    m = list(re.finditer(r"service\s+users", doc.prose))[-1]
    assert doc.position(m.start()) == (16, 14)
    assert doc.source[m.start():m.end()] == "service&nbsp;users"


def test_golden_comment_is_recorded_not_prose() -> None:
    doc = read_path(FIXTURES / "golden.html")
    assert [c.text for c in doc.comments] == [" service users in a comment "]
    c = doc.comments[0]
    assert doc.source[c.start:c.end] == "<!-- service users in a comment -->"


@pytest.mark.parametrize("tag", ["script", "style", "code", "pre", "template", "noscript"])
def test_hidden_and_code_elements_are_blanked(tag: str) -> None:
    doc = html(f"<p>Before <{tag}>hidden words</{tag}> after</p>")
    assert doc.prose.split() == ["Before", "after"]


def test_tags_and_attribute_names_are_blanked() -> None:
    doc = html('<p class="note" data-x="words">Visible</p>')
    assert doc.prose.split() == ["Visible"]


def test_alt_and_title_values_are_prose_at_their_offsets() -> None:
    src = "<img alt='a day centre' src=x.png><abbr title=\"plain &amp; simple\">PS</abbr>"
    doc = html(src)
    start = src.index("a day centre")
    assert doc.prose[start:start + 12] == "a day centre"
    assert "plain &" in doc.prose
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["attribute", "attribute", "paragraph"]


def test_entities_keep_length_and_words() -> None:
    doc = html("<p>caf&eacute;s, service&rsquo;s, A&amp;E, &#8220;quoted&#x201D; &nbsp;x</p>")
    assert len(doc.prose) == len(doc.source)
    words = doc.prose.replace(WORD_JOINER, "").split()
    # Letters and apostrophes join their word; other characters keep words apart.
    assert words == ["cafés,", "service’s,", "A&", "E,", "“", "quoted”", "x"]
    assert "service" + "\u2019" + WORD_JOINER * 6 + "s" in doc.prose


def test_unknown_entity_is_literal_text() -> None:
    assert "&bogus;" in html("<p>a &bogus; b</p>").prose


def test_broken_character_reference_does_not_expose_tags() -> None:
    # The standard parser would treat everything after "&#;" as text, script included.
    doc = html("<p>Odd &#; text</p><script>secret words;</script><p>end</p>")
    assert "secret" not in doc.prose
    assert doc.prose.split() == ["Odd", "&#;", "text", "end"]


def test_blocks_end_at_block_elements() -> None:
    doc = html("<h1>Title</h1>Loose text<br>next line<ul><li>one<li>two</ul>"
               "<table><tr><td>c1</td><th>c2</th></tr></table>")
    got = [(b.kind, doc.source[b.start:b.end]) for b in doc.blocks]
    assert got == [("heading", "Title"), ("paragraph", "Loose text"),
                   ("paragraph", "next line"), ("list_item", "one"), ("list_item", "two"),
                   ("table_cell", "c1"), ("table_cell", "c2")]


def test_inline_elements_do_not_split_blocks() -> None:
    doc = html("<p>We help <b>people</b> <em>every</em> day.</p>")
    assert [doc.source[b.start:b.end] for b in doc.blocks] == [
        "We help <b>people</b> <em>every</em> day."]


@pytest.mark.parametrize("src", [
    "<p>unclosed <b>bold <i>italic", "</p></div>stray end tags", "<a href='x", "<<>><</",
    "<p title='unterminated>text", "<!-- never closed", "<![CDATA[x]]>text", "&#",
    "<div " * 1000, "text & more &", "<?php echo 1 ?>words",
])
def test_malformed_html_never_crashes(src: str) -> None:
    doc = html(src)
    assert len(doc.prose) == len(doc.source)


def test_deep_nesting_is_not_recursive() -> None:
    src = "<div>" * 100_000 + "deep words" + "</div>" * 100_000
    doc = html(src)
    assert doc.prose.split() == ["deep", "words"]


def test_crlf_and_positions() -> None:
    doc = html("<p>\r\nservice users\r\n</p>")
    assert positions(doc) == [(2, 1)]
    assert "\r" not in doc.prose
