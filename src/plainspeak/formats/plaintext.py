"""The plain-text reader, and the masking helpers every reader shares.

Plain text is all prose except the things a writer does not write as words: web
addresses, e-mail addresses and file paths.  The helpers here build a prose view from
"keep" spans quickly (the corpus check runs in a pre-commit hook) and apply the one
entity policy that the Markdown and HTML readers both follow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from plainspeak.formats.base import Block, SourceDocument, in_sections, paragraph_blocks

# Every pattern starts with a literal or is anchored by a look-behind, so a 10 MB line
# with no spaces is scanned in linear time (no pattern can start again at every
# character of a long word and backtrack over the rest of it).
_URL = r"(?:\b(?:https?|ftp)://|\bwww\.|\bmailto:)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]"
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_WINDOWS_PATH = r"(?:\b[A-Za-z]:\\|(?<![\w\\])\\\\[\w.$-]+\\)[^\s<>\"'|]*[^\s<>\"'|.,;:!?)]"
_UNIX_PATH = (
    r"(?:(?<![\w/.~-])(?:~|\.\.?)/|(?<![\w/.~:-])/(?=[\w.-]+/))"
    r"(?:[\w.-]+/)*[\w.-]*\w/?"
)
_RELATIVE_PATH = r"(?<![\w/.-])(?:[\w-]+/)+[\w.-]*\.[A-Za-z0-9]{1,6}\b"
# Each pattern runs only when its cheap trigger is in the text: most prose holds none,
# and the look-behinds make a pattern with no literal start slow over every character.
_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("://", "www.", "mailto:"), re.compile(_URL)),
    (("@",), re.compile(_EMAIL)),
    (("\\",), re.compile(_WINDOWS_PATH)),
    (("/",), re.compile(_UNIX_PATH + "|" + _RELATIVE_PATH)),
)

# Padding for an entity or escape inside a word.  Spaces would split "caf&eacute;s"
# into two words; U+2060 WORD JOINER is invisible, is not whitespace, and so keeps the
# word whole.  Consumers that rebuild text for the NLP pipeline may delete it.
WORD_JOINER = "\u2060"
_WORD_INNER = frozenset("'\u2019\u02bc-\u2010\u2011\u00ad")


def blank_text(text: str) -> str:
    """Spaces for every character but newlines (a fast ``base.blank``)."""
    if "\n" not in text:
        return " " * len(text)
    return "\n".join([" " * len(part) for part in text.split("\n")])


def build_prose(source: str, keep: Iterable[tuple[int, int]],
                replace: Iterable[tuple[int, str]] = ()) -> str:
    """A prose view that keeps the ``keep`` spans of ``source`` and blanks the rest.

    ``replace`` puts other characters at single positions (decoded entities and their
    padding); each replacement must not be a newline unless the source has one there.
    Carriage returns always become spaces, so CRLF files give the same words as LF."""
    pieces: list[str] = []
    pos = 0
    for start, end in merge_spans(keep):
        if start > pos:
            pieces.append(blank_text(source[pos:start]))
        pieces.append(source[start:end])
        pos = end
    if pos < len(source):
        pieces.append(blank_text(source[pos:]))
    prose = "".join(pieces)
    changes = sorted(replace)
    if changes:
        chars = list(prose)
        for index, ch in changes:
            if 0 <= index < len(chars) and chars[index] != "\n" and ch != "\n":
                chars[index] = ch
        prose = "".join(chars)
    if "\r" in prose:
        prose = prose.replace("\r", " ")
    return prose


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and join those that touch or overlap; drop empty ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _lines_with(text: str, triggers: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` holding one of ``triggers``, in order.

    No pattern matches a newline, so scanning only these lines finds what scanning the
    whole text would; a long document (a whole site in one file) mentions "/" on few of
    its lines, and the path pattern is slow on every character it is tried at."""
    lines: set[tuple[int, int]] = set()
    for trigger in triggers:
        i = text.find(trigger)
        while i != -1:
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i)
            end = len(text) if end == -1 else end
            lines.add((start, end))
            i = text.find(trigger, end)
    return sorted(lines)


def non_prose_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and file paths in ``text`` (shifted by offset)."""
    spans: list[tuple[int, int]] = []
    for triggers, pattern in _PATTERNS:
        for start, end in _lines_with(text, triggers):
            spans.extend((m.start() + offset, m.end() + offset)
                         for m in pattern.finditer(text, start, end))
    return merge_spans(spans) if len(spans) > 1 else spans


def blank_non_prose(prose: str) -> str:
    """Blank URLs, e-mail addresses and paths in a prose view.

    Run once over the finished prose view rather than span by span: blanked markup is
    already spaces, so a match never reaches across it, and one pass is fast."""
    spans = non_prose_spans(prose)
    if not spans:
        return prose
    pieces: list[str] = []
    pos = 0
    for start, end in spans:
        pieces.append(prose[pos:start])
        pieces.append(" " * (end - start))    # no pattern matches a newline
        pos = end
    pieces.append(prose[pos:])
    return "".join(pieces)


def entity_prose(decoded: str, length: int, next_char: str) -> str:
    """What an entity or escape of ``length`` source characters shows in the prose view.

    The decoded character goes at the first position and the rest is padding.
    Whitespace entities become spaces.  A letter, digit, apostrophe, hyphen or soft
    hyphen followed straight away by a letter or digit is padded with word joiners, so
    the word stays whole (``service&rsquo;s``, ``caf&eacute;s``); anything else is padded
    with spaces, so the words either side stay apart (``care&amp;support``).  Newlines
    never appear: the prose view has them only where the source does."""
    if not decoded or length <= 0:
        return " " * max(length, 0)
    first = decoded[0]
    if first.isspace() or first == "\x00":
        return " " * length
    if length == 1:
        return first
    joins = first.isalnum() or first in _WORD_INNER or unicodedata.category(first)[0] == "M"
    pad = WORD_JOINER if joins and next_char.isalnum() else " "
    return first + pad * (length - 1)


def blocks_from_spans(groups: Iterable[tuple[list[tuple[int, int]], str]],
                      prose: str) -> list[Block]:
    """One block per group of kept spans, trimmed to its first and last prose character,
    skipping groups with no prose left; sorted and made non-overlapping."""
    blocks: list[Block] = []
    for spans, kind in groups:
        if not spans:
            continue
        start = min(s for s, _ in spans)
        end = max(e for _, e in spans)
        while start < end and prose[start].isspace():
            start += 1
        while end > start and prose[end - 1].isspace():
            end -= 1
        if end > start:
            blocks.append(Block(start, end, kind))
    blocks.sort(key=lambda b: (b.start, b.end))
    clean: list[Block] = []
    for block in blocks:
        if clean and block.start < clean[-1].end:
            continue
        clean.append(block)
    return clean


def read_plaintext(text: str, path: str | None = None) -> SourceDocument:
    """Read plain text: everything is prose except URLs, e-mail addresses and paths."""
    prose = blank_non_prose(text.replace("\r", " ") if "\r" in text else text)
    paragraphs = [([(b.start, b.end)], b.kind) for b in paragraph_blocks(prose)]
    return SourceDocument(source=text, prose=prose, format="text",
                          blocks=blocks_from_spans(paragraphs, prose), path=path)


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def read_plaintext_sections(texts: Iterable[str], path: str | None = None,
                            section_chars: int | None = None) -> Iterator[SourceDocument]:
    """A long plain text, given in pieces as it is decoded, read a section at a time
    (see ``plainspeak.formats.base.in_sections``), each ending after a blank line: a
    paragraph ends there, and no URL or path crosses a line, so together the sections
    are the document ``read_plaintext`` gives for the whole text (the tests compare)."""
    def cut(window: str, first: bool) -> tuple[int, SourceDocument] | None:
        ends = [blank.end() for blank in _BLANK_LINE.finditer(window)]
        if not ends:
            return None
        return ends[-1], read_plaintext(window[:ends[-1]], path)

    return in_sections(texts, cut, lambda text, first: read_plaintext(text, path),
                       section_chars)
