"""Build the spaCy pieces once: the blank English tokenizer and the glossary matcher.

Only the tokenizer runs on documents; the matcher is built from a compiled glossary
(``compiled.py``: patterns as token texts, added as attribute ids, so building it for
thousands of entries makes no Doc at all).  Text is normalised before
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
from plainspeak.nlp.compiled import CompiledGlossary, build_screen, compile_glossary
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


def open_long_runs(text: str) -> str:
    """``text`` with non-word characters blanked inside runs of 100+ non-spaces."""
    if len(text) < 100:
        return text
    return _LONG_RUN.sub(lambda m: _NOT_WORD.sub(" ", m.group()), text)


# Characters of text after which building the keyword screen pays for itself.
SCREEN_AFTER = 200_000


@lru_cache(maxsize=1)
def english_tokenizer() -> Tokenizer:
    """The tokenizer of ``spacy.blank("en")``, made without the Language around it: all
    plainspeak runs on documents is the tokenizer.

    It is made as spaCy's own tokenizer factory makes it, from the English defaults (a
    test compares the two), but without building a Language, which reads every installed
    package's entry points to fill spaCy's registries: 0.11 s instead of 0.085 s.  The
    matchers read only ORTH and LOWER, so a new word's lexeme computes only its lower
    case: the other attributes (shape, like_num, is_stop...) are Python functions run for
    every new word, which made building a large glossary's patterns half again slower.
    This tokenizer is plainspeak's own; the spaCy component uses the caller's."""
    import_spacy()
    from spacy.attrs import LOWER
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    from spacy.vocab import create_vocab

    defaults = English.Defaults
    vocab: Any = create_vocab(English.lang, defaults)   # stubs lack lex_attr_getters
    getters = vocab.lex_attr_getters
    vocab.lex_attr_getters = {LOWER: getters[LOWER]} if LOWER in getters else {}
    prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
    return Tokenizer(
        vocab, rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(prefixes).search if prefixes else None,
        suffix_search=compile_suffix_regex(suffixes).search if suffixes else None,
        infix_finditer=compile_infix_regex(infixes).finditer if infixes else None,
        token_match=defaults.token_match, url_match=defaults.url_match)


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

    def __init__(self, glossary: Glossary | CompiledGlossary,
                 nlp: Language | None = None) -> None:
        """``glossary`` is compiled here, unless it comes compiled already (from the cache:
        then ``nlp`` must be left out, as it was compiled with plainspeak's own)."""
        own = nlp is None
        # (spaCy's stubs type a Language's tokenizer as any callable)
        tokenizer: Any = english_tokenizer() if nlp is None else nlp.tokenizer
        self.tokenizer: Tokenizer = tokenizer
        from spacy.matcher import PhraseMatcher
        from spacy.strings import get_string_id

        if isinstance(glossary, CompiledGlossary):
            compiled = glossary
        else:
            compiled = compile_glossary(glossary, self.tokenizer)
        self.compiled = compiled
        self.glossary = compiled.glossary
        vocab = tokenizer.vocab
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._orth = PhraseMatcher(vocab, attr="ORTH")
        self._veto = PhraseMatcher(vocab, attr="LOWER")
        self._entries: dict[int, Entry] = {}
        self._veto_of: dict[int, str] = {}
        self._screen: Screen | None = None
        self._seen_chars = 0
        # Patterns go in as the attribute ids their tokens would have (as spaCy itself
        # does when it restores a saved PhraseMatcher): no Doc per pattern.  An ORTH id
        # is the hash of the text; plainspeak's own vocabulary computes LOWER as
        # str.lower (see english_tokenizer), another nlp's is asked.
        def lower_ids(tokens: Sequence[str]) -> tuple[int, ...]:
            if own:
                return tuple(map(get_string_id, map(str.lower, tokens)))
            return tuple(vocab[token].lower for token in tokens)

        def orth_ids(tokens: Sequence[str]) -> tuple[int, ...]:
            return tuple(map(get_string_id, tokens))

        by_id = {e.id: e for e in self.glossary}
        for groups, matcher, attr_ids in ((compiled.veto, self._veto, lower_ids),
                                          (compiled.lower, self._lower, lower_ids),
                                          (compiled.orth, self._orth, orth_ids)):
            for group in groups:
                ids: Any = list(map(attr_ids, group.patterns))   # spaCy's stubs say Doc
                matcher.add(group.key, ids)
                if matcher is self._veto:
                    self._veto_of[vocab.strings[group.key]] = group.key
                else:
                    self._entries[vocab.strings[group.key]] = by_id[group.key]

    @property
    def screen(self) -> Screen:
        """Built on first use (unless the compiled glossary brings it): it costs about
        0.1 s, which only pays back over about 200,000 characters of text (a 300-word
        page is checked faster without it)."""
        if self._screen is None:
            self._screen = build_screen(self.compiled, self.tokenizer)
            if self.compiled.screen is None:   # worked out now: a cache may keep it
                self.compiled = self.compiled.with_screen_state(self._screen.state())
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
        normalised = [normalise(open_long_runs(t)) for t in texts]
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
        for (i, a, b, open_left, open_right), doc in zip(windows, docs, strict=True):
            found = self.spans(doc)
            if not found:
                continue
            norm = normalised[i]
            # (doc.text would rebuild the window from its tokens: slice the text instead)
            first_end, last_start = (edge_chunks(norm.text[a:b], 0, b - a)
                                     if open_left or open_right else (0, b - a))
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
