"""The HTML renderer: one self-contained page that shows each document with its problems in place.

Many readers are not developers (a social worker with a letter, a group of care leavers
reading a web page together), so the page shows the text itself, highlighted, rather
than line numbers.  It must open from disk and survive being e-mailed: inline CSS and a
small inline script, no fonts, images or network.  Every document and glossary string
is escaped, and a Content-Security-Policy allows only the page's own script and style
(by hash), so even a mistake in escaping could not run a document's script.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from plainspeak.models import Finding, Report, RunSummary, SentenceScore
from plainspeak.render import display_path, resolve_version
from plainspeak.render.html_text import (
    LEVEL_WORDS,
    Bar,
    Mark,
    Shade,
    age_of,
    chart,
    difficulty,
    esc,
    highlighted,
    inline_marks,
    level_of,
)
from plainspeak.render.text import summary_line
from plainspeak.rules import RULES

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary

SENTENCE_RULES = frozenset({"PS201", "PS202"})
TOP_TERMS = 5


@cache
def asset(name: str) -> str:
    """The page's CSS or script, shipped as package data next to this module."""
    return resources.files("plainspeak.render").joinpath(name).read_text(encoding="utf-8")


def csp_hash(code: str) -> str:
    """A CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def describe_ease(score: float) -> str:
    """Flesch reading ease in words (Flesch's own bands; plain English is 60 or more)."""
    for floor, words in ((90, "very easy"), (80, "easy"), (70, "fairly easy"),
                         (60, "plain English"), (50, "fairly hard"), (30, "hard")):
        if score >= floor:
            return words
    return "very hard"


def _title(f: Finding) -> str:
    if f.rule == "PS101":
        return f.text
    return f.name.replace("-", " ").capitalize()


def _stem(words: str) -> str:
    """Enough of a phrase to tell a different term ("LA" for "local authority") from an
    inflection ("required" for "require"), which needs no note."""
    return " ".join(w[:4] for w in words.lower().split())


def _where(report: Report, f: Finding) -> str:
    if f.where:
        return f.where[:1].upper() + f.where[1:]
    return f"Line {f.line}, column {f.column}"


def finding_card(report: Report, f: Finding, card: str, target: str | None) -> str:
    """One finding explained: what, where, why and what to write instead."""
    rule = RULES.get(f.rule)
    parts = [f'<li class="card sev-{esc(f.severity.value)}" id="{card}" '
             f'data-title="{esc(_title(f))}">',
             f'<h4 class="card-title">{esc(_title(f))}</h4>',
             f'<p class="meta"><span class="sev">{esc(f.severity.value)}</span> '
             f'{esc(f.rule)} {esc(f.name)} · {esc(_where(report, f))}</p>',
             f'<p class="msg" id="{card}-msg">{esc(f.message)}</p>']
    if f.term and _stem(f.term) != _stem(f.text):
        parts.append(f'<p>Glossary term: <span class="term">{esc(f.term)}</span></p>')
    if f.alternatives:
        tries = "".join(f"<li>{esc(a)}</li>" for a in f.alternatives)
        parts.append(f'<p class="try-label">Plainer words to try:</p><ul class="try">'
                     f'{tries}</ul>')
    if f.explanation and f.explanation.strip():
        parts.append(f'<p class="why"><strong>Why:</strong> {esc(f.explanation.strip())}</p>')
    elif rule is not None and f.rule != "PS101":
        parts.append(f'<p class="why"><strong>What to do:</strong> {esc(rule.help)}</p>')
    if target:
        parts.append(f'<p class="goto"><a href="#{target}">Show it in the text</a></p>')
    parts.append("</li>")
    return "".join(parts)


def sentence_card(sentence: SentenceScore, level: str, card: str,
                  findings: Sequence[Finding]) -> str:
    """What a shaded sentence's badge opens: its reading age and the sentence rules hit."""
    from plainspeak.readability import describe_reading_age

    age = age_of(sentence.grade)
    title = f"A {LEVEL_WORDS[level]} sentence"
    parts = [f'<div id="{card}" data-title="{esc(title)}">',
             f"<p><strong>Reading age:</strong> {esc(describe_reading_age(age))}.</p>"
             f"<p>{_plural(sentence.words, 'word')}.</p>"]
    for f in findings:
        parts.append(f'<p class="msg">{esc(f.message)}</p>')
    helps = {RULES[f.rule].help for f in findings if f.rule in RULES}
    advice = " ".join(sorted(helps)) or RULES["PS202"].help
    parts.append(f'<p class="why"><strong>What to do:</strong> {esc(advice)}</p></div>')
    return "".join(parts)


def _sentence_of(sentences: Sequence[SentenceScore], starts: Sequence[int], f: Finding
                 ) -> int | None:
    """The sentence (sorted, never overlapping) that holds the finding's start."""
    k = bisect.bisect_right(starts, f.start) - 1
    return k if k >= 0 and f.start < sentences[k].end else None


def _summary(report: Report, prefix: str, bars: Sequence[Bar]) -> str:
    r = report.readability
    jargon = [f for f in report.findings if f.rule == "PS101"]
    distinct = {(f.entry_id or f.text.lower()) for f in jargon}
    rows: list[tuple[str, str]] = []
    if r is not None and r.words:
        rows.append(("Reading age", esc(r.reading_age_words)))
        ease = r.flesch_reading_ease
        scale = " out of 100" if 0 <= ease <= 100 else ""   # the formula can leave 0-100
        rows.append(("Flesch reading ease", f"{ease:.0f}{scale}: {describe_ease(ease)} "
                                            "(plain English is 60 or more)"))
        rows.append(("Length", f"{_plural(r.words, 'word')} in "
                               f"{_plural(r.sentences, 'sentence')}"))
    rows.append(("Jargon", f"{_plural(len(jargon), 'jargon term')}"
                           f" ({len(distinct)} different)" if jargon else "no jargon found"))
    other = Counter(f.name.replace("-", " ") for f in report.findings if f.rule != "PS101")
    if other:
        rows.append(("Other problems", ", ".join(_plural(n, name) for name, n in
                                                 sorted(other.items()))))
    items = "".join(f'<div class="stat"><dt>{k}</dt><dd>{v}</dd></div>' for k, v in rows)
    out = [f'<section class="summary" aria-labelledby="{prefix}-sum">'
           f'<h3 id="{prefix}-sum">Summary</h3><dl class="stats">{items}</dl>']
    out.append(_top_terms(jargon, f"{prefix}-terms"))
    if len(bars) > 1:
        out.append(f'<figure class="figure"><figcaption id="{prefix}-cap">How hard each '
                   f'paragraph is to read (reading age)</figcaption>'
                   f'{chart(bars, prefix)}</figure>')
    out.append("</section>")
    return "".join(out)


def _top_terms(jargon: Sequence[Finding], label: str) -> str:
    if not jargon:
        return ""
    counts = Counter((f.term or f.text).lower() for f in jargon)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS]
    items = "".join(f'<li><span class="term">{esc(term)}</span> '
                    f'<span class="count">× {n}</span></li>' for term, n in top)
    return (f'<h4 id="{label}">Terms that appear most</h4>'
            f'<ol class="terms" aria-labelledby="{label}">{items}</ol>')


def file_section(report: Report, index: int) -> str:
    """One document: summary, the highlighted text, then every finding as a card."""
    prefix = f"file-{index}"
    name = esc(display_path(report.path))
    out = [f'<section class="file" id="{prefix}" aria-labelledby="{prefix}-title">'
           f'<h2 id="{prefix}-title"><span class="path">{name}</span></h2>']
    if report.error is not None:
        out.append(f'<p class="error">This file could not be read: {esc(report.error)}</p>'
                   "</section>")
        return "".join(out)
    bars = difficulty(report)
    out.append(_summary(report, prefix, bars))
    sentences = sorted(report.sentences, key=lambda s: s.start)
    starts = [s.start for s in sentences]
    by_sentence: dict[int, list[tuple[str, Finding]]] = {}
    marks: list[Mark] = []
    cards: dict[int, str] = {}
    for j, f in enumerate(report.findings, 1):
        card = f"f{index}-{j}"
        k = _sentence_of(sentences, starts, f) if f.rule in SENTENCE_RULES else None
        if k is not None:
            by_sentence.setdefault(k, []).append((card, f))
        else:
            marks.append(Mark(f.start, f.end, card, esc(f.severity.value)))
        cards[j] = card
    shown, _ = inline_marks(marks, len(report.source))
    shown_cards = {m.card for m in shown}
    shades: list[Shade] = []
    sentence_cards: list[str] = []
    targets: dict[str, str] = {m.card: f"m-{m.card}" for m in shown}
    for k, s in enumerate(sentences):
        level = level_of(s, k in by_sentence)
        if level is None:
            continue
        badge = f"s{index}-{k + 1}"
        shades.append(Shade(s.start, s.end, level, age_of(s.grade), badge))
        hits = by_sentence.get(k, [])
        sentence_cards.append(sentence_card(s, level, badge, [f for _, f in hits]))
        targets.update((card, f"a-{badge}") for card, _ in hits)
    anchors = [(b.start, f"{prefix}-p{i}") for i, b in enumerate(bars, 1)]
    body = highlighted(report.source, shown, shades, anchors)
    out.append(f'<section aria-labelledby="{prefix}-text"><h3 id="{prefix}-text">The text'
               f'</h3>{_legend(report, len(shown_cards))}'
               f'<div class="doc" lang="en-GB">{body}</div>'
               f'<div class="sentence-cards" hidden>{"".join(sentence_cards)}</div></section>')
    if report.findings:
        items = "".join(finding_card(report, f, cards[j], targets.get(cards[j]))
                        for j, f in enumerate(report.findings, 1))
        out.append(f'<section aria-labelledby="{prefix}-list"><h3 id="{prefix}-list">'
                   f'Every problem, in order ({len(report.findings)})</h3>'
                   f'<ol class="cards">{items}</ol></section>')
    else:
        out.append('<p class="clear">No problems found in this file.</p>')
    out.append("</section>")
    return "".join(out)


def _legend(report: Report, shown: int) -> str:
    hint = ("Select a highlighted word, or press Enter on it, to see plainer words. "
            if shown else "")
    kinds = ('<span class="key"><mark class="hl sev-error">error</mark> wavy underline'
             '</span> <span class="key"><mark class="hl sev-warning">warning</mark> solid'
             '</span> <span class="key"><mark class="hl sev-info">info</mark> dotted</span> '
             '<span class="key"><span class="sent long">long sentence</span></span> '
             '<span class="key"><span class="sent hard">hard sentence</span></span> '
             '<span class="key"><span class="sent very-hard">very hard sentence</span></span>')
    where = (" Word files are shown as their text, one paragraph per line."
             if report.format == "docx" else "")
    return (f'<p class="legend">{hint}Every problem is also listed after the text.{where}'
            f'</p><p class="keys" aria-hidden="true">{kinds}</p>')


def index_section(reports: Sequence[Report]) -> str:
    """One row per file, sortable by any column, each linking to the file's section."""
    rows: list[str] = []
    for i, r in enumerate(reports, 1):
        name = esc(display_path(r.path))
        jargon = sum(1 for f in r.findings if f.rule == "PS101")
        if r.error is not None or r.readability is None:
            age = ease = ""
            age_cell = "could not be read" if r.error else "-"
            ease_cell = "-"
        else:
            scores = r.readability
            age, ease = f"{scores.reading_age:.1f}", f"{scores.flesch_reading_ease:.1f}"
            age_cell = str(round(scores.reading_age))
            ease_cell = str(round(scores.flesch_reading_ease))
        rows.append(f'<tr><th scope="row" data-sort="{name}"><a href="#file-{i}">{name}</a>'
                    f'</th><td data-sort="{age}">{age_cell}</td>'
                    f'<td data-sort="{ease}">{ease_cell}</td>'
                    f'<td data-sort="{jargon}">{jargon}</td>'
                    f'<td data-sort="{len(r.findings)}">{len(r.findings)}</td></tr>')
    heads = [("File", "text"), ("Reading age", "number"), ("Reading ease", "number"),
             ("Jargon terms", "number"), ("All problems", "number")]
    ths = "".join(f'<th scope="col" data-type="{kind}"><button type="button">{label}'
                  f'</button></th>' for label, kind in heads)
    return ('<nav class="index" id="index" aria-labelledby="index-title">'
            '<h2 id="index-title">Files</h2>'
            f'<p>{esc(summary_line(reports))} {_overall_terms(reports)}</p>'
            '<p class="hint">Select a column heading to sort by it.</p>'
            '<div class="table-wrap"><table class="sortable"><caption class="visually-hidden">'
            'Files checked, one row each</caption>'
            f'<thead><tr>{ths}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            '</nav>')


def _overall_terms(reports: Sequence[Report]) -> str:
    counts = Counter((f.term or f.text).lower() for r in reports for f in r.findings
                     if f.rule == "PS101")
    if not counts:
        return ""
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS]
    return "Terms that appear most: " + ", ".join(f"{esc(t)} ({n})" for t, n in top) + "."


def render(
    reports: Sequence[Report],
    *,
    color: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    glossary: Glossary | None = None,
    tool_version: str | None = None,
    **_: Any,
) -> str:
    """The whole report as one HTML document; terminal options (``color``, ``quiet``,
    ``statistics``) do not apply to a page, and findings already carry their glossary
    text, so ``glossary`` is not needed either."""
    version = esc(resolve_version(tool_version))
    css, script = asset("report.css"), asset("report.js")
    csp = (f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(script)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    if len(reports) == 1:
        title = f"Plain language report: {esc(display_path(reports[0].path))}"
    else:
        title = f"Plain language report: {_plural(len(reports), 'file')}"
    summary = RunSummary.of(list(reports))
    intro = (f"{_plural(summary.files, 'file')} checked by plainspeak {version}. "
             "Highlights show words with plainer alternatives; shading shows hard sentences.")
    sections = "".join(file_section(r, i) for i, r in enumerate(reports, 1))
    nav = index_section(reports) if len(reports) > 1 else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        f'<meta name="generator" content="plainspeak {version}">\n'
        f'<link rel="icon" href="data:,">\n<title>{title}</title>\n'
        f'<style>{css}</style>\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to the report</a>\n'
        f'<header class="top"><h1>Plain language report</h1><p>{intro}</p></header>\n'
        f'<main id="main" tabindex="-1">{nav}{sections}</main>\n'
        '<div id="panel" class="panel" role="dialog" aria-modal="false" '
        'aria-labelledby="panel-title" hidden><div class="panel-head">'
        '<h2 id="panel-title" tabindex="-1"></h2><button type="button" class="close">'
        'Close</button></div><div class="panel-body"></div></div>\n'
        f'<footer class="foot"><p>Made by plainspeak {version}. Reading ages are UK ages '
        'from the Flesch-Kincaid grade; aim for about age 11.</p></footer>\n'
        f'<script>{script}</script>\n</body>\n</html>'
    )
