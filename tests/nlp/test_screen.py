"""The keyword screen never drops a match: hits with it equal hits without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.api import Checker
from plainspeak.nlp.pipeline import GlossaryMatcher, Hit
from plainspeak.nlp.screen import can_glue

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "service-explorer"


def _key(hits: list[Hit]) -> list[tuple[int, int, str]]:
    return [(h.start, h.end, h.entry.id) for h in hits]


def assert_same(matcher: GlossaryMatcher, texts: list[str]) -> int:
    """Hits with and without the screen are identical; returns how many there were."""
    screened = [_key(h) for h in matcher.hits(texts, screen=True)]
    full = [_key(h) for h in matcher.hits(texts, screen=False)]
    for text, a, b in zip(texts, screened, full, strict=True):
        assert a == b, text
    return sum(len(h) for h in full)


@pytest.fixture(scope="module")
def builtin_matcher(builtin_checker: Checker) -> GlossaryMatcher:
    return builtin_checker.matcher


def test_glossary_examples(builtin_matcher: GlossaryMatcher) -> None:
    examples = [text for entry in builtin_matcher.glossary
                for text in (*entry.examples.flag, *entry.examples.pass_)]
    assert examples
    assert assert_same(builtin_matcher, examples) > 0


def test_engine_glossary_examples(engine_glossary) -> None:
    matcher = GlossaryMatcher(engine_glossary)
    examples = [text for entry in engine_glossary
                for text in (*entry.examples.flag, *entry.examples.pass_)]
    assert_same(matcher, examples)


def test_every_term_in_a_long_paragraph(builtin_matcher: GlossaryMatcher) -> None:
    """All terms at once: windows merge, and the longest match still wins."""
    terms = [form for entry in builtin_matcher.glossary for form in entry.surface_forms]
    paragraph = " and ".join(terms)
    assert assert_same(builtin_matcher, [paragraph, paragraph.upper(), paragraph.title()]) > 0


@pytest.mark.parametrize("text", [
    "WE CAN'T DO THAT.", "We can't.", "It is 13km away, at 10am, or 1pm.",
    "A co - production and co-production and coproduction.",
    "service\u2060users", "Service users' needs", "(service users)", "Ask the LA.",
    "İstanbul service users", "", " ", "care-package care package carepackage",
])
def test_tricky_texts(builtin_matcher: GlossaryMatcher, text: str) -> None:
    assert_same(builtin_matcher, [text])


def test_glued_pieces_are_never_keywords(builtin_matcher: GlossaryMatcher) -> None:
    tokenizer = builtin_matcher.tokenizer
    assert can_glue(tokenizer, "ca") and can_glue(tokenizer, "km") and can_glue(tokenizer, "13")
    assert not can_glue(tokenizer, "package")
    assert not {"ca", "n't", "km", "do"} & builtin_matcher.keywords - {"ca"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repo")
def test_corpus_pages(builtin_checker: Checker, builtin_matcher: GlossaryMatcher) -> None:
    """Every 8th page of the real corpus, block by block as the checker sends them."""
    pages = sorted(CORPUS.rglob("*.md"))[::8]
    texts: list[str] = []
    for page in pages:
        document = builtin_checker.read(page)
        texts.extend(document.prose[b.start:b.end] for b in document.blocks)
    joined = "\n\n".join(texts)
    assert assert_same(builtin_matcher, [*texts, joined]) > 100


_WORDS = re.compile(r"[^\W_]+|[^\w\s]")


@pytest.fixture(scope="module")
def vocabulary(builtin_matcher: GlossaryMatcher) -> list[str]:
    words = {w for entry in builtin_matcher.glossary for form in entry.surface_forms
             for w in _WORDS.findall(form)}
    return sorted(words)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_random_texts_of_glossary_words(builtin_matcher: GlossaryMatcher,
                                        vocabulary: list[str], data: st.DataObject) -> None:
    """Glossary words, glued pieces and punctuation, joined by spaces or nothing."""
    pieces = st.sampled_from(vocabulary) | st.sampled_from(
        ["can", "not", "n't", "'s", "CA", "ca", "10", "km", "am", "-", ".", "(", ")", '"',
         "\u2019", "/", "&", "gon", "na", "LA", "Do"])
    cased = st.tuples(pieces, st.sampled_from(["", "upper", "title"])).map(
        lambda pc: pc[0].upper() if pc[1] == "upper" else pc[0].title() if pc[1] else pc[0])
    parts = data.draw(st.lists(st.tuples(cased, st.sampled_from([" ", "", "  ", "\n"])),
                               max_size=40))
    text = "".join(word + sep for word, sep in parts)
    assert_same(builtin_matcher, [text])
