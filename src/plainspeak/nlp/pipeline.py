"""Build the spaCy pieces once: the blank English tokenizer and the glossary matcher.

Only the tokenizer runs on documents; patterns are built with ``nlp.tokenizer.pipe`` so
building the matcher for thousands of entries is quick.  Text is normalised before
tokenising (every run of whitespace becomes one space, with an offset map back) because
spaCy turns extra whitespace into tokens of its own and a phrase split over a wrapped
line, or around masked markup, would otherwise never match.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from plainspeak.glossary.model import Entry, Glossary
from plainspeak.nlp.forms import entry_forms, expand

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_WHITESPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def blank_english() -> Language:
    """spacy.blank("en") without any component: all plainspeak needs is the tokenizer."""
    from spacy.lang.en import English

    return English()


@dataclass(frozen=True, slots=True)
class Normalised:
    """A text with whitespace runs collapsed, and the way back to original offsets."""

    text: str
    _norm: tuple[int, ...]  # offsets in ``text`` where a collapsed run starts
    _orig: tuple[int, ...]  # the matching offsets in the original
    _shift: tuple[int, ...]  # chars removed before each point (cumulative)

    def to_original(self, offset: int) -> int:
        i = bisect.bisect_right(self._norm, offset) - 1
        if i < 0:
            return offset
        # inside a collapsed run only its first character exists in ``text``
        if offset == self._norm[i]:
            return self._orig[i]
        return offset + self._shift[i]


def normalise(text: str) -> Normalised:
    """Collapse every whitespace run to one space (and tabs/newlines to a space)."""
    norm_pts: list[int] = []
    orig_pts: list[int] = []
    shifts: list[int] = []
    pieces: list[str] = []
    last = 0
    removed = 0
    for m in _WHITESPACE_RUN.finditer(text):
        pieces.append(text[last:m.start()])
        norm_at = m.start() - removed
        norm_pts.append(norm_at)
        orig_pts.append(m.start())
        removed += (m.end() - m.start()) - 1
        shifts.append(removed)
        pieces.append(" ")
        last = m.end()
    if not norm_pts:
        return Normalised(text, (), (), ())
    pieces.append(text[last:])
    return Normalised("".join(pieces), tuple(norm_pts), tuple(orig_pts), tuple(shifts))


@dataclass(frozen=True, slots=True)
class Hit:
    """A glossary match in one text: character offsets and the entry."""

    start: int
    end: int
    entry: Entry


class GlossaryMatcher:
    """Phrase matching for a whole glossary: case-insensitive, exact-case, and the
    ``not_in`` phrases that veto a hit.  Longest match wins; hits never overlap."""

    def __init__(self, glossary: Glossary, nlp: Language | None = None) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = nlp or blank_english()
        self.glossary = glossary
        vocab = self.nlp.vocab
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._orth = PhraseMatcher(vocab, attr="ORTH")
        self._veto = PhraseMatcher(vocab, attr="LOWER")
        self._entries: dict[int, Entry] = {}
        self._veto_of: dict[int, str] = {}
        self.keywords: set[str] = set()
        self._always = False
        lower_forms: list[tuple[str, list[str]]] = []
        orth_forms: list[tuple[str, list[str]]] = []
        veto_forms: list[tuple[str, list[str]]] = []
        for entry in glossary:
            forms = entry_forms(entry)
            (orth_forms if entry.exact_case else lower_forms).append((entry.id, forms))
            if entry.not_in:
                veto_forms.append((entry.id, expand(entry.not_in, inflect=entry.inflect,
                                                    exact_case=False)))
        self._add(self._lower, lower_forms, self._entries, glossary, keywords=True)
        self._add(self._orth, orth_forms, self._entries, glossary, keywords=True)
        self._add(self._veto, veto_forms, self._veto_of, None, keywords=False)

    def _add(self, matcher: Any, groups: list[tuple[str, list[str]]], index: dict[int, Any],
             glossary: Glossary | None, *, keywords: bool) -> None:
        by_id = {e.id: e for e in glossary} if glossary is not None else {}
        texts = [form for _, forms in groups for form in forms]
        docs = iter(self.nlp.tokenizer.pipe(texts, batch_size=1000))
        for key, forms in groups:
            patterns = [next(docs) for _ in forms]
            patterns = [p for p in patterns if len(p)]
            if not patterns:
                continue
            matcher.add(key, patterns)
            index[self.nlp.vocab.strings[key]] = by_id.get(key, key)
            if keywords:
                for pattern in patterns:
                    self._keyword(pattern)

    def _keyword(self, pattern: Doc) -> None:
        """Remember the longest word of each pattern: a text without any of these words
        cannot match, so it need not be tokenised at all."""
        words = [m.group().lower() for tok in pattern for m in _WORD.finditer(tok.text)]
        if not words:
            self._always = True
            return
        self.keywords.add(max(words, key=len))

    def may_match(self, text: str) -> bool:
        """A cheap test that rules out most texts before spaCy sees them."""
        if self._always:
            return True
        keywords = self.keywords
        return any(w in keywords for w in _WORD.findall(text.lower()))

    def spans(self, doc: Doc) -> list[tuple[int, int, Entry]]:
        """Token spans (start, end, entry) in ``doc``: longest first, no overlaps, vetoes
        applied."""
        from spacy.util import filter_spans

        found = [*self._lower(doc, as_spans=True), *self._orth(doc, as_spans=True)]
        if not found:
            return []
        vetoes = self._veto(doc) if self._veto_of else []
        kept = []
        for span in found:
            entry = self._entries[span.label]
            if vetoes and any(
                self._veto_of[key] == entry.id and s <= span.start and span.end <= e
                for key, s, e in vetoes
            ):
                continue
            kept.append(span)
        return [(s.start, s.end, self._entries[s.label]) for s in filter_spans(kept)]

    def hits(self, texts: Sequence[str], batch_size: int = 64) -> Iterator[list[Hit]]:
        """Character-offset hits for each text, batching the candidates through spaCy."""
        normalised = [normalise(t) for t in texts]
        candidates = [i for i, n in enumerate(normalised) if self.may_match(n.text)]
        results: list[list[Hit]] = [[] for _ in texts]
        docs = self.nlp.tokenizer.pipe((normalised[i].text for i in candidates),
                                       batch_size=batch_size)
        for i, doc in zip(candidates, docs, strict=True):
            norm = normalised[i]
            for start, end, entry in self.spans(doc):
                span = doc[start:end]
                a = norm.to_original(span.start_char)
                b = norm.to_original(span.end_char - 1) + 1
                results[i].append(Hit(a, b, entry))
        yield from results


def iter_chunks(text: str, limit: int) -> Iterable[tuple[int, str]]:
    """Split a long text at paragraph, line or space boundaries into pieces of at most
    ``limit`` characters (spaCy's max_length, and bounded memory)."""
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "), window.rfind(" "))
        cut = limit if cut <= 0 else cut + 1
        yield start, text[start:start + cut]
        start += cut
    yield start, text[start:]
