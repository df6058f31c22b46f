"""The contract every reader keeps: source text, a same-length prose view and a line index.

A reader blanks out what is not prose (code, URLs, tags, front matter) with spaces and
keeps every newline, so an offset in the prose view is the same offset in the source.
Checks run on the prose view; fixes edit the source by span and never search again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Block:
    """A run of prose that is its own unit of meaning: a paragraph, heading, list item,
    table cell.  Sentences never cross a block boundary."""

    start: int
    end: int
    kind: str = "paragraph"


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment in the source (``<!-- ... -->`` in Markdown and HTML) whose text may hold
    an inline plainspeak directive.  ``text`` is the comment's inner text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Part:
    """A stretch of a long document, read before the rest: its prose view and its
    blocks' spans, both counted from ``start`` (its offset in the document).  A reader
    that gives parts gives them in order, and together they are the document's prose
    view and blocks exactly."""

    start: int
    prose: str
    blocks: list[tuple[int, int]]


@dataclass(slots=True)
class SourceDocument:
    """One decoded document ready for checking.

    ``source`` is the decoded text exactly as in the file (BOM removed, newlines as in the
    file).  ``prose`` has the same length; every character that is not prose is a space,
    newlines are kept.  ``blocks`` lists the prose units in order; ``line_labels``, when
    set, names each line for formats whose lines are not lines (Word: "paragraph 3").

    A long file can be read a section at a time (``read_path_sections``): then
    ``source`` is one section, ``offset`` and ``first_line`` say where it starts in the
    file (findings are given in the file's offsets and lines), and ``more`` says that
    further sections follow.
    """

    source: str
    prose: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    line_labels: list[str] | None = None
    path: str | None = None
    encoding: str = "utf-8"     # how the file was decoded, so a fix can write it back
    bom: bytes = b""            # the byte-order mark the file started with, if any
    offset: int = 0             # where this section starts in its file (0: the start)
    first_line: int = 1         # ... and on which line
    more: bool = False          # further sections of the same file follow
    _line_starts: list[int] | None = None

    def __post_init__(self) -> None:
        if len(self.prose) != len(self.source):
            raise ValueError(
                f"prose view has {len(self.prose)} characters but the source has "
                f"{len(self.source)}: a reader broke the same-length invariant"
            )
        if not self.blocks and self.source:
            self.blocks = paragraph_blocks(self.prose)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.source.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based offset; columns count code points.

        A ``\\r`` before ``\\n`` belongs to the line it ends, so CRLF files report the
        same columns as LF files."""
        starts = self.line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_text(self, line: int) -> str:
        """The source text of a 1-based line, without its line ending."""
        starts = self.line_starts
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.source)
        return self.source[begin:end].rstrip("\r")

    def label(self, line: int) -> str | None:
        """A human label for a line where the format has one (Word), else None."""
        if self.line_labels is None or not 1 <= line <= len(self.line_labels):
            return None
        return self.line_labels[line - 1]


def blank(text: str) -> str:
    """Replace every character except newlines with a space (the masking step)."""
    return "".join("\n" if ch == "\n" else " " for ch in text)


def mask_spans(source: str, keep: list[tuple[int, int]]) -> str:
    """Build a prose view that keeps only the ``keep`` spans of ``source``.

    Spans may overlap or come in any order; everything outside them becomes spaces,
    except newlines, which are always kept."""
    chars = list(blank(source))
    for start, end in keep:
        chars[start:end] = source[start:end]
    return "".join(chars)


def paragraph_blocks(prose: str) -> list[Block]:
    """Split a prose view into blocks at blank lines (lines holding only whitespace)."""
    blocks: list[Block] = []
    n = len(prose)
    pos = 0
    start: int | None = None
    while pos < n:
        nl = prose.find("\n", pos)
        line_end = n if nl == -1 else nl
        if prose[pos:line_end].strip():
            if start is None:
                start = pos
        elif start is not None:
            blocks.append(Block(start, pos - 1 if pos > 0 else pos))
            start = None
        pos = line_end + 1
    if start is not None:
        blocks.append(Block(start, n))
    return [b for b in blocks if prose[b.start:b.end].strip()]


# A long text read in sections (``in_sections``) is cut into sections of about this
# many characters.
SECTION_CHARS = 131_072

# Where a reader can end a section of a window of text (its first, if the bool says
# so): the offset, and the document of the window up to there; None for nowhere.
Cutter = Callable[[str, bool], "tuple[int, SourceDocument] | None"]


def in_sections(texts: Iterable[str], cut: Cutter,
                whole: Callable[[str, bool], SourceDocument],
                section_chars: int | None = None) -> Iterator[SourceDocument]:
    """A long text, given in pieces as it is decoded, read a section at a time, each
    with its ``offset``, ``first_line`` and ``more`` set, so that a file of any length
    is read holding one section of it.

    ``cut`` looks at a window of at least ``section_chars`` characters (whole lines) for
    a place where reading can stop and start again with the same result; a window with
    none is doubled until one is found or the text ends.  ``whole`` reads the rest."""
    pieces = _Pieces(texts)
    section_chars = section_chars or SECTION_CHARS
    offset, line, first, want = 0, 1, True, section_chars
    while True:
        window, rest = pieces.window(want)
        found = None if rest else cut(window, first)
        if found is None and not rest:
            want *= 2   # no place to cut yet (one long block): take more
            continue
        text, document = (window, whole(window, first)) if found is None else (
            window[:found[0]], found[1])
        document.offset, document.first_line, document.more = offset, line, not rest
        yield document
        if rest:
            return
        pieces.advance(len(text))
        offset += len(text)
        line += text.count("\n")
        first, want = False, section_chars


class _Pieces:
    """Text arriving in pieces, handed out a window at a time from where the last
    section ended; only the text not yet cut off is kept."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = iter(texts)
        self.buffer = ""
        self.start = 0
        self.ended = False

    def window(self, want: int) -> tuple[str, bool]:
        """At least ``want`` characters ending with a line end, and False; or all the
        text left, and True."""
        while True:
            end = self.buffer.find("\n", self.start + want - 1)
            if end != -1 and not (self.ended and end + 1 == len(self.buffer)):
                return self.buffer[self.start:end + 1], False
            if self.ended:
                return self.buffer[self.start:], True
            # take pieces until the window can end (joined once: a file that is one long
            # line would otherwise be copied again for every piece)
            pieces = [self.buffer[self.start:]]
            have = len(pieces[0])
            while (piece := next(self.texts, None)) is not None:
                pieces.append(piece)
                have += len(piece)
                if have >= want and "\n" in piece:
                    break
            else:
                self.ended = True
            self.buffer, self.start = "".join(pieces), 0

    def advance(self, count: int) -> None:
        self.start += count
