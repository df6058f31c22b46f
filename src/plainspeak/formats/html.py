"""The HTML reader: visible text plus alt and title attributes, at their exact offsets.

It uses the standard library's ``HTMLParser`` with ``convert_charrefs=False``, so every
piece of text and every entity arrives with its own source position; nothing is
recursive, so deep nesting cannot overflow the stack, and the parser never rejects
malformed markup.

Entities keep the same-length rule: the decoded character stands at the ``&`` and the
rest of the entity is padding (see ``plaintext.entity_prose``): ``service&nbsp;users``
reads as "service" and "users" with spaces between, and ``caf&eacute;s`` stays one word
because the padding inside a word is U+2060 WORD JOINER rather than a space.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from plainspeak.formats.base import Comment, SourceDocument
from plainspeak.formats.plaintext import (
    blank_non_prose,
    blocks_from_spans,
    build_prose,
    entity_prose,
)

SKIP_TAGS = frozenset({
    "script", "style", "code", "pre", "template", "noscript", "svg", "math",
    "kbd", "samp", "textarea",
})
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html",
    "legend", "li", "main", "menu", "nav", "ol", "optgroup", "option", "p", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
    "button", "label", "select", "img", "iframe", "object", "video", "audio",
})
_BLOCK_KIND = {
    **{f"h{n}": "heading" for n in range(1, 7)},
    "li": "list_item", "td": "table_cell", "th": "table_cell", "title": "heading",
    "dt": "list_item", "dd": "list_item", "blockquote": "quote", "caption": "heading",
}
PROSE_ATTRIBUTES = frozenset({"alt", "title"})

# The standard parser gives up on a "&#" that is not a character reference when a ";"
# follows anywhere, and then treats the rest of the file as text, tags included.  The
# parser is fed a copy with that "&" turned into a space (same length, so positions hold).
_BAD_CHARREF = re.compile(r"&(?=#(?![0-9]|[xX][0-9a-fA-F]))")
# The standard parser's own tag and attribute patterns (Python 3.11), copied because
# they are private there; the value spans must be found the way the parser found them.
_TAG = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_ATTR = re.compile(
    r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*"""
    r"""('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")
_COMMENT_CLOSE = re.compile(r"--!?\s*>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


class _Reader(HTMLParser):
    """Collects kept spans, entity replacements, blocks and comments by position."""

    def __init__(self, source: str, view: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.view = view
        starts = [0]
        find = view.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts
        self.skip: dict[str, int] = {}
        self.skipping = 0
        self.groups: list[tuple[list[tuple[int, int]], str]] = []
        self.current: list[tuple[int, int]] = []
        self.kind = "paragraph"
        self.replace: list[tuple[int, str]] = []
        self.comments: list[Comment] = []

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def end_block(self, kind: str = "paragraph") -> None:
        if self.current:
            self.groups.append((self.current, self.kind))
        self.current = []
        self.kind = kind

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag in SKIP_TAGS:
            self.skip[tag] = self.skip.get(tag, 0) + 1
            self.skipping += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.end_block(_BLOCK_KIND.get(tag, "paragraph"))
        if self.skipping or not any(name in PROSE_ATTRIBUTES and value
                                    for name, value in attrs):
            return
        start = self._pos()
        text = self.get_starttag_text() or ""
        for value_start, value_end in _attribute_values(text):
            self._attribute(start + value_start, start + value_end)

    def _attribute(self, start: int, end: int) -> None:
        """An alt or title value is its own block: it is not part of the sentence
        around the tag."""
        if start >= end:
            return
        kind = self.kind
        self.end_block(kind)
        self.groups.append(([(start, end)], "attribute"))
        for m in _ENTITY.finditer(self.view, start, end):
            self._entity(m.start(), m.end())

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self.skip.get(tag, 0) > 0:
            self.skip[tag] -= 1
            self.skipping -= 1
        if tag in BLOCK_TAGS:
            self.end_block()

    def handle_data(self, data: str) -> None:
        if not self.skipping and data:
            start = self._pos()
            self.current.append((start, start + len(data)))

    def handle_entityref(self, name: str) -> None:
        self._reference(1 + len(name))

    def handle_charref(self, name: str) -> None:
        self._reference(2 + len(name))

    def _reference(self, length: int) -> None:
        if self.skipping:
            return
        start = self._pos()
        end = start + length
        if self.view.startswith(";", end):
            end += 1
        self.current.append((start, end))
        self._entity(start, end)

    def _entity(self, start: int, end: int) -> None:
        raw = self.source[start:end]
        decoded = html.unescape(raw)
        if decoded == raw:      # not a known entity: it is literal text
            return
        next_char = self.source[end] if end < len(self.source) else ""
        shown = entity_prose(decoded, end - start, next_char)
        self.replace.extend((start + i, ch) for i, ch in enumerate(shown))

    def handle_comment(self, data: str) -> None:
        start = self._pos()
        if not self.view.startswith("<!--", start):
            return      # a bogus comment such as "<!x>" holds no directive
        m = _COMMENT_CLOSE.search(self.view, start + 4)
        end = m.end() if m else len(self.view)
        self.comments.append(Comment(start, end, data))


def _attribute_values(tag_text: str) -> list[tuple[int, int]]:
    """(start, end) of each alt/title value inside a start tag's text, quotes excluded.

    Mirrors the standard parser's own attribute scan so the spans match what it saw."""
    spans: list[tuple[int, int]] = []
    m = _TAG.match(tag_text, 1)
    if not m:
        return spans
    k = m.end()
    while k < len(tag_text):
        a = _ATTR.match(tag_text, k)
        if not a or a.end() == k:
            break
        name, value = a.group(1), a.group(3)
        if name.lower() in PROSE_ATTRIBUTES and value:
            vs, ve = a.start(3), a.end(3)
            if value[:1] in ("'", '"') and len(value) >= 2 and value[-1] == value[0]:
                vs, ve = vs + 1, ve - 1
            spans.append((vs, ve))
        k = a.end()
    return spans


def read_html(text: str, path: str | None = None) -> SourceDocument:
    """Read HTML: visible text and alt/title values are prose; all else is blanked."""
    view = _BAD_CHARREF.sub(" ", text).replace("\x00", " ")
    reader = _Reader(text, view)
    try:
        reader.feed(view)
        reader.close()
    except Exception:  # noqa: BLE001 - malformed input keeps what was read so far
        pass
    reader.end_block()
    keep = [span for spans, _ in reader.groups for span in spans]
    prose = blank_non_prose(build_prose(text, keep, reader.replace))
    return SourceDocument(source=text, prose=prose, format="html",
                          blocks=blocks_from_spans(reader.groups, prose),
                          comments=reader.comments, path=path)
