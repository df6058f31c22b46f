"""PS101 jargon: glossary hits turned into findings a writer can act on.

The matcher says where a term is; this decides whether it is worth saying: terms the
project allows, "[sic]", words that only count near other words, and terms that only
need explaining once (acronyms and kept legal terms) are handled here.  Any term the
document explains where it uses it (in brackets, or "which means ...") is the reader's
from then on, so later uses are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from plainspeak.checks.context import CheckContext
from plainspeak.fix import replacements
from plainspeak.glossary.model import Entry
from plainspeak.models import Finding, Fix
from plainspeak.nlp.pipeline import Hit
from plainspeak.rules import JARGON
from plainspeak.sentences import words

_SIC = re.compile(r"\s*\[sic\]", re.IGNORECASE)
# "reablement, which means ...", "CQC - this means ...", "respite, meaning ...",
# "reablement means ...", "respite is when ..."
# Every whitespace run is possessive (\s*+, \s++) and each alternative carries its own
# leading space, so a long run of spaces (a blanked URL or comment in the prose view)
# is read once: "\s*,?\s*[-:]?\s*" over n spaces tried O(n^3) splits and took minutes.
_SAYS = r"(?:means|is\s++when|are\s++when|is\s++where)\b"
_MEANS = (r"\s*+,?\s*+[-\u2013\u2014:]?\s*+(?:this|which|that)\s++means\b"
          r"|\s*+,\s++meaning\b|\s++meaning\b"
          rf"|\s*+[\"'\u201d\u2019]\s++{_SAYS}|\s++{_SAYS}")
_MEANS_AFTER = re.compile(_MEANS, re.IGNORECASE)
_EXPLAINED_AFTER = re.compile(rf"\s*+\(|{_MEANS}", re.IGNORECASE)
# "Safeguarding Adults Board (SAB)", "(an \u201cSAB\u201d)", "(the 'Act')": the term is named
# inside a bracket, right after what it stands for.
_OPENED_BEFORE = re.compile(
    r"\(\s*(?:(?:an?|the)\s+)?[\"'\u201c\u2018]?\s*$", re.IGNORECASE)
_CLOSED_AFTER = re.compile(r"[\"'\u201d\u2019]?\s*\)")
_ABBREVIATION_AFTER = re.compile(r"\s*\(\s*([^\W_][\w.&-]{0,11})\s*\)")


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
    "Care Quality Commission (CQC)", "reablement, which means ...", "CQC - this means".

    A bracket that only gives a term's abbreviation ("Deprivation of Liberty Safeguards
    (DoLS)") names the term again without saying what it means, so for anything but an
    acronym the explanation has to come after that bracket."""
    if (_OPENED_BEFORE.search(prose, max(0, hit.start - 8), hit.start)
            and _CLOSED_AFTER.match(prose, hit.end)):
        return True  # the whole bracket names the term: "... (direct payments)"
    end = hit.end
    short = _ABBREVIATION_AFTER.match(prose, end)
    if short and hit.entry.category != "acronym" and _is_abbreviation(short.group(1)):
        end = short.end()
        return bool(_MEANS_AFTER.match(prose, end))
    return bool(_EXPLAINED_AFTER.match(prose, end))


def _is_abbreviation(text: str) -> bool:
    """"DoLS", "CQC", "s117": one short word with capitals or digits in it."""
    return sum(c.isupper() for c in text) >= 2 or any(c.isdigit() for c in text)


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
        # lower-case the sentence, not the whole document: once per hit, that was
        # quadratic in the length of a file
        if key in present or f"{key}s" in present or (" " in key and key in " ".join(
                words(ctx.document.prose[sentence.start:sentence.end].lower()))):
            return True
    return False


@dataclass(slots=True)
class Remembered:
    """What the text checked so far settled, for the rest of the same file: the terms it
    explained, and those that need saying only once and were said."""

    seen_once: set[str] = field(default_factory=set)
    explained: set[str] = field(default_factory=set)


def jargon_findings(ctx: CheckContext, runs: Iterable[Iterable[Hit]],
                    remembered: Remembered | None = None) -> Iterator[Finding]:
    """Findings for glossary hits, in text order.

    ``runs`` are runs of hits, each run wholly after the one before in the text: all of a
    document's hits as one run, or a long document's part by part, each taken only when
    the findings before it are done (so the parts can still be arriving).
    ``remembered`` carries over from the sections of a long file checked before this."""
    prose = ctx.document.prose
    source = ctx.document.source
    allow = frozenset(a.lower() for a in ctx.settings.allow)
    remembered = remembered or Remembered()
    seen_once = remembered.seen_once
    explained = remembered.explained  # explained in this document: fine from then on
    for hit in (hit for run in runs for hit in sorted(run, key=lambda h: h.start)):
        entry = hit.entry
        written = source[hit.start:hit.end]
        if _allowed(entry, written, allow) or _SIC.match(source, hit.end):
            continue
        if entry.only_near and not _near(entry, ctx, hit.start):
            continue
        if entry.id in explained:
            continue
        if _explained(prose, hit):
            explained.add(entry.id)
            continue
        if entry.explain_once:
            if entry.id in seen_once:
                continue
            seen_once.add(entry.id)
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
