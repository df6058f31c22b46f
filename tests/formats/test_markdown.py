"""Markdown: only the prose is kept, at exact source offsets, one block per unit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plainspeak.formats import markdown, read_path, read_text
from plainspeak.formats.plaintext import WORD_JOINER

FIXTURES = Path(__file__).parent / "fixtures"


def md(text: str, fields: tuple[str, ...] = ()) -> markdown.SourceDocument:
    return read_text(text, format="markdown", front_matter_fields=fields)


def hits(doc: markdown.SourceDocument, pattern: str = r"service users") -> list[tuple[int, int]]:
    """1-based positions of the pattern in the prose view, checking that slicing the
    source at the same offsets gives the same words."""
    found = []
    for m in re.finditer(pattern, doc.prose):
        if pattern.isascii() and re.escape(pattern) == pattern.replace(" ", "\\ "):
            assert doc.source[m.start():m.end()] == m.group()
        else:   # an entity between the words: the words either side still match
            assert doc.source[m.start():m.start() + 4] == m.group()[:4]
            assert doc.source[m.end() - 4:m.end()] == m.group()[-4:]
        found.append(doc.position(m.start()))
    return found


def test_golden_positions() -> None:
    doc = read_path(FIXTURES / "golden.md", front_matter_fields=("title",))
    assert hits(doc) == [(2, 21), (7, 15), (9, 14), (12, 13), (13, 17), (16, 11),
                         (18, 18), (19, 21), (23, 3)]
    # The non-breaking space entity leaves a gap of spaces, not a merged word.
    assert hits(doc, r"service\s+users")[-1] == (33, 28)


def test_golden_without_front_matter_fields() -> None:
    doc = read_path(FIXTURES / "golden.md")
    assert (2, 21) not in hits(doc)


def test_directive_comments_are_recorded() -> None:
    doc = read_path(FIXTURES / "golden.md")
    texts = [c.text.strip() for c in doc.comments]
    assert texts == ["plainspeak-disable-next-line PS101"]
    c = doc.comments[0]
    assert doc.source[c.start:c.end] == "<!-- plainspeak-disable-next-line PS101 -->"


def test_inline_and_block_comments() -> None:
    doc = md("Text <!-- plainspeak-disable PS101 --> more.\n\n<!-- a\nb -->\n")
    assert [c.text for c in doc.comments] == [" plainspeak-disable PS101 ", " a\nb "]
    assert "plainspeak" not in doc.prose


def test_blocks_are_the_units_of_meaning() -> None:
    doc = md("# Title\nPara one\nstill one.\n\n- item a\n- item b\n\n| x | y |\n|---|---|\n"
             "| c1 | c2 |\n\n> quoted\n")
    got = [(b.kind, doc.source[b.start:b.end]) for b in doc.blocks]
    assert got == [("heading", "Title"), ("paragraph", "Para one\nstill one."),
                   ("list_item", "item a"), ("list_item", "item b"),
                   ("table_cell", "x"), ("table_cell", "y"), ("table_cell", "c1"),
                   ("table_cell", "c2"), ("quote", "quoted")]


def test_code_links_and_html_are_blanked() -> None:
    doc = md("Use `code here` and [link text](http://x.org/target \"a title\") "
             "<b>bold</b> ![alt words](pic.png).\n\n```\nfenced words\n```\n")
    assert "code here" not in doc.prose
    assert "link text" in doc.prose
    assert "target" not in doc.prose and "title" not in doc.prose
    assert "alt words" in doc.prose and "pic" not in doc.prose
    assert "bold" in doc.prose and "<b>" not in doc.prose
    assert "fenced" not in doc.prose


def test_link_target_that_repeats_the_next_words() -> None:
    # The word after the link also appears in its target; it must be found after it.
    doc = md("[care](<x users>) users here\n")
    assert hits(doc, "users") == [(1, 19)]


def test_reference_links_skip_their_labels() -> None:
    doc = md("See [the guide][ref] today.\n\n[ref]: http://x.org/guide\n")
    assert doc.prose.split() == ["See", "the", "guide", "today."]


def test_escapes_entities_and_emphasis_keep_words_apart() -> None:
    doc = md("**Bold**words and \\*stars\\* and caf&eacute;s &amp; co\n")
    words = doc.prose.replace(WORD_JOINER, "").split()
    assert words == ["Bold", "words", "and", "*", "stars*", "and", "cafés", "&", "co"]


def test_entities_never_merge_words() -> None:
    doc = md("care&amp;support, well&#8209;being, inter&shy;national\n")
    assert doc.prose.replace(WORD_JOINER, "").split() == [
        "care&", "support,", "well\u2011being,", "inter\u00adnational"]


def test_escaped_pipe_in_table_cell() -> None:
    doc = md("| a \\| b | c |\n|---|---|\n| d | e |\n")
    cells = [doc.prose[b.start:b.end] for b in doc.blocks]
    assert cells == ["a  | b", "c", "d", "e"]


def test_blockquote_and_nested_list_prefixes() -> None:
    doc = md("> one service users\n> > two service users\n\n1. a\n   - service users\n")
    assert hits(doc) == [(1, 7), (2, 9), (5, 6)]


def test_yaml_front_matter_fields() -> None:
    text = ("---\ntitle: 'Help for service users'\ndescription: >-\n  A page about\n"
            "  service users.\nother: service users\n---\nBody.\n")
    doc = md(text, ("title", "description"))
    kinds = [(b.kind, doc.prose[b.start:b.end]) for b in doc.blocks]
    assert kinds[0] == ("front_matter", "Help for service users")
    assert kinds[1][0] == "front_matter" and kinds[1][1].split() == [
        "A", "page", "about", "service", "users."]
    assert kinds[2] == ("paragraph", "Body.")
    assert hits(doc) == [(2, 18), (5, 3)]


def test_toml_front_matter() -> None:
    doc = md('+++\ntitle = "Service users"\ndraft = true\n+++\n# Heading\n', ("title",))
    assert [doc.prose[b.start:b.end] for b in doc.blocks] == ["Service users", "Heading"]
    assert "draft" not in doc.prose


def test_unclosed_front_matter_is_markdown() -> None:
    doc = md("---\ntitle: x\n")
    assert "title" in doc.prose


def test_crlf_lines() -> None:
    doc = md("# Title\r\n\r\nSome service users\r\nhere.\r\n")
    assert hits(doc) == [(3, 6)]
    assert "\r" not in doc.prose


@pytest.mark.parametrize("text", [
    "Plain words only.\nA second line.\n\nAnother paragraph here.\n",
    "---\ntitle: x\n---\n\n  Indented a little.\n\n\nLast   one.  \n",
    "One line without newline",
])
def test_plain_fast_path_matches_the_parser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = md(text, ("title",))
    monkeypatch.setattr(markdown, "_NOT_PLAIN", re.compile(r"(?s).?"))
    slow = md(text, ("title",))
    assert fast.prose == slow.prose
    assert fast.blocks == slow.blocks


def test_deep_nesting_does_not_crash() -> None:
    text = "> " * 5000 + "deep\n" + "- " * 5000 + "list\n" + "*" * 20000 + "\n"
    doc = md(text)
    assert len(doc.prose) == len(text)


def test_crlf_front_matter_and_comments_in_values() -> None:
    text = ('---\r\ntitle: "Care plan"\r\ndescription: Plain words # note\r\n---\r\n'
            "Body here.\r\n")
    doc = md(text, ("title", "description"))
    assert [(b.kind, doc.source[b.start:b.end]) for b in doc.blocks] == [
        ("front_matter", "Care plan"), ("front_matter", "Plain words"),
        ("paragraph", "Body here.")]


def test_inline_content_is_parsed_as_markdown_it_would() -> None:
    """The reader runs markdown-it's core rules itself, inline content token by token
    as the walk reaches it: that is only markdown-it's own parse while its core rules
    are these three (text_join is switched off; see the module's doc)."""
    assert markdown._parser().get_active_rules()["core"] == ["normalize", "block", "inline"]


def test_a_long_document_comes_in_parts_that_end_with_top_level_blocks() -> None:
    section = ("## Help at home\n\nService users &amp; carers get a [care package](x.md).\n\n"
               "- one\n- two\n\n  still the second item\n\n> quoted\n> text\n\n"
               "```\ncode\n```\n\n| a | b |\n|---|---|\n| c | d |\n\n")
    text = "---\ntitle: Help\n---\n" + section * (3 * markdown.PART_CHARS // len(section))
    parts: list[markdown.Part] = []
    doc = read_text(text, format="markdown", front_matter_fields=("title",),
                    on_part=parts.append)
    assert len(parts) >= 3
    assert all(len(p.prose) >= markdown.PART_CHARS for p in parts[:-1])
    # each part after the first starts with a top-level block: no list, quote, code
    # block or table is cut
    firsts = ("## ", "Service users", "- one", "> quoted", "```\ncode", "| a | b |")
    assert all(text[p.start - 1] == "\n" and text[p.start:].lstrip("\n").startswith(firsts)
               for p in parts[1:])
    assert "".join(p.prose for p in parts) == doc.prose == md(text, ("title",)).prose
    assert [(p.start + s, p.start + e) for p in parts for s, e in p.blocks] == [
        (b.start, b.end) for b in doc.blocks]
    short: list[markdown.Part] = []
    read_text(section, format="markdown", on_part=short.append)
    assert short == []   # a short document is not cut
