"""Invariants of every reader over generated Markdown, HTML and text (hypothesis)."""

from __future__ import annotations

import os
import re
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plainspeak.formats import markdown, read_text
from plainspeak.formats.base import Part, SourceDocument
from plainspeak.formats.plaintext import WORD_JOINER

# PLAINSPEAK_FUZZ_EXAMPLES=20000 turns this module into the readers' fuzz harness.
SETTINGS = settings(max_examples=int(os.environ.get("PLAINSPEAK_FUZZ_EXAMPLES", "150")),
                    deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Arbitrary Unicode, lone surrogates, NUL, combining marks and right-to-left text included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)
WORD = st.sampled_from(["service", "users", "care", "plan", "Zoë", "naïve", "مرحبا",
                        "e\u0301", "👩‍⚕️", "a\u200db", "x\x00y", "50%", "it's"])
ENTITY = st.sampled_from(["&amp;", "&eacute;", "&nbsp;", "&#8217;", "&#x201C;", "&#0;",
                          "&bogus;", "&amp", "&#;", "&#xD800;", "&lt;", "&#10;"])


def check(doc: SourceDocument) -> None:
    source, prose = doc.source, doc.prose
    assert len(prose) == len(source)
    for i, (s, p) in enumerate(zip(source, prose, strict=True)):
        if s == "\n" or p == "\n":
            assert s == p == "\n", i
        # Every visible prose character is the source's own, or the decoded character
        # of an entity or escape, which stands where the "&" or "\\" was; a lone
        # surrogate (which spaCy cannot take) shows as U+FFFD.
        assert (p in (s, " ", WORD_JOINER) or s in "&\\"
                or ("\ud800" <= s <= "\udfff" and p == "\ufffd")), (i, s, p)
    last = 0
    for block in doc.blocks:
        assert last <= block.start < block.end <= len(source)
        assert not prose[block.start].isspace() and not prose[block.end - 1].isspace()
        last = block.end
    for comment in doc.comments:
        assert 0 <= comment.start < comment.end <= len(source)
        assert source.startswith("<!--", comment.start)


def inline() -> st.SearchStrategy[str]:
    piece = st.one_of(
        WORD, ENTITY, ANY_TEXT,
        WORD.map(lambda w: f"*{w}*"), WORD.map(lambda w: f"**{w}**"),
        WORD.map(lambda w: f"`{w}`"), WORD.map(lambda w: f"~~{w}~~"),
        st.tuples(WORD, WORD).map(lambda t: f"[{t[0]}](http://x.org/{t[1]} \"{t[1]}\")"),
        st.tuples(WORD, WORD).map(lambda t: f"![{t[0]}](<{t[1]} x>)"),
        WORD.map(lambda w: f"[{w}][ref]"), WORD.map(lambda w: f"<https://{w}.org>"),
        st.sampled_from(["\\*", "\\_", "\\|", "<b>", "</b>", "<!-- plainspeak-disable -->",
                         "  \n", "\\\n", "\n", "*", "_", "[", "]", "`", "|", "<", ">"]),
    )
    return st.lists(piece, max_size=8).map(" ".join)


def md_block() -> st.SearchStrategy[str]:
    text = inline()
    return st.one_of(
        text,
        st.tuples(st.integers(1, 6), text).map(lambda t: "#" * t[0] + " " + t[1]),
        st.tuples(st.sampled_from(["- ", "* ", "1. ", "  - ", "    - ", "> ", "> > ", "> - "]),
                  text).map("".join),
        text.map(lambda t: f"```\n{t}\n```"), text.map(lambda t: "    " + t),
        st.tuples(text, text).map(lambda t: f"| {t[0]} | b |\n|---|---|\n| {t[1]} | c |"),
        text.map(lambda t: f"<div>\n{t}\n</div>"), text.map(lambda t: f"<!-- {t} -->"),
        st.just("---"), st.just("[ref]: http://x.org/ref"),
    )


FRONT = st.one_of(st.just(""), inline().map(lambda t: f"---\ntitle: {t}\n---\n"),
                  WORD.map(lambda w: f"+++\ntitle = \"{w}\"\n+++\n"))
NEWLINE = st.sampled_from(["\n", "\n\n", "\r\n", "\n\r\n"])


@SETTINGS
@given(FRONT, st.lists(st.tuples(md_block(), NEWLINE), max_size=10))
def test_markdown_invariants(front: str, blocks: list[tuple[str, str]]) -> None:
    text = front + "".join(b + nl for b, nl in blocks)
    check(read_text(text, format="markdown", front_matter_fields=("title",)))


@SETTINGS
@given(ANY_TEXT)
def test_markdown_arbitrary_text(text: str) -> None:
    check(read_text(text, format="markdown"))


@SETTINGS
@given(st.lists(WORD, min_size=1, max_size=6), WORD)
def test_markdown_code_is_never_prose(words: list[str], word: str) -> None:
    text = " ".join(words) + " `SENTINEL " + word + "`\n\n```\nSENTINEL\n```\n"
    doc = read_text(text, format="markdown")
    check(doc)
    assert "SENTINEL" not in doc.prose


PLAIN = st.text(st.sampled_from("abc XYZ éß.,;:'\"!?()\n"), max_size=200)


@SETTINGS
@given(PLAIN)
def test_markdown_plain_fast_path_equals_parser(text: str) -> None:
    fast = read_text(text, format="markdown")
    with mock.patch.object(markdown, "_NOT_PLAIN", re.compile(r"(?s).?")):
        slow = read_text(text, format="markdown")
    assert (fast.prose, fast.blocks) == (slow.prose, slow.blocks)


ATTR_VALUE = st.one_of(WORD, ENTITY, ANY_TEXT.map(lambda t: t.replace('"', "")))
ATTRS = st.lists(st.tuples(st.sampled_from(["alt", "title", "href", "class", "TITLE"]),
                           ATTR_VALUE), max_size=3).map(
    lambda pairs: "".join(f' {k}="{v}"' for k, v in pairs))
TAGS = ["p", "div", "b", "a", "li", "td", "h1", "span", "script", "style", "code", "pre",
        "template", "br", "img"]


def html_tree() -> st.SearchStrategy[str]:
    leaf = st.one_of(WORD, ENTITY, ANY_TEXT, st.sampled_from(
        ["<!-- plainspeak-disable-next-line -->", "<br>", "<img alt='x'>", "<", "&", "</p>",
         "<!DOCTYPE html>", "<![CDATA[x]]>", "<?pi?>", "\n", "\r\n"]))
    return st.recursive(leaf, lambda children: st.tuples(
        st.sampled_from(TAGS), ATTRS, st.lists(children, max_size=4)).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"), max_leaves=25)


@SETTINGS
@given(st.lists(html_tree(), max_size=6))
def test_html_invariants(parts: list[str]) -> None:
    check(read_text("".join(parts), format="html"))


@SETTINGS
@given(ANY_TEXT)
def test_html_arbitrary_text(text: str) -> None:
    check(read_text(text, format="html"))


@SETTINGS
@given(st.lists(WORD, min_size=1, max_size=5),
       st.sampled_from(["script", "style", "code", "pre", "template"]))
def test_html_hidden_text_is_never_prose(words: list[str], tag: str) -> None:
    text = f"<p>{' '.join(words)}</p><{tag}>SENTINEL words</{tag}><p>end</p>"
    doc = read_text(text, format="html")
    check(doc)
    assert "SENTINEL" not in doc.prose and "end" in doc.prose


@SETTINGS
@given(st.text(st.characters(exclude_categories=()), max_size=200))
def test_plaintext_invariants(text: str) -> None:
    check(read_text(text, format="text"))


ADDRESSY = st.text(st.sampled_from("ab1 ./\\~:@-_\nw\t"), max_size=120) | st.lists(
    st.sampled_from(["https://x.org/a", "www.a.b", "mailto:a@b.c", "a@b.org", "C:\\x\\y",
                     "\\\\srv\\s\\f", "~/a", "../b/c.md", "/etc/x", "docs/a.md", "word",
                     " ", "\n", ".", "/", "@"]), max_size=30).map("".join)


@SETTINGS
@given(ADDRESSY)
def test_non_prose_line_scan_equals_whole_text_scan(text: str) -> None:
    from plainspeak.formats import plaintext

    whole: list[tuple[int, int]] = []
    for _, pattern in plaintext._PATTERNS:
        whole.extend((m.start(), m.end()) for m in pattern.finditer(text))
    assert plaintext.non_prose_spans(text) == plaintext.merge_spans(whole)


@SETTINGS
@given(FRONT, st.lists(st.tuples(md_block(), NEWLINE), max_size=10))
def test_markdown_read_in_parts_is_the_same_document(front: str,
                                                     blocks: list[tuple[str, str]]) -> None:
    """--jobs 2 reads a long Markdown file in parts (here every top-level block ends
    one): the document is the same, and its parts, in order, are its prose view and
    blocks exactly, each starting on a new line."""
    text = front + "".join(b + nl for b, nl in blocks)
    whole = read_text(text, format="markdown", front_matter_fields=("title",))
    parts: list[Part] = []
    with mock.patch.object(markdown, "PART_CHARS", 1):
        parted = read_text(text, format="markdown", front_matter_fields=("title",),
                           on_part=parts.append)
    assert (parted.prose, parted.blocks, parted.comments) == (
        whole.prose, whole.blocks, whole.comments)
    if parts:
        assert "".join(p.prose for p in parts) == whole.prose
        assert [(p.start + s, p.start + e) for p in parts for s, e in p.blocks] == [
            (b.start, b.end) for b in whole.blocks]
        assert all(p.start == 0 or text[p.start - 1] == "\n" for p in parts)


PLAIN_INLINE = st.lists(st.sampled_from(
    ["esd_id:", "24", "a__b", "_lead", "trail_", "x_y_z", "é_ß", "٣_٤", "title: \"Adult\"",
     "\t", " ", "  ", "\n", "\n  ", "\n\t", " \t\n", "--", "!", "#", "=", "+", "===", "1."]),
    max_size=12).map("".join)
PLAIN_BLOCK = st.one_of(
    PLAIN_INLINE, PLAIN_INLINE.map(lambda t: "# " + t), PLAIN_INLINE.map(lambda t: "- " + t),
    PLAIN_INLINE.map(lambda t: "> " + t), PLAIN_INLINE.map(lambda t: t + "\n---"),
    PLAIN_INLINE.map(lambda t: f"| {t.replace(chr(10), ' ')} | b |\n|---|---|\n| c | d |"))


@SETTINGS
@given(st.lists(st.tuples(st.one_of(PLAIN_BLOCK, md_block()), NEWLINE), max_size=10))
def test_markdown_inline_fast_path_equals_parser(blocks: list[tuple[str, str]]) -> None:
    """Inline content without inline syntax (words, intraword underscores, breaks) skips
    markdown-it's inline parser: the document is the one that parsing every inline token
    gives."""
    text = "".join(b + nl for b, nl in blocks)
    fast = read_text(text, format="markdown")
    with mock.patch.object(markdown, "_INLINE_SYNTAX", re.compile(r"(?s).?")):
        slow = read_text(text, format="markdown")
    assert (fast.prose, fast.blocks, fast.comments) == (slow.prose, slow.blocks, slow.comments)


# Blocks that reach across blank lines, or whose end or kind a later line decides.
LONG_REACH = st.sampled_from([
    "```\n\nnever closed\n\n", "~~~\nclosed\n\n~~~", "<pre>\n\nkept\n\n</pre>",
    "<!--\n\nstill a comment\n\n-->", "<script>\n\nx = 1\n\n</script>",
    "- item\n\n  continued\n\n  - nested\n\n    deeper", "1. one\n\n2. two",
    "a heading\n===", "another\n---", "  indented two", "> quote\nlazy line",
    "[later]: /defined-after-use\n  \"title\"", "use of [text][later] and [later]",
    "| h |\n|---|", "\n\n\n", "    code\n\n    more code",
])


@SETTINGS
@given(FRONT, st.lists(st.tuples(st.one_of(md_block(), LONG_REACH), NEWLINE), max_size=14),
       st.integers(1, 60), st.integers(1, 50))
def test_markdown_read_in_sections_is_the_same_document(
        front: str, blocks: list[tuple[str, str]], section_chars: int, piece: int) -> None:
    """A long Markdown file is read a section at a time, its text arriving in pieces:
    the sections, each placed at its offset and first line, are the whole document's
    source, prose view, blocks and comments exactly, with link references defined
    after their use."""
    text = front + "".join(b + nl for b, nl in blocks)
    # (the reader itself: a file read in sections is strict UTF-8, so it never holds
    # the lone surrogates read_text shows as U+FFFD)
    whole = markdown.read_markdown(text, None, ("title",))

    def pieces() -> list[str]:
        return [text[i:i + piece] for i in range(0, len(text), piece)]

    env = markdown.markdown_references(pieces(), ("title",), section_chars)
    sections = list(markdown.read_markdown_sections(pieces(), None, ("title",), env=env,
                                                    section_chars=section_chars))
    assert "".join(s.source for s in sections) == text
    assert "".join(s.prose for s in sections) == whole.prose
    assert [(s.offset + b.start, s.offset + b.end, b.kind)
            for s in sections for b in s.blocks] == [
        (b.start, b.end, b.kind) for b in whole.blocks]
    assert [(s.offset + c.start, s.offset + c.end, c.text)
            for s in sections for c in s.comments] == [
        (c.start, c.end, c.text) for c in whole.comments]
    assert [s.more for s in sections] == [True] * (len(sections) - 1) + [False]
    for section in sections:
        assert section.offset == 0 or text[section.offset - 1] == "\n"
        assert section.first_line == text.count("\n", 0, section.offset) + 1


PLAIN_PIECES = st.lists(st.one_of(
    st.sampled_from(["\n", "\n\n", " \n", "\t\n\n", "\r\n", "\r\n\r\n", "\n \u00a0\n",
                     "service users", "https://x.org/a b", "a@b.org", "C:\\x\\y", "~/a/b",
                     "Zoë.", "\u2028", "\x0c\n"]),
    ANY_TEXT), max_size=30).map("".join)


@SETTINGS
@given(PLAIN_PIECES, st.integers(1, 40), st.integers(1, 50))
def test_plaintext_read_in_sections_is_the_same_document(text: str, section_chars: int,
                                                         piece: int) -> None:
    """A long text file read a section at a time, its text arriving in pieces: the
    sections, each placed at its offset, are the whole document exactly."""
    from plainspeak.formats.plaintext import read_plaintext, read_plaintext_sections

    whole = read_plaintext(text)   # (the reader itself, as in the Markdown test above)
    sections = list(read_plaintext_sections(
        [text[i:i + piece] for i in range(0, len(text), piece)], None, section_chars))
    assert "".join(s.source for s in sections) == text
    assert "".join(s.prose for s in sections) == whole.prose
    assert [(s.offset + b.start, s.offset + b.end, b.kind)
            for s in sections for b in s.blocks] == [
        (b.start, b.end, b.kind) for b in whole.blocks]
    assert all(s.first_line == text.count("\n", 0, s.offset) + 1 for s in sections)
    assert [s.more for s in sections] == [True] * (len(sections) - 1) + [False]
