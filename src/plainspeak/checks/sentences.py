"""PS201 long-sentence and PS202 hard-sentence: where the text is hard, not only that it is."""

from __future__ import annotations

from collections.abc import Iterator

from plainspeak.checks.context import CheckContext
from plainspeak.models import Finding
from plainspeak.readability import reading_age
from plainspeak.rules import HARD_SENTENCE, LONG_SENTENCE


def sentence_findings(ctx: CheckContext) -> Iterator[Finding]:
    """One finding per sentence that is too long or, if not long, too hard.

    A long sentence is nearly always hard too; reporting both would say one thing twice."""
    limit = ctx.settings.max_sentence_words
    max_grade = ctx.settings.max_grade
    for s in ctx.sentences:
        if s.words > limit:
            yield ctx.finding(
                LONG_SENTENCE.code, s.start, s.end,
                f"This sentence has {s.words} words. Try to keep sentences to {limit} words"
                " or fewer: split it in two.",
                ctx.severity(LONG_SENTENCE.code, LONG_SENTENCE.severity),
            )
        elif s.grade > max_grade and s.words >= 4:
            age = round(reading_age(s.grade))
            yield ctx.finding(
                HARD_SENTENCE.code, s.start, s.end,
                f"This sentence is hard to read (reading age {age}). Try shorter words"
                " and one idea at a time.",
                ctx.severity(HARD_SENTENCE.code, HARD_SENTENCE.severity),
            )
