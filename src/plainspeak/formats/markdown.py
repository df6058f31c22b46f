"""The Markdown reader: CommonMark (plus tables and strikethrough) through markdown-it-py.

markdown-it gives each block its line range but not the column of each piece of inline
text, so the reader finds the spans itself, in two steps that never search the whole
document again:

1. Each inline token's ``content`` (the block's text with ``>`` prefixes, list indents
   and table pipes removed) is aligned line by line with its source lines, giving a
   map from content offsets to source offsets.
2. The inline children are walked in order with a cursor in the content, and each text
   child is found at or after the cursor.  Link and image targets are skipped the way
   markdown-it's own link rule skips them, so a word inside a URL is never mistaken for
   the link text that follows it.

The core rule ``text_join`` is switched off so that escapes (``\\*``) and entities
(``&amp;``) arrive as their own ``text_special`` tokens with their source markup.
Inline content is parsed token by token as the walk reaches it, and dropped once walked,
which is what markdown-it's core ``inline`` rule does for all tokens at once: a long
document never holds every inline token, and it can be handed on in parts (``on_part``),
each ending at a top-level block, while the rest is still being read.  A very long file
can even be read a section at a time (``read_markdown_sections``), never whole: each
section is parsed on its own, cut where the whole text's parse starts a top-level block,
with the link reference definitions of the whole text.
Front matter (YAML ``---`` or TOML ``+++``) is found here rather than with the
mdit-py-plugins front-matter plugin, because the plugin knows only YAML and gives no
positions for field values; it is blanked before parsing, so line numbers still match.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from plainspeak.formats.base import Block, Comment, Part, SourceDocument, in_sections
from plainspeak.formats.plaintext import (
    blank_non_prose,
    blank_text,
    blocks_from_spans,
    build_prose,
    entity_prose,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_PARSER: MarkdownIt | None = None
# A long document goes to ``on_part`` in parts of at least this many characters, each
# ending with a top-level block; a shorter one is not cut.
PART_CHARS = 65_536

# A body with none of these is one or more plain paragraphs whatever the parser says,
# so it is read without parsing (most pages of a content repository look like this).
_NOT_PLAIN = re.compile(r"[`*_\[\]<>&\\~|\ufffd]|^ *[-+=#>0-9]|^ {4}|[^\S \n]", re.M)
_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
# What can start inline syntax in CommonMark with strikethrough: code, emphasis (an
# underscore only where it is not inside a word), links and images, autolinks and HTML,
# entities, escapes and backslash breaks.  Content with none of these is text and breaks.
_INLINE_SYNTAX = re.compile(r"[`*\[\]<>&\\~]|(?<![^\W_])_|_(?![^\W_])")
_EMPHASIS_MARKUP = frozenset({"*", "_", "**", "__", "~~", "~"})
_Group = tuple[list[tuple[int, int]], str]


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = (MarkdownIt("commonmark")
                   .enable(["table", "strikethrough"])
                   .disable("text_join"))
    return _PARSER


def read_markdown(text: str, path: str | None = None,
                  front_matter_fields: Sequence[str] = (),
                  on_part: Callable[[Part], None] | None = None) -> SourceDocument:
    """Read Markdown: prose is the text of headings, paragraphs, list items, quotes, table
    cells, link text and image alt text (plus chosen front-matter fields).

    ``on_part``, if given, receives a long document's prose in parts as they are read,
    so that checking can start before the end is parsed (``--jobs 2``); the parts, in
    order, are the document's prose view and blocks exactly."""
    md_text, fm_end, fm_groups = _prepared(text, front_matter_fields)
    return _document(text, md_text, fm_end, fm_groups, path, on_part)


def _prepared(text: str, front_matter_fields: Sequence[str], front_matter: bool = True
              ) -> tuple[str, int, list[_Group]]:
    """The text markdown-it parses (front matter blanked, CR and NUL as its normalize
    rule makes them, one character for one) with where the front matter ends and the
    spans of its chosen fields.  Only a document's start can be front matter, not a
    later section's (``front_matter`` False)."""
    fm_end, fm_groups = _front_matter(text, front_matter_fields) if front_matter else (0, [])
    md_text = text
    if fm_end:
        md_text = blank_text(text[:fm_end]) + text[fm_end:]
    return md_text.replace("\r", " ").replace("\x00", "\ufffd"), fm_end, fm_groups


def _document(text: str, md_text: str, fm_end: int, groups: list[_Group],
              path: str | None, on_part: Callable[[Part], None] | None = None,
              env: dict[str, Any] | None = None, tokens: list[Token] | None = None
              ) -> SourceDocument:
    """The document of ``text``, parsed as ``md_text`` unless its block ``tokens`` are
    given; ``env`` holds the link reference definitions known so far."""
    replace: list[tuple[int, str]] = []
    comments: list[Comment] = []
    if tokens is None and _NOT_PLAIN.search(md_text, fm_end) is None:
        groups.extend(_plain_paragraphs(md_text, fm_end))
    else:
        walker = _Walker(md_text, groups, replace, comments)
        sink = None
        if on_part is not None and len(text) >= 2 * PART_CHARS:
            sink = _Parts(text, groups, replace, on_part)
        for end in walker.run(PART_CHARS, {} if env is None else env, tokens):
            if sink is not None:
                sink.emit(end)
        if sink is not None:
            sink.emit(len(text))
            # the parts' prose and blocks, in order, are the document's (tests compare)
            return SourceDocument(source=text, prose="".join(sink.proses),
                                  format="markdown", blocks=sink.blocks,
                                  comments=comments, path=path)
    keep = [span for spans, _ in groups for span in spans]
    prose = blank_non_prose(build_prose(text, keep, replace))
    return SourceDocument(source=text, prose=prose, format="markdown",
                          blocks=blocks_from_spans(groups, prose),
                          comments=comments, path=path)


def read_markdown_sections(texts: Iterable[str], path: str | None = None,
                           front_matter_fields: Sequence[str] = (), *,
                           env: dict[str, Any] | None = None,
                           section_chars: int | None = None
                           ) -> Iterator[SourceDocument]:
    """A long Markdown text, given in pieces as it is decoded, read a section at a time
    (see ``plainspeak.formats.base.in_sections``); together the sections are the
    document ``read_markdown`` gives for the whole text (the tests compare).

    A section ends where the whole text's parse has a top-level block start (see
    ``_cut``).  ``env`` must already hold every link reference definition of the text
    when a definition can come after its use (``markdown_references`` finds them)."""
    env = {} if env is None else env

    def cut(window: str, first: bool) -> tuple[int, SourceDocument] | None:
        found = _cut(window, front_matter_fields, first, env)
        if found is None:
            return None
        end, md_text, fm_end, fm_groups, tokens = found
        return end, _document(window[:end], md_text, fm_end, fm_groups, path, env=env,
                              tokens=tokens)

    def whole(text: str, first: bool) -> SourceDocument:
        md_text, fm_end, fm_groups = _prepared(text, front_matter_fields, first)
        return _document(text, md_text, fm_end, fm_groups, path, env=env)

    return in_sections(texts, cut, whole, section_chars)


def markdown_references(texts: Iterable[str], front_matter_fields: Sequence[str] = (),
                        section_chars: int | None = None) -> dict[str, Any]:
    """markdown-it's ``env`` with every link reference definition of a long text, found
    section by section as ``read_markdown_sections`` cuts it, for reading it again with
    definitions that come after their uses."""
    env: dict[str, Any] = {}
    for _ in read_markdown_sections(texts, None, front_matter_fields, env=env,
                                    section_chars=section_chars):
        pass
    return env


def _cut(window: str, front_matter_fields: Sequence[str], first: bool,
         env: dict[str, Any]) -> tuple[int, str, int, list[_Group], list[Token] | None] | None:
    """Where a section of ``window`` can end, with the section's text prepared for
    markdown-it, its front matter and its block tokens; None when no cut is safe.

    markdown-it parses blocks top to bottom, and a top-level block's end depends on no
    line after the next one (a table's delimiter row is the furthest it looks).  So the
    window's blocks, except its last two, are blocks of the whole text too, and the
    start of the first of those two is a place to cut: parsing on from there gives what
    the whole text's parse gives.  A block still open at the window's end (an unclosed
    fence or HTML block) is one of the last two, however long it is."""
    if first and window.startswith(_FENCES):
        head = window[:window.find("\n")].rstrip(" \t\r")
        if head in _FENCES and _front_matter(window, ())[0] == 0:
            return None   # front matter that does not end in the window
    md_text, fm_end, fm_groups = _prepared(window, front_matter_fields, first)
    if _NOT_PLAIN.search(md_text, fm_end) is None:
        # plain paragraphs: cut at the start of the last paragraph
        last = _plain_paragraphs(md_text, fm_end)
        if len(last) < 2:
            return None
        end = md_text.rfind("\n", 0, last[-1][0][0][0]) + 1
        return end, md_text[:end], fm_end, fm_groups, None
    tokens = _block_tokens(md_text, env)
    tops = [i for i, tok in enumerate(tokens)
            if tok.level == 0 and tok.map is not None and tok.nesting >= 0]
    if len(tops) < 3:
        return None
    first_dropped = tokens[tops[-2]]
    assert first_dropped.map is not None
    end = 0
    for _ in range(first_dropped.map[0]):
        end = md_text.index("\n", end) + 1
    return end, md_text[:end], fm_end, fm_groups, tokens[:tops[-2]]


def _block_tokens(md_text: str, env: dict[str, Any]) -> list[Token]:
    """markdown-it's core rules normalize and block (see ``_Walker.run``)."""
    from markdown_it.rules_core import StateCore, block, normalize

    state = StateCore(md_text, _parser(), env)
    normalize(state)
    block(state)
    return state.tokens


class _Parts:
    """Cuts the prose read so far into parts for ``on_part``, and keeps them to make the
    document of.  A part is built from the groups and entity replacements found since
    the last, the way a whole prose view is built from all of them; every span lies in
    its part's lines and no URL or path pattern crosses a line, so the parts joined are
    the prose view and blocks of the whole."""

    def __init__(self, text: str, groups: list[_Group], replace: list[tuple[int, str]],
                 on_part: Callable[[Part], None]) -> None:
        self.text, self.groups, self.replace, self.on_part = text, groups, replace, on_part
        self.start = 0
        self.next_group = 0
        self.next_replace = 0
        self.proses: list[str] = []
        self.blocks: list[Block] = []

    def emit(self, end: int) -> None:
        a = self.start
        if end <= a:
            return
        groups = [([(s - a, e - a) for s, e in spans], kind)
                  for spans, kind in self.groups[self.next_group:]]
        keep = [span for spans, _ in groups for span in spans]
        replace = [(i - a, ch) for i, ch in self.replace[self.next_replace:]]
        prose = blank_non_prose(build_prose(self.text[a:end], keep, replace))
        blocks = blocks_from_spans(groups, prose)
        self.proses.append(prose)
        self.blocks.extend(Block(a + b.start, a + b.end, b.kind) for b in blocks)
        self.on_part(Part(a, prose, [(b.start, b.end) for b in blocks]))
        self.start, self.next_group, self.next_replace = end, len(self.groups), len(self.replace)


def _plain_paragraphs(md_text: str, start: int) -> list[_Group]:
    """Paragraphs of a body with no Markdown syntax: each line without its edge spaces."""
    groups: list[_Group] = []
    spans: list[tuple[int, int]] = []
    pos = start
    n = len(md_text)
    while pos <= n:
        nl = md_text.find("\n", pos)
        end = n if nl == -1 else nl
        line = md_text[pos:end]
        stripped = line.strip(" ")
        if stripped:
            lead = len(line) - len(line.lstrip(" "))
            spans.append((pos + lead, pos + lead + len(stripped)))
        elif spans:
            groups.append((spans, "paragraph"))
            spans = []
        if nl == -1:
            break
        pos = nl + 1
    if spans:
        groups.append((spans, "paragraph"))
    return groups


class _Segments:
    """Maps offsets in an inline token's content to source offsets, piece by piece.

    Pieces are added in content order, so lookups bisect: a paragraph of many lines
    stays linear."""

    def __init__(self) -> None:
        self.pieces: list[tuple[int, int, int]] = []   # (content start, source start, len)
        self.starts: list[int] = []

    def add(self, c_start: int, s_start: int, length: int) -> None:
        if length > 0:
            self.pieces.append((c_start, s_start, length))
            self.starts.append(c_start)

    def source_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        out = []
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        while i < len(self.pieces) and self.pieces[i][0] < end:
            c0, s0, length = self.pieces[i]
            lo, hi = max(start, c0), min(end, c0 + length)
            if lo < hi:
                out.append((s0 + lo - c0, s0 + hi - c0))
            i += 1
        return out

    def source_index(self, index: int) -> int | None:
        i = bisect.bisect_right(self.starts, index) - 1
        if i >= 0:
            c0, s0, length = self.pieces[i]
            if index < c0 + length:
                return s0 + index - c0
        return None


class _Walker:
    """Walks the token stream once, collecting prose groups, entity replacements and
    comments in source offsets."""

    def __init__(self, md_text: str, groups: list[_Group],
                 replace: list[tuple[int, str]], comments: list[Comment]) -> None:
        self.src = md_text
        self.groups = groups
        self.replace = replace
        self.comments = comments
        starts = [0]
        i = md_text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = md_text.find("\n", i + 1)
        self.starts = starts
        self.row_cursor: dict[int, int] = {}

    def line(self, index: int) -> tuple[int, str]:
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.src)
        return start, self.src[start:end]

    def run(self, part_chars: int, env: dict[str, Any],
            tokens: list[Token] | None = None) -> Iterator[int]:
        """Parse and walk the document, yielding the source offset after each top-level
        block that ends a part of at least ``part_chars`` characters.  ``tokens`` are
        its block tokens if already parsed; ``env`` holds its link references.

        markdown-it's core rules are normalize, block and inline (a test checks); this
        runs the first two, then the third one token at a time (see the module's doc)."""
        md = _parser()
        if tokens is None:
            tokens = _block_tokens(self.src, env)

        def parse(content: str) -> list[Token]:
            """An inline token's children, as the core ``inline`` rule makes them."""
            children: list[Token] = []
            md.inline.parse(content, md, env, children)
            return children

        stack: list[str] = []
        part_start = 0
        block_end = 0   # the line after the top-level block being walked
        for tok in tokens:
            if tok.level == 0 and tok.map:
                block_end = tok.map[1]
            if tok.nesting == 1:
                stack.append(tok.type)
            elif tok.nesting == -1:
                if stack:
                    stack.pop()
            elif tok.type == "inline" and tok.map:
                self.inline(tok, _kind(stack), parse)
            elif tok.type == "html_block" and tok.map:
                self.html_block(tok)
            if not stack:
                end = self.starts[block_end] if block_end < len(self.starts) else len(self.src)
                if end - part_start >= part_chars:
                    yield end
                    part_start = end

    def html_block(self, tok: Token) -> None:
        assert tok.map is not None
        l0, l1 = tok.map
        start = self.starts[l0] if l0 < len(self.starts) else len(self.src)
        end = self.starts[l1] if l1 < len(self.starts) else len(self.src)
        for m in _HTML_COMMENT.finditer(self.src, start, end):
            self.comments.append(Comment(m.start(), m.end(), m.group(1)))

    def inline(self, tok: Token, kind: str, parse: Callable[[str], list[Token]]) -> None:
        """Collect an inline token's prose; ``parse`` gives its inline children, which
        content without inline syntax does not need."""
        assert tok.map is not None
        content = tok.content
        segments = self.align(content, tok.map[0], tok.map[1], kind == "table_cell")
        walk = _InlineWalk(content)
        if _INLINE_SYNTAX.search(content) is None:
            walk.keep = _plain_lines(content)
        else:
            walk.walk(parse(content))
        spans = [s for a, b in walk.keep for s in segments.source_spans(a, b)]
        for index, ch in walk.replace:
            mapped = segments.source_index(index)
            if mapped is not None:
                self.replace.append((mapped, ch))
        for a, b, inner in walk.comments:
            start, last = segments.source_index(a), segments.source_index(b - 1)
            if start is not None and last is not None:
                self.comments.append(Comment(start, last + 1, inner))
        if spans:
            self.groups.append((spans, kind))

    def align(self, content: str, l0: int, l1: int, cell: bool) -> _Segments:
        segments = _Segments()
        c_pos = 0
        for i, cl in enumerate(content.split("\n")):
            index = l0 + i
            if index >= len(self.starts) or index >= max(l1, l0 + 1):
                break
            line_start, sl = self.line(index)
            if cell:
                cursor = self.row_cursor.get(index, 0)
                cursor = _align_into(segments, cl, c_pos, sl, line_start, cursor)
                self.row_cursor[index] = cursor
            else:
                _align_line(segments, cl, c_pos, sl, line_start)
            c_pos += len(cl) + 1
        return segments


def _plain_lines(content: str) -> list[tuple[int, int]]:
    """The text spans markdown-it's inline parser gives content without inline syntax
    (see ``_INLINE_SYNTAX``): each line is one text token, without the spaces and tabs
    the newline rule skips at the start of the next line or the spaces it strips from
    the end of the line before.  Tests compare the two over generated Markdown."""
    keep: list[tuple[int, int]] = []
    lines = content.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        start, end = pos, pos + len(line)
        if i:
            start += len(line) - len(line.lstrip(" \t"))
        if i + 1 < len(lines):
            end = pos + len(line.rstrip(" "))
        if end > start:
            keep.append((start, end))
        pos += len(line) + 1
    return keep


def _kind(stack: list[str]) -> str:
    for name in reversed(stack):
        if name in ("th_open", "td_open"):
            return "table_cell"
        if name == "heading_open":
            return "heading"
        if name == "list_item_open":
            return "list_item"
        if name == "blockquote_open":
            return "quote"
    return "paragraph"


def _align_line(segments: _Segments, cl: str, c_pos: int, sl: str, line_start: int) -> None:
    """Place one content line in its source line: normally it is the line's tail."""
    target = cl.rstrip()
    if not target:
        return
    body = sl.rstrip()
    if body.endswith(target):
        segments.add(c_pos, line_start + len(body) - len(target), len(target))
        return
    trimmed = target.lstrip()
    if trimmed and body.endswith(trimmed):
        lead = len(target) - len(trimmed)
        segments.add(c_pos + lead, line_start + len(body) - len(trimmed), len(trimmed))
        return
    _align_into(segments, cl, c_pos, sl, line_start, 0)


def _align_into(segments: _Segments, cl: str, c_pos: int, sl: str, line_start: int,
                cursor: int) -> int:
    """Find a content line inside its source line from ``cursor``, allowing the source a
    backslash before a character (table cells lose the backslash of ``\\|``)."""
    if not cl:
        return cursor
    found = sl.find(cl, cursor)
    if found >= 0:
        segments.add(c_pos, line_start + found, len(cl))
        return found + len(cl)
    j = sl.find(cl[0], cursor)
    if j < 0:
        return cursor
    i = 0
    run_c, run_s = 0, j
    while i < len(cl) and j < len(sl):
        if sl[j] == cl[i]:
            i += 1
            j += 1
        elif sl[j] == "\\" and j + 1 < len(sl) and sl[j + 1] == cl[i]:
            segments.add(c_pos + run_c, line_start + run_s, i - run_c)
            j += 1
            run_c, run_s = i, j
        else:
            break
    segments.add(c_pos + run_c, line_start + run_s, i - run_c)
    return j


class _InlineWalk:
    """Finds each inline child in the token's content, in order, with one cursor."""

    def __init__(self, content: str) -> None:
        self.content = content
        self.pos = 0
        self.keep: list[tuple[int, int]] = []
        self.replace: list[tuple[int, str]] = []
        self.comments: list[tuple[int, int, str]] = []

    def find(self, needle: str) -> int:
        return self.content.find(needle, self.pos) if needle else -1

    def walk(self, children: list[Token]) -> None:
        content = self.content
        autolink = False
        for tok in children:
            kind = tok.type
            if kind == "text":
                i = self.find(tok.content)
                if i < 0:
                    continue
                if not autolink:
                    self.keep.append((i, i + len(tok.content)))
                self.pos = i + len(tok.content)
            elif kind == "text_special":
                i = self.find(tok.markup)
                if i < 0:
                    continue
                end = i + len(tok.markup)
                if not autolink:
                    self.keep.append((i, end))
                    nxt = content[end] if end < len(content) else ""
                    shown = entity_prose(tok.content, end - i, nxt)
                    self.replace.extend((i + k, ch) for k, ch in enumerate(shown))
                self.pos = end
            elif kind in ("softbreak", "hardbreak"):
                i = content.find("\n", self.pos)
                if i >= 0:
                    self.pos = i + 1
            elif kind == "code_inline":
                self.pos = _skip_code(content, self.pos, tok.markup or "`")
            elif kind == "html_inline":
                i = self.find(tok.content)
                if i < 0:
                    continue
                end = i + len(tok.content)
                if tok.content.startswith("<!--") and tok.content.endswith("-->"):
                    self.comments.append((i, end, tok.content[4:-3]))
                self.pos = end
            elif kind == "link_open":
                autolink = tok.markup in ("autolink", "linkify")
                i = self.find("<" if autolink else "[")
                if i >= 0:
                    self.pos = i + 1
            elif kind == "link_close":
                if autolink:
                    i = self.find(">")
                    if i >= 0:
                        self.pos = i + 1
                    autolink = False
                else:
                    self.pos = _skip_link_tail(content, self.pos)
            elif kind == "image":
                i = self.find("![")
                if i < 0:
                    continue
                self.pos = i + 2
                self.walk(tok.children or [])
                self.pos = _skip_link_tail(content, self.pos)
            elif tok.nesting != 0 and tok.markup in _EMPHASIS_MARKUP:
                i = self.find(tok.markup)
                if i >= 0:
                    self.pos = i + len(tok.markup)


def _skip_code(content: str, pos: int, markup: str) -> int:
    """Skip a code span: a backtick run of exactly this length, up to the next one."""
    opener = _backtick_run(content, pos, len(markup))
    if opener < 0:
        return pos
    closer = _backtick_run(content, opener + len(markup), len(markup))
    return pos if closer < 0 else closer + len(markup)


def _backtick_run(content: str, pos: int, length: int) -> int:
    i = content.find("`", pos)
    while i >= 0:
        j = i
        while j < len(content) and content[j] == "`":
            j += 1
        if j - i == length:
            return i
        i = content.find("`", j)
    return -1


def _skip_link_tail(content: str, pos: int) -> int:
    """Skip ``](target "title")``, ``][label]`` or ``]`` after a link's text, the way
    markdown-it's link rule reads them."""
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    close = content.find("]", pos)
    if close < 0:
        return pos
    p = close + 1
    n = len(content)
    if p < n and content[p] == "(":
        q = _skip_space(content, p + 1)
        if q < n:
            dest: Any = parseLinkDestination(content, q, n)
            if dest.ok:
                q = dest.pos
                before = q
                q = _skip_space(content, q)
                title: Any = parseLinkTitle(content, q, n)
                if q < n and before != q and title.ok:
                    q = _skip_space(content, title.pos)
            if q < n and content[q] == ")":
                return q + 1
    if p < n and content[p] == "[":
        end = content.find("]", p + 1)
        if end >= 0:
            return end + 1
    return p


def _skip_space(content: str, pos: int) -> int:
    while pos < len(content) and content[pos] in " \t\n":
        pos += 1
    return pos


_YAML_KEY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+|$)")
_TOML_KEY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*=[ \t]*")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")
_FENCES = ("---", "+++")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*\r?$", re.M)
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")


def _front_matter(text: str, fields: Sequence[str]) -> tuple[int, list[_Group]]:
    """Where YAML or TOML front matter ends (0 if none), and the value spans of the
    chosen fields, each field its own group."""
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip(" \t\r") not in _FENCES:
        return 0, []
    toml = text.startswith("+")
    m = (_TOML_CLOSE if toml else _YAML_CLOSE).search(text, first_end + 1)
    if m is None:
        return 0, []
    end = m.end() + 1 if m.end() < len(text) else m.end()
    wanted = {f.lower() for f in fields}
    if not wanted:
        return end, []
    lines: list[tuple[int, str]] = []
    pos = first_end + 1
    for line in text[pos:m.start()].split("\n"):
        lines.append((pos, line.rstrip("\r")))
        pos += len(line) + 1
    return end, _field_values(lines, wanted, toml)


def _field_values(lines: list[tuple[int, str]], wanted: set[str],
                  toml: bool) -> list[_Group]:
    groups: list[_Group] = []
    key_re = _TOML_KEY if toml else _YAML_KEY
    i = 0
    while i < len(lines):
        start, line = lines[i]
        m = key_re.match(line)
        i += 1
        if not m or m.group(1).lower() not in wanted:
            continue
        value = line[m.end():].rstrip(" \t")
        v0 = start + m.end()
        spans: list[tuple[int, int]] = []
        quote = value[:3] if value[:3] in ('"""', "'''") else value[:1]
        if quote in ('"', "'"):
            close = _closing_quote(value, 1, quote)
            spans.append((v0 + 1, v0 + (close if close > 0 else len(value))))
        elif toml and quote in ('"""', "'''"):
            rest = value[3:]
            if quote in rest:
                spans.append((v0 + 3, v0 + 3 + rest.index(quote)))
                continue
            spans.append((v0 + 3, v0 + len(value)))
            while i < len(lines):
                s, text = lines[i]
                i += 1
                cut = text.find(quote)
                spans.append((s, s + (cut if cut >= 0 else len(text))))
                if cut >= 0:
                    break
        elif not toml:
            if value and not _BLOCK_SCALAR.match(value):
                plain = re.split(r"[ \t]#", value, maxsplit=1)[0].rstrip()
                spans.append((v0, v0 + len(plain)))
            while i < len(lines) and (not lines[i][1].strip()
                                      or lines[i][1][:1] in " \t"):
                s, text = lines[i]
                i += 1
                body = text.strip()
                if body.startswith("- "):
                    body = body[2:].lstrip()
                if body:
                    lead = text.rindex(body) if body in text else 0
                    spans.append((s + lead, s + lead + len(body)))
        if spans:
            groups.append((spans, "front_matter"))
    return groups


def _closing_quote(value: str, start: int, quote: str) -> int:
    """Index of the quote that ends a one-line YAML/TOML string, or -1."""
    m = (_DOUBLE if quote == '"' else _SINGLE).match(value, start - 1)
    return m.end() - 1 if m else -1
