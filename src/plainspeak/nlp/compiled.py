"""A glossary compiled for matching: every entry's patterns as token texts, and the
keyword screen's needs.

Compiling (inflecting every word, tokenising tens of thousands of patterns, choosing the
screen's keywords) is most of a check's start-up, and it depends only on the glossary
files and the versions of plainspeak and spaCy.  So its result is plain data: the
matcher is built from it without running the tokenizer, and ``plainspeak.cache`` keeps
it on disk between runs.  Data flows one way: Glossary -> CompiledGlossary -> matcher.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from plainspeak.glossary.model import Glossary
from plainspeak.nlp.forms import entry_forms, expand
from plainspeak.nlp.screen import Screen, ScreenState

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

Tokens = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PatternGroup:
    """The patterns of one matcher key (an entry id), each as its token texts."""

    key: str
    patterns: tuple[Tokens, ...]


@dataclass(frozen=True, slots=True)
class CompiledGlossary:
    """Everything the matcher needs, derived from a glossary alone.

    ``lower`` patterns match in any case, ``orth`` patterns (exact_case entries) only as
    written, and ``veto`` patterns (``not_in`` phrases) cancel a hit of the same key
    inside them.  ``screen`` is None until it is worked out: that costs about 0.1 s for
    the built-in glossary and only pays back over long runs of text, or once cached."""

    glossary: Glossary
    lower: tuple[PatternGroup, ...]
    orth: tuple[PatternGroup, ...]
    veto: tuple[PatternGroup, ...]
    screen: ScreenState | None = None

    def screened_patterns(self) -> Iterator[tuple[Tokens, int, bool]]:
        """(tokens, reach, exact_case) of every pattern the screen must let through;
        ``reach`` is the token length of the key's longest veto, which contains a hit."""
        reach = {g.key: max(len(p) for p in g.patterns) for g in self.veto}
        for groups, exact in ((self.lower, False), (self.orth, True)):
            for group in groups:
                for pattern in group.patterns:
                    yield pattern, reach.get(group.key, 0), exact

    def with_screen(self, tokenizer: Tokenizer) -> CompiledGlossary:
        """This glossary with its screen worked out."""
        if self.screen is not None:
            return self
        return self.with_screen_state(build_screen(self, tokenizer).state())

    def with_screen_state(self, state: ScreenState) -> CompiledGlossary:
        return replace(self, screen=state)


def _common_words() -> frozenset[str]:
    """Familiar words (the Dale-Chall list), which make poor keywords: a screen keyed on
    "local" or "plan" would let through most of a council's pages."""
    from plainspeak.readability import easy_words

    return easy_words()


def build_screen(compiled: CompiledGlossary, tokenizer: Tokenizer) -> Screen:
    """The keyword screen for these patterns: from the compiled state when there is one.

    Which words the screen keys on never changes which matches are found (every window
    holds every match), only how much text is tokenised."""
    if compiled.screen is not None:
        return Screen.from_state(tokenizer, compiled.screen)
    screen = Screen(tokenizer, common=_common_words())
    for tokens, reach, exact in compiled.screened_patterns():
        screen.add(tokens, reach, exact_case=exact)
    return screen


class PatternTokenizer:
    """The token texts ``tokenizer(text)`` gives a pattern, without making a Doc when the
    answer is plain.

    spaCy's tokenizer cuts a text at spaces and then each chunk on its own; a chunk that
    is no special case and where no prefix, suffix or infix rule matches stays one
    token.  A cross-chunk pass (special cases found after affix splitting) only changes
    tokens whose joined text, spaces included, is a special case, and no special case of
    more than one token is made of such chunks.  So a pattern whose chunks are all plain
    is exactly its chunks; anything else, or a tokenizer that is not spaCy's own class,
    goes through the tokenizer.  Glossary patterns are nearly all plain words, and
    making a Doc per pattern was most of the cost of building a large glossary."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        from spacy.tokenizer import Tokenizer as SpacyTokenizer

        self._tokenizer = tokenizer
        self._simple = type(tokenizer) is SpacyTokenizer
        self._plain: dict[str, bool] = {}
        if self._simple:
            self._specials = frozenset(tokenizer.rules or ())
            self._prefix = tokenizer.prefix_search
            self._suffix = tokenizer.suffix_search
            self._infixes = tokenizer.infix_finditer

    def _is_plain(self, chunk: str) -> bool:
        found = self._plain.get(chunk)
        if found is None:
            found = self._plain[chunk] = (
                chunk.split() == [chunk]   # no whitespace of any kind inside
                and chunk not in self._specials
                and (self._prefix is None or self._prefix(chunk) is None)
                and (self._suffix is None or self._suffix(chunk) is None)
                and (self._infixes is None or next(iter(self._infixes(chunk)), None) is None))
        return found

    def __call__(self, text: str) -> Tokens:
        if self._simple:
            chunks = text.split(" ")
            if all(self._is_plain(chunk) for chunk in chunks):
                return tuple(chunks)
        return tuple(token.text for token in self._tokenizer(text))


def _group(key: str, forms: Iterable[str], tokens_of: PatternTokenizer) -> PatternGroup | None:
    """One key's patterns, deduplicated, empty ones dropped (None when none is left)."""
    patterns = tuple(dict.fromkeys(p for p in map(tokens_of, forms) if p))
    return PatternGroup(key, patterns) if patterns else None


def compile_glossary(glossary: Glossary, tokenizer: Tokenizer, *,
                     screen: bool = False) -> CompiledGlossary:
    """Every entry's forms (variants, spellings, inflections) as token patterns, with the
    keyword screen too when ``screen`` is true."""
    tokens_of = PatternTokenizer(tokenizer)
    lower: list[PatternGroup] = []
    orth: list[PatternGroup] = []
    veto: list[PatternGroup] = []
    for entry in glossary:
        group = _group(entry.id, entry_forms(entry), tokens_of)
        if group is not None:
            (orth if entry.exact_case else lower).append(group)
        if entry.not_in:
            vetoes = _group(entry.id, expand(entry.not_in, inflect=entry.inflect,
                                             exact_case=False), tokens_of)
            if vetoes is not None:
                veto.append(vetoes)
    compiled = CompiledGlossary(glossary, tuple(lower), tuple(orth), tuple(veto))
    return compiled.with_screen(tokenizer) if screen else compiled
