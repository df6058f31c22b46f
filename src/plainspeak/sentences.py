"""Sentence and word boundaries inside one block of prose.

A rule-based splitter, like spaCy's sentencizer, that runs on every block: readability
needs the sentences of the whole text, while spaCy only tokenises the blocks that could
hold a glossary term, which is what keeps a site-wide check fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Sentence-final punctuation, then any closing quotes or brackets; group 1 is set when
# a space follows (a sentence end).  The whole run is taken possessively and tested
# once: "[.!?]+...(?=\s)" backtracked at every dot of a long run ("....", 40 KB of
# dots took 46 s).
_END = re.compile(r"[.!?\u2026\u203d]++[\"'\u201d\u2019)\]]*+(?:(?=(\s))|)")
_NEXT = re.compile(r"\s+(\S)")
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset({
    "e.g", "eg", "i.e", "ie", "etc", "mr", "mrs", "ms", "dr", "st", "no", "vs", "approx", "incl",
    "dept", "tel", "fig", "cf", "nb", "ref", "para",
})


def split(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of each sentence in ``text[start:end]``, trimmed of space."""
    stop = len(text) if end is None else end
    pos = start
    for m in _END.finditer(text, start, stop):
        if m.group(1) is None:
            continue
        nxt = _NEXT.match(text, m.end(), stop)
        if nxt is None:
            continue
        first = nxt.group(1)
        if first.islower():
            continue
        word_start = text.rfind(" ", pos, m.start()) + 1
        before = text[max(word_start, pos):m.start()].lower().lstrip("(\"'")
        if m.group().startswith(".") and before in _ABBREVIATIONS:
            continue
        yield from _trimmed(text, pos, m.end())
        pos = nxt.start(1)
    yield from _trimmed(text, pos, stop)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and _WORD.search(text, start, end):
        yield start, end


def words(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The words in a span: letters or digits, joined by apostrophes or hyphens."""
    return _WORD.findall(text, start, len(text) if end is None else end)
