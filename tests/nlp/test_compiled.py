"""Compiling a glossary gives the matcher exactly the patterns the tokenizer would."""

from __future__ import annotations

from pathlib import Path

import pytest

from plainspeak.glossary.loader import load_glossary
from plainspeak.glossary.model import Glossary
from plainspeak.nlp.compiled import PatternTokenizer, compile_glossary
from plainspeak.nlp.forms import entry_forms, expand
from plainspeak.nlp.pipeline import GlossaryMatcher, english_tokenizer

TRICKY = [
    "can't", "cannot", "Can't", "gonna", "don't do it", "co-production", "co production",
    "U.K.", "10km", "13 km", "Mr. Smith", "e.g.", "i.e. this", "A&E", "£5", "s.117",
    "section 117", "carer's", "carer\u2019s", "(CHC)", "N/A", "1:1", "24/7", "well-being",
    "a.m.", "'s", "ain't", "y'all", ":)", ":-)", "o.O", "St. John's", "St.", "etc.",
    "\u00e9t\u00e9", "na\u00efve", "U.S.", "-", "\u2014 care", "http://x.org", "x@y.org",
    "co-ordinated care", "50%", "#tag", "\"quoted\"", "it's", "Its'", "10am", "x\u00a0y",
]


def all_forms(glossary: Glossary) -> list[str]:
    forms = [f for entry in glossary for f in entry_forms(entry)]
    forms += [f for entry in glossary if entry.not_in
              for f in expand(entry.not_in, inflect=entry.inflect, exact_case=False)]
    return forms


def reference_tokens(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in english_tokenizer()(text))


def test_pattern_tokens_equal_the_tokenizers(builtin_checker, engine_glossary) -> None:
    tokens_of = PatternTokenizer(english_tokenizer())
    texts = [*all_forms(builtin_checker.glossary), *all_forms(engine_glossary), *TRICKY,
             *(t.upper() for t in TRICKY), *(t.title() for t in TRICKY)]
    for text in texts:
        assert tokens_of(text) == reference_tokens(text), text


def made_up_glossary(path: Path, n: int) -> Glossary:
    """Entries of made-up words, inflected by lemminflect as a user glossary's are (like
    the benchmark's ten-times glossary)."""
    syllables = ["ka", "lo", "mi", "ne", "pu", "ro", "si", "ta", "vu", "ze"]

    def word(i: int, salt: str) -> str:
        return salt + "".join(syllables[(i // 10 ** k) % 10] for k in range(4))

    lines = ["entries:"]
    for i in range(n):
        lines += [f"  - id: made-up-{i}", f"    term: {word(i, 'zq')} {word(i, 'qx')}",
                  "    category: officialese", "    alternatives: [plain words]",
                  "    explanation: A made-up term."]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return load_glossary(path, builtin=False)


def test_pattern_tokens_of_made_up_words(tmp_path: Path) -> None:
    glossary = made_up_glossary(tmp_path / "made-up.yaml", 300)
    tokens_of = PatternTokenizer(english_tokenizer())
    for text in all_forms(glossary):
        assert tokens_of(text) == reference_tokens(text), text


def test_pattern_ids_equal_the_tokenizers(builtin_checker, engine_glossary) -> None:
    """The matcher adds patterns as attribute ids: they must be the ids of the tokens
    the tokenizer makes of the same text, in both cases."""
    from spacy.strings import get_string_id

    tokenizer = english_tokenizer()
    for glossary in (builtin_checker.glossary, engine_glossary):
        compiled = compile_glossary(glossary, tokenizer)
        for groups in (compiled.lower, compiled.orth, compiled.veto):
            for group in groups:
                for pattern in group.patterns:
                    doc = tokenizer(" ".join(pattern))
                    orth = [get_string_id(t) for t in pattern]
                    lower = [get_string_id(t.lower()) for t in pattern]
                    assert [t.orth for t in doc] == orth, pattern
                    assert [t.lower for t in doc] == lower, pattern


def test_compiled_keeps_every_entry_and_key(engine_glossary) -> None:
    compiled = compile_glossary(engine_glossary, english_tokenizer())
    assert compiled.glossary is engine_glossary
    keys = [g.key for g in (*compiled.lower, *compiled.orth)]
    assert sorted(keys) == sorted(e.id for e in engine_glossary)
    assert {g.key for g in compiled.orth} == {e.id for e in engine_glossary if e.exact_case}
    assert {g.key for g in compiled.veto} == {e.id for e in engine_glossary if e.not_in}
    assert compiled.screen is None
    assert compiled.with_screen(english_tokenizer()).screen is not None


@pytest.mark.parametrize("screen", [False, True])
def test_matcher_from_compiled_equals_matcher_from_glossary(engine_glossary,
                                                           screen: bool) -> None:
    tokenizer = english_tokenizer()
    compiled = compile_glossary(engine_glossary, tokenizer, screen=screen)
    texts = [t for e in engine_glossary for t in (*e.examples.flag, *e.examples.pass_)]
    a = GlossaryMatcher(engine_glossary)
    b = GlossaryMatcher(compiled)
    for use_screen in (False, True):
        assert ([[(h.start, h.end, h.entry) for h in hits]
                 for hits in a.hits(texts, screen=use_screen)]
                == [[(h.start, h.end, h.entry) for h in hits]
                    for hits in b.hits(texts, screen=use_screen)])
    assert a.keywords == b.keywords
