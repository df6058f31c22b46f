"""PS101 jargon: glossary hits turned into findings a writer can act on.

The matcher says where a term is; this decides whether it is worth saying: terms the
project allows, "[sic]", words that only count near other words, and terms that only
need explaining once (acronyms and kept legal terms) are handled here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from plainspeak.checks.context import CheckContext
from plainspeak.fix import replacements
from plainspeak.glossary.model import Entry
from plainspeak.models import Finding, Fix
from plainspeak.nlp.pipeline import Hit
from plainspeak.rules import JARGON
from plainspeak.sentences import words

_SIC = re.compile(r"\s*\[sic\]", re.IGNORECASE)
_EXPLAINED_AFTER = re.compile(
    r"\s*(?:\(|,?\s*[-\u2013\u2014:]?\s*(?:this|which|that)\s+means\b|,?\s+meaning\b)",
    re.IGNORECASE,
)
_OPENED_BEFORE = re.compile(r"\(\s*$")


def quote(text: str) -> str:
    return "\u2018" + " ".join(text.split()) + "\u2019"


def message(entry: Entry, written: str) -> str:
    """What to tell the writer, in plain words."""
    said = quote(written)
    alternatives = [a for a in entry.alternatives if a]
    if entry.category == "acronym":
        meaning = f" ({alternatives[0]})" if alternatives else ""
        return f"{said} is an abbreviation{meaning}. Write it out in full the first time."
    if entry.keep:
        return (f"{said} may be the right term, but explain it the first time you use it,"
                " for example in brackets.")
    kind = "officialese" if entry.category == "officialese" else "jargon"
    if not alternatives:
        return f"{said} is {kind}. Say what you mean in everyday words."
    tries = " or ".join(quote(a) for a in alternatives[:2])
    return f"{said} is {kind}. Try {tries}."


def _explained(prose: str, hit: Hit) -> bool:
    """Is this use of a term explained right here?  "direct payments (money ...)",
    "Care Quality Commission (CQC)", "reablement, which means ...", "CQC - this means"."""
    if _EXPLAINED_AFTER.match(prose, hit.end):
        return True
    return bool(_OPENED_BEFORE.search(prose, max(0, hit.start - 3), hit.start))


def _allowed(entry: Entry, written: str, allow: frozenset[str]) -> bool:
    if not allow:
        return False
    said = " ".join(written.lower().split())
    return (entry.id in allow or said in allow
            or any(f.lower() in allow for f in entry.surface_forms))


def _near(entry: Entry, ctx: CheckContext, offset: int) -> bool:
    sentence = ctx.sentence_at(offset)
    if sentence is None:
        return False
    present = {w.lower() for w in words(ctx.document.prose, sentence.start, sentence.end)}
    for near in entry.only_near:
        key = near.lower()
        if key in present or f"{key}s" in present or (" " in key and key in " ".join(
                words(ctx.document.prose.lower(), sentence.start, sentence.end))):
            return True
    return False


def jargon_findings(ctx: CheckContext, hits: Iterable[Hit]) -> Iterator[Finding]:
    """Findings for glossary hits, in text order."""
    prose = ctx.document.prose
    source = ctx.document.source
    allow = frozenset(a.lower() for a in ctx.settings.allow)
    seen_once: set[str] = set()
    for hit in sorted(hits, key=lambda h: h.start):
        entry = hit.entry
        written = source[hit.start:hit.end]
        if _allowed(entry, written, allow) or _SIC.match(source, hit.end):
            continue
        if entry.only_near and not _near(entry, ctx, hit.start):
            continue
        if entry.explain_once:
            if entry.id in seen_once:
                continue
            seen_once.add(entry.id)
            if _explained(prose, hit):
                continue
        fix = None
        if entry.alternatives and not entry.keep and entry.category != "acronym":
            options = replacements(entry, written)
            if options:
                fix = Fix(options[0], "safe" if entry.safe_fix else "unsafe")
        yield ctx.finding(
            JARGON.code, hit.start, hit.end, message(entry, written),
            ctx.severity(JARGON.code, entry.effective_severity, category=entry.category,
                         entry_id=entry.id),
            entry_id=entry.id, term=entry.term, category=entry.category,
            alternatives=entry.alternatives, explanation=entry.explanation, fix=fix,
        )
