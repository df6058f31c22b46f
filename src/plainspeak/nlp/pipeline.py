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
from plainspeak.nlp.screen import Screen, edge_chunks
from plainspeak.nlp.spacy_import import import_spacy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc

_WHITESPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
# spaCy's tokenizer looks for prefixes and suffixes once per character of a token, so a
# token of thousands of brackets, emoji or "!" costs quadratic time (20,000 "!" took
# 37 s).  No glossary term lives in such a run except as a word glued to it, so inside a
# long run everything but word characters becomes a space: same length, same offsets.
_LONG_RUN = re.compile(r"\S{100,}")
_NOT_WORD = re.compile(r"[^\w'\u2019-]")


def _open_long_runs(text: str) -> str:
    """``text`` with non-word characters blanked inside runs of 100+ non-spaces."""
    if len(text) < 100:
        return text
    return _LONG_RUN.sub(lambda m: _NOT_WORD.sub(" ", m.group()), text)


# Characters of text after which building the keyword screen pays for itself.
SCREEN_AFTER = 200_000


def _common_words() -> frozenset[str]:
    """Familiar words (the Dale-Chall list), which make poor keywords: a screen keyed on
    "local" or "plan" would let through most of a council's pages."""
    from plainspeak.readability import easy_words

    return easy_words()


@lru_cache(maxsize=1)
def blank_english() -> Language:
    """spacy.blank("en") without any component: all plainspeak needs is the tokenizer.

    The matchers read only ORTH and LOWER, so a new word's lexeme computes only its lower
    case: the other attributes (shape, like_num, is_stop...) are Python functions run for
    every new word, which made building a large glossary's patterns half again slower.
    This nlp is plainspeak's own; the spaCy component uses the caller's."""
    import_spacy()
    from spacy.attrs import LOWER
    from spacy.lang.en import English

    nlp = English()
    vocab: Any = nlp.vocab   # spaCy's stubs do not declare lex_attr_getters
    getters = vocab.lex_attr_getters
    vocab.lex_attr_getters = {LOWER: getters[LOWER]} if LOWER in getters else {}
    return nlp


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
        self.nlp = nlp or blank_english()
        from spacy.matcher import PhraseMatcher

        self.glossary = glossary
        vocab = self.nlp.vocab
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._orth = PhraseMatcher(vocab, attr="ORTH")
        self._veto = PhraseMatcher(vocab, attr="LOWER")
        self._entries: dict[int, Entry] = {}
        self._veto_of: dict[int, str] = {}
        self.tokenizer: Tokenizer = self.nlp.tokenizer
        self._screen: Screen | None = None
        self._screened: list[tuple[Doc, int, bool]] = []   # patterns, until screened
        self._seen_chars = 0
        lower_forms: list[tuple[str, list[str]]] = []
        orth_forms: list[tuple[str, list[str]]] = []
        veto_forms: list[tuple[str, list[str]]] = []
        for entry in glossary:
            forms = entry_forms(entry)
            (orth_forms if entry.exact_case else lower_forms).append((entry.id, forms))
            if entry.not_in:
                veto_forms.append((entry.id, expand(entry.not_in, inflect=entry.inflect,
                                                    exact_case=False)))
        # a veto contains the hit it vetoes, so its length widens the hit's window
        reach = self._add(self._veto, veto_forms, self._veto_of, None, {})
        self._add(self._lower, lower_forms, self._entries, glossary, reach)
        self._add(self._orth, orth_forms, self._entries, glossary, reach)

    def _add(self, matcher: Any, groups: list[tuple[str, list[str]]], index: dict[int, Any],
             glossary: Glossary | None, reach: dict[str, int] | None) -> dict[str, int]:
        """Add each group's patterns under its key; screen them unless ``reach`` is None
        (vetoes are not screened: they only matter next to a hit).  Returns the longest
        pattern of each key, in tokens."""
        by_id = {e.id: e for e in glossary} if glossary is not None else {}
        texts = [form for _, forms in groups for form in forms]
        docs = iter(self.tokenizer.pipe(texts, batch_size=1000))
        longest: dict[str, int] = {}
        for key, forms in groups:
            patterns = [next(docs) for _ in forms]
            patterns = [p for p in patterns if len(p)]
            if not patterns:
                continue
            matcher.add(key, patterns)
            index[self.nlp.vocab.strings[key]] = by_id.get(key, key)
            longest[key] = max(len(p) for p in patterns)
            if reach is not None:
                exact = matcher is self._orth
                for pattern in patterns:
                    self._screened.append((pattern, reach.get(key, 0), exact))
        return longest

    @property
    def screen(self) -> Screen:
        """Built on first use: it costs about 0.1 s, which only pays back over about
        200,000 characters of text (a 300-word page is checked faster without it)."""
        if self._screen is None:
            screen = Screen(self.tokenizer, common=_common_words())
            for pattern, reach, exact in self._screened:
                screen.add(pattern, reach, exact_case=exact)
            self._screen, self._screened = screen, []
        return self._screen

    @property
    def keywords(self) -> frozenset[str]:
        """The words the screen looks for before spaCy sees a text."""
        return self.screen.keywords

    def may_match(self, text: str) -> bool:
        """A cheap test that rules out most texts before spaCy sees them."""
        return self.screen.may_match(normalise(text).text)

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

    def hits(self, texts: Sequence[str], batch_size: int = 256, *,
             screen: bool | None = None) -> Iterator[list[Hit]]:
        """Character-offset hits for each text.  Only the windows the screen finds are
        tokenised; by default the screen is used once this matcher has seen
        ``SCREEN_AFTER`` characters (``screen=False`` tokenises everything, ``True``
        always screens: the tests compare the two)."""
        normalised = [normalise(_open_long_runs(t)) for t in texts]
        if screen is None:
            self._seen_chars += sum(len(n.text) for n in normalised)
            screen = self._screen is not None or self._seen_chars >= SCREEN_AFTER
        windows: list[tuple[int, int, int, bool, bool]] = []
        for i, norm in enumerate(normalised):
            if screen:
                windows.extend((i, *w) for w in self.screen.windows(norm.text))
            elif norm.text:
                windows.append((i, 0, len(norm.text), False, False))
        results: list[list[Hit]] = [[] for _ in texts]
        docs = self.tokenizer.pipe(
            (normalised[i].text[a:b] for i, a, b, _, _ in windows), batch_size=batch_size)
        for (i, a, _, open_left, open_right), doc in zip(windows, docs, strict=True):
            found = self.spans(doc)
            if not found:
                continue
            norm = normalised[i]
            first_end, last_start = edge_chunks(doc.text, 0, len(doc.text))
            for start, end, entry in found:
                span = doc[start:end]
                # the edge chunks of a window inside the text are only a margin
                if (open_left and span.start_char < first_end) or (
                        open_right and span.end_char > last_start):
                    continue
                results[i].append(Hit(norm.to_original(a + span.start_char),
                                      norm.to_original(a + span.end_char - 1) + 1, entry))
        yield from results


def iter_chunks(text: str, limit: int) -> Iterable[tuple[int, str]]:
    """Split a long text at paragraph, line or space boundaries into pieces of at most
    ``limit`` characters (spaCy's max_length, and bounded memory)."""
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start:start + limit]
        # The strongest boundary in the second half of the window: a cut at the last
        # space could fall inside a phrase ("service | users") and lose the match.
        cut = 0
        for separator in ("\n\n", "\n", ". ", " "):
            found = window.rfind(separator)
            if found > limit // 2 or (separator == " " and found > 0):
                cut = found + len(separator)
                break
        cut = cut or limit
        yield start, text[start:start + cut]
        start += cut
    yield start, text[start:]
