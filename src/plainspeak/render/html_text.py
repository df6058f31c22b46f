"""The HTML report's document view: source text with highlights and shading, built from offsets.

Findings and sentences are both spans of the same source string, so the markup is made
by walking the offsets once, never by searching the text again: searching would find the
wrong occurrence of a word that appears twice.  Highlights win over shading: a highlight
that crosses a sentence's edge closes the shading around it rather than being split.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from plainspeak.formats.base import paragraph_blocks
from plainspeak.models import Report, SentenceScore
from plainspeak.readability import reading_age

# Lone surrogates cannot be written as UTF-8 and C0 controls are HTML parse errors; each is
# replaced one for one, so the text keeps its length and offsets.
_UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

HARD_AGE = 15        # "many adults will find this hard" (describe_reading_age)
VERY_HARD_AGE = 18   # "hard for most people"
CHART_MAX_AGE = 25   # bars are cut here, so one absurd paragraph does not flatten the rest
AIM_AGE = 11
LABELLED_BARS = 16


def esc(text: str) -> str:
    """Text or attribute value made safe for HTML: every document and glossary string
    passes through here, so a ``<script>`` in a document is shown, never run."""
    return html.escape(_UNSAFE.sub("\ufffd", text), quote=True)


def age_of(grade: float) -> int:
    """A sentence's reading age, rounded as ``describe_reading_age`` rounds it."""
    return round(reading_age(grade))


@dataclass(frozen=True, slots=True)
class Mark:
    """A finding shown in place: ``card`` is the id of the element that explains it."""

    start: int
    end: int
    card: str
    severity: str


@dataclass(frozen=True, slots=True)
class Shade:
    """A shaded sentence; ``level`` is hard, very-hard or long; ``badge`` names its card."""

    start: int
    end: int
    level: str
    age: int
    badge: str


def level_of(sentence: SentenceScore, has_findings: bool) -> str | None:
    """How a sentence is shaded: by reading age, as Hemingway does, or "long" when a
    sentence rule flagged it although its words are easy."""
    age = age_of(sentence.grade)
    if age >= VERY_HARD_AGE:
        return "very-hard"
    if age >= HARD_AGE:
        return "hard"
    return "long" if has_findings else None


LEVEL_WORDS = {"very-hard": "very hard", "hard": "hard", "long": "long"}


def inline_marks(marks: Sequence[Mark], length: int) -> tuple[list[Mark], list[Mark]]:
    """Marks that can be drawn (inside the text, not empty, not overlapping an earlier
    one) and the rest, which are listed but not highlighted."""
    shown: list[Mark] = []
    left: list[Mark] = []
    last_end = 0
    for m in sorted(marks, key=lambda m: (m.start, m.end)):
        if 0 <= m.start < m.end <= length and m.start >= last_end:
            shown.append(m)
            last_end = m.end
        else:
            left.append(m)
    return shown, left


def _crossing(marks: Sequence[Mark], shades: Sequence[Shade]) -> set[str]:
    """Cards of the marks that overlap a shaded sentence without lying inside it.

    Shades are sorted and never overlap, so only the last shade starting before a mark
    ends can hold it: a binary search per mark, not a scan (a big file has thousands)."""
    starts = [s.start for s in shades]
    out: set[str] = set()
    for m in marks:
        i = bisect.bisect_left(starts, m.end) - 1
        if i >= 0 and shades[i].end > m.start and not (
                shades[i].start <= m.start and m.end <= shades[i].end):
            out.add(m.card)
    return out


def _badge(shade: Shade) -> str:
    words = LEVEL_WORDS[shade.level]
    return (f'<span class="age {shade.level}" role="button" tabindex="0" '
            f'data-card="{shade.badge}" id="a-{shade.badge}" aria-haspopup="dialog" '
            f'aria-expanded="false" aria-controls="panel">{words}: age {shade.age}</span>')


def highlighted(source: str, marks: Sequence[Mark], shades: Sequence[Shade],
                anchors: Sequence[tuple[int, str]] = ()) -> str:
    """The whole source as escaped HTML with ``<mark>`` highlights inside sentence shading,
    a reading-age badge after each shaded sentence and empty anchors at ``anchors``."""
    n = len(source)
    shades = sorted((s for s in shades if 0 <= s.start < s.end <= n), key=lambda s: s.start)
    marks = sorted(marks, key=lambda m: m.start)
    crossing = _crossing(marks, shades)
    anchor_at: dict[int, list[str]] = {}
    for offset, name in anchors:
        if 0 <= offset <= n:
            anchor_at.setdefault(offset, []).append(name)
    cuts = sorted({0, n, *anchor_at, *(x for m in marks for x in (m.start, m.end)),
                   *(x for s in shades for x in (s.start, s.end))})
    out: list[str] = []
    open_mark: Mark | None = None
    open_shade: Shade | None = None
    pending: list[Shade] = []   # shaded sentences whose badge is still to be written
    mi = si = 0
    for i, p in enumerate(cuts):
        if open_mark is not None and open_mark.end <= p:
            out.append("</mark>")
            open_mark = None
        starting = marks[mi] if mi < len(marks) and marks[mi].start == p else None
        current = open_mark or starting
        while si < len(shades) and shades[si].end <= p:
            si += 1
        here = shades[si] if si < len(shades) and shades[si].start <= p else None
        want = None if current is not None and current.card in crossing else here
        if open_shade is not None and open_shade is not want:
            out.append("</span>")
            open_shade = None
        if open_mark is None:
            while pending and pending[0].end <= p:
                out.append(_badge(pending.pop(0)))
        out.extend(f'<span class="anchor" id="{name}"></span>' for name in anchor_at.get(p, ()))
        if here is not None and not any(here is s for s in pending):
            pending.append(here)   # its badge is written even if a highlight hides it all
        if want is not None and open_shade is not want:
            out.append(f'<span class="sent {want.level}">')
            open_shade = want
        if starting is not None:
            out.append(
                f'<mark class="hl sev-{starting.severity}" id="m-{starting.card}" '
                f'data-card="{starting.card}" role="button" tabindex="0" '
                f'aria-haspopup="dialog" aria-expanded="false" aria-controls="panel" '
                f'aria-describedby="{starting.card}-msg" '
                f'data-start="{starting.start}" data-end="{starting.end}">')
            open_mark = starting
            mi += 1
        if i + 1 < len(cuts):
            out.append(esc(source[p:cuts[i + 1]]))
    for shade in pending:
        out.append(_badge(shade))
    return "".join(out)


def paragraphs(report: Report) -> list[tuple[int, int]]:
    """The paragraphs of a report's source: lines in Word (one paragraph per line),
    otherwise runs of lines between blank lines."""
    if report.format == "docx":
        spans: list[tuple[int, int]] = []
        pos = 0
        for line in report.source.split("\n"):
            if line.strip():
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans
    return [(b.start, b.end) for b in paragraph_blocks(report.source)]


@dataclass(frozen=True, slots=True)
class Bar:
    """One paragraph in the difficulty chart."""

    start: int
    line: int
    age: float
    words: int


def difficulty(report: Report) -> list[Bar]:
    """Reading age of each paragraph that holds a scored sentence: the grade of its
    sentences weighted by their words, so a short heading does not count as much."""
    bars: list[Bar] = []
    sentences = sorted(report.sentences, key=lambda s: s.start)
    k = 0
    for start, end in paragraphs(report):
        words = 0
        weighted = 0.0
        while k < len(sentences) and sentences[k].start < end:
            if sentences[k].start >= start:
                words += sentences[k].words
                weighted += sentences[k].grade * sentences[k].words
            k += 1
        if words:
            line = report.source.count("\n", 0, start) + 1
            bars.append(Bar(start, line, reading_age(weighted / words), words))
    return bars


def band(age: float) -> str:
    """The colour band of a reading age, matching the sentence shading."""
    shown = round(age)
    if shown >= VERY_HARD_AGE:
        return "very-hard"
    if shown >= HARD_AGE:
        return "hard"
    return "ok" if shown > AIM_AGE else "easy"


def chart(bars: Sequence[Bar], anchor: str) -> str:
    """A small inline SVG bar chart of reading age by paragraph; each bar links to its
    paragraph and has a title, and the figure has a text summary for screen readers."""
    if not bars:
        return ""
    width, height, top, left = 320, 124, 12, 26
    plot_h = height - top - 18
    step = (width - left - 4) / len(bars)
    bar_w = max(1.0, min(24.0, step * 0.8))

    def y(age: float) -> float:
        return top + plot_h * (1 - min(age, CHART_MAX_AGE) / CHART_MAX_AGE)

    hardest = max(range(len(bars)), key=lambda i: bars[i].age)
    summary = (f"Reading age of each of {len(bars)} paragraphs. The hardest is paragraph "
               f"{hardest + 1} (line {bars[hardest].line}) at about age "
               f"{round(bars[hardest].age)}; the dashed line is age {AIM_AGE}, the aim.")
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{anchor}-chart-title" focusable="false">'
             f'<title id="{anchor}-chart-title">{esc(summary)}</title>']
    for age in (5, 10, 15, 20, 25):
        tick = f"{age}+" if age == CHART_MAX_AGE else str(age)
        parts.append(f'<text class="tick" x="{left - 4}" y="{y(age) + 3:.1f}" '
                     f'text-anchor="end">{tick}</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width}" '
                 f'y2="{top + plot_h}"/>')
    for i, b in enumerate(bars):
        x = left + 2 + i * step + (step - bar_w) / 2
        label = (f"Paragraph {i + 1}, line {b.line}: about age {round(b.age)}, "
                 f"{b.words} words")
        parts.append(
            f'<a href="#{anchor}-p{i + 1}" aria-label="{esc(label)}">'
            f'<rect class="bar {band(b.age)}" x="{x:.1f}" y="{y(b.age):.1f}" '
            f'width="{bar_w:.1f}" height="{top + plot_h - y(b.age):.1f}">'
            f'<title>{esc(label)}</title></rect></a>')
        if len(bars) <= LABELLED_BARS:   # a number on each bar, while there is room
            parts.append(f'<text class="value" x="{x + bar_w / 2:.1f}" '
                         f'y="{max(y(b.age) - 2, 7):.1f}" text-anchor="middle" '
                         f'aria-hidden="true">{round(b.age)}</text>')
    parts.append(f'<line class="aim" x1="{left}" y1="{y(AIM_AGE):.1f}" x2="{width}" '
                 f'y2="{y(AIM_AGE):.1f}"/>')
    parts.append(f'<text class="tick" x="{left + 2}" y="{height - 4}">first paragraph'
                 f'</text><text class="tick" x="{width - 2}" y="{height - 4}" '
                 f'text-anchor="end">last</text></svg>')
    return "".join(parts)
