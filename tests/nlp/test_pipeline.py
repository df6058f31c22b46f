"""The matcher's plumbing: whitespace normalisation, chunking and keyword prefiltering."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from plainspeak.nlp.pipeline import GlossaryMatcher, english_tokenizer, iter_chunks, normalise

TEXT = st.text(alphabet=st.sampled_from(list("ab \n\t\r.-")) | st.characters(), max_size=200)


@given(TEXT)
def test_normalise_maps_every_kept_character_back(text: str) -> None:
    norm = normalise(text)
    for i, ch in enumerate(norm.text):
        j = norm.to_original(i)
        if ch == " ":
            assert text[j].isspace()
        else:
            assert text[j] == ch
    assert "  " not in norm.text and "\n" not in norm.text


@given(TEXT, st.integers(min_value=5, max_value=50))
def test_chunks_cover_the_text_exactly(text: str, limit: int) -> None:
    chunks = list(iter_chunks(text, limit))
    assert "".join(c for _, c in chunks) == text
    assert all(len(c) <= limit for _, c in chunks)
    assert [o for o, _ in chunks] == [sum(len(c) for _, c in chunks[:i])
                                      for i in range(len(chunks))]


def test_phrase_over_a_line_break_and_extra_spaces(engine_glossary) -> None:
    matcher = GlossaryMatcher(engine_glossary)
    text = "Ask the service\n   users today."
    [[hit]] = list(matcher.hits([text]))
    assert text[hit.start:hit.end] == "service\n   users"


def test_prefilter_skips_texts_without_keywords(engine_glossary) -> None:
    matcher = GlossaryMatcher(engine_glossary)
    assert not matcher.may_match("Nothing to see here at all.")
    assert matcher.may_match("A Budget.")


def test_long_texts_are_cut_at_sentences_not_inside_a_phrase() -> None:
    from plainspeak.api import CHUNK_CHARS

    head = "We met. " * ((CHUNK_CHARS - 20) // 8)
    text = head + "x" * (CHUNK_CHARS - len(head) - 10) + " service users met.\n"
    # the last space inside the first window is the one between the two words
    assert text.index("users") < CHUNK_CHARS < text.index("users") + len("users")
    pieces = list(iter_chunks(text, CHUNK_CHARS))
    assert "".join(p for _, p in pieces) == text
    assert any("service users" in p for _, p in pieces)


@lru_cache(maxsize=1)
def _blank_english_tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def test_the_tokenizer_is_spacy_blank_english_s() -> None:
    ours, theirs = english_tokenizer(), _blank_english_tokenizer()
    assert ours.rules == theirs.rules
    for name in ("prefix_search", "suffix_search", "infix_finditer"):
        assert getattr(ours, name).__self__.pattern == getattr(theirs, name).__self__.pattern
    assert ours.token_match == theirs.token_match
    assert ours.url_match == theirs.url_match


# words the tokenizer treats specially: contractions, units, times, URLs, emoticons
PIECES = ["can't", "don't", "gonna", "10km", "5pm", "1am", "e.g.", "Mr.", "U.S.",
          "https://example.org/a?b=c", "co-production", "(aftercare)", "£5.50", ":)",
          "“quoted”", "it's", "o'clock", "N'T", "section 117", "...", "—", "\n"]
WORDS = st.lists(st.sampled_from(PIECES) | st.text(min_size=1, max_size=8),
                 max_size=30).map(" ".join)


@given(WORDS)
def test_the_tokenizer_splits_text_as_spacy_blank_english_does(text: str) -> None:
    ours = [(t.idx, t.text) for t in english_tokenizer()(text)]
    assert ours == [(t.idx, t.text) for t in _blank_english_tokenizer()(text)]
