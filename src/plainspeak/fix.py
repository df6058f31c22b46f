"""Turn findings into edits of the source, and edits into new text or new file bytes.

A fix replaces exactly a finding's span and nothing else.  The replacement keeps the
case of what was written ("Service users" -> "People who use services") and, where the
text used an inflected form ("signposted"), the alternative is inflected to match.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plainspeak.errors import InputError
from plainspeak.glossary.model import Entry
from plainspeak.models import Finding, Report
from plainspeak.nlp.forms import FUNCTION_WORDS, base_phrases, inflect, tag_of

if TYPE_CHECKING:
    from plainspeak.api import Checker

# English plurals that the inflection tables give in their rarer form first.
_PLURALS = {"person": "people"}
_RELATIVE = frozenset({"who", "that", "which"})

Chooser = Callable[[Finding, tuple[str, ...]], "str | None"]


def match_case(written: str, replacement: str) -> str:
    """Give ``replacement`` the case pattern of ``written``: ALL CAPS, Capitalised or as is."""
    letters = [ch for ch in written if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    if letters and written.lstrip()[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _pluralise(words: list[str]) -> list[str] | None:
    """Plural of a noun phrase: the last word of its opening run of content words
    ("care visit" -> "care visits"), and a verb after "who"/"that" agreeing with it
    ("person who uses" -> "people who use")."""
    stop = next((i for i, w in enumerate(words) if w in FUNCTION_WORDS or w in _RELATIVE),
                len(words))
    head = stop - 1
    if head < 0:
        return None
    plural = _PLURALS.get(words[head]) or inflect(words[head], "NNS")
    if plural is None:
        return None
    out = [*words[:head], plural, *words[head + 1:]]
    if stop + 1 < len(out) and out[stop] in _RELATIVE:
        base = _verb_base(out[stop + 1])
        if base:
            out[stop + 1] = base
    return out


def _verb_base(word: str) -> str | None:
    from plainspeak.nlp.forms import inflection_tags

    # Most specific ending first: "qualifies" is "qualify" + "-ies", not "qualifie" + "s"
    # (the inflection tables will inflect a made-up word, so a wrong base would pass).
    candidates = [word[:-3] + "y"] if word.endswith("ies") else []
    candidates += [word[:-2]] if word.endswith("es") else []
    candidates += [word[:-1]] if word.endswith("s") else []
    for base in candidates:
        if base and word in inflection_tags(base).get("VBZ", ()):
            return base
    return None


def inflect_alternative(alternative: str, tag: str) -> str | None:
    """The alternative in the form a Penn tag asks for, or None when unsure."""
    words = alternative.split(" ")
    if tag == "NNS":
        if len(words) == 1:
            plural = _PLURALS.get(words[0]) or inflect(words[0], "NNS")
            return plural
        plural_words = _pluralise(words)
        return " ".join(plural_words) if plural_words else None
    if tag.startswith("VB"):
        form = inflect(words[0], tag)
        return " ".join([form, *words[1:]]) if form else None
    return None


def _written_tag(entry: Entry, written: str) -> tuple[bool, str | None]:
    """Whether ``written`` is a base form of the entry, else the tag of its inflection."""
    said = " ".join(written.lower().replace("\u2019", "'").split())
    for phrase in (*base_phrases(entry), entry.term):
        base = " ".join(phrase.lower().split())
        if said in (base, base.replace("-", " "), base.replace("-", "")):
            return True, None
        said_words, base_words = said.split(" "), base.split(" ")
        if len(said_words) != len(base_words):
            continue
        diffs = [(b, s) for b, s in zip(base_words, said_words, strict=True) if b != s]
        if len(diffs) == 1:
            b, s = diffs[0]
            tag = tag_of(b.rpartition("-")[2], s.rpartition("-")[2])
            if tag:
                return False, tag
    return False, None


def replacements(entry: Entry, written: str) -> tuple[str, ...]:
    """Every alternative as a drop-in replacement for ``written``, case and form matched.

    Alternatives that cannot be put in the written form are left out, so a fix never
    produces "a service users" style grammar."""
    is_base, tag = _written_tag(entry, written)
    out: list[str] = []
    for alternative in entry.alternatives:
        if is_base:
            text: str | None = alternative
        elif tag:
            text = inflect_alternative(alternative, tag)
        else:
            text = None
        if text:
            out.append(match_case(written, text))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``source[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str
    finding: Finding | None = None


def plan_edits(report: Report, *, unsafe: bool = False,
               choose: Chooser | None = None) -> list[Edit]:
    """The edits for a report's fixable findings: safe ones, or all with ``unsafe``.

    ``choose`` (interactive use) sees each fixable finding with its candidate
    replacements and returns the text to use, or None to skip it."""
    edits: list[Edit] = []
    for finding in report.findings:
        if finding.fix is None or not (unsafe or finding.fix.safe):
            continue
        replacement: str | None = finding.fix.replacement
        if choose is not None:
            options = (finding.fix.replacement, *(
                a for a in finding.alternatives if a != finding.fix.replacement))
            replacement = choose(finding, options)
        if replacement is not None and replacement != finding.text:
            edits.append(Edit(finding.start, finding.end, replacement, finding))
    return edits


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits right to left, so earlier offsets stay valid."""
    out = source
    last = len(source) + 1
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        if edit.end > last:
            continue  # overlapping edit: keep the later one, skip this
        out = out[:edit.start] + edit.replacement + out[edit.end:]
        last = edit.start
    return out


@dataclass(slots=True)
class FilePlan:
    """What fixing one file would do; ``new`` is None when nothing changes."""

    path: str
    original: bytes
    new: bytes | None
    report: Report
    mode: int = 0o644
    applied: list[Finding] = field(default_factory=list)
    manual: list[Finding] = field(default_factory=list)
    # Why the ``manual`` findings were not fixed, in words for the writer.
    manual_reason: str = "it spans formatting"


def plan_file_fix(checker: Checker, path: str | os.PathLike[str], *, unsafe: bool = False,
                  choose: Chooser | None = None) -> FilePlan:
    """Read a file, check it and work out its fixed bytes, in the same encoding, BOM and
    newline style.  Word files are rewritten run by run; a match that crosses runs is
    listed in ``manual``, and so is a replacement the file's encoding cannot hold (a
    curly quote in a Latin-1 file), rather than failing the whole file.  Raises
    InputError (one line, naming the file) when the file cannot be read; nothing here
    writes: hand the plan to ``fileio.write_atomic``."""
    from plainspeak.formats import format_for_path, read_bytes, read_file_bytes
    from plainspeak.formats.encoding import encode

    name = os.fspath(path)
    original = read_file_bytes(name, max_bytes=int(checker.settings.max_file_mb * 1024 * 1024))
    try:
        mode = os.stat(name).st_mode & 0o7777
    except OSError as error:
        raise InputError(f"{name}: cannot read it ({error.strerror or error})") from None
    fmt = format_for_path(name) or "text"
    document = read_bytes(original, format=fmt, path=name,
                          front_matter_fields=checker.settings.front_matter_fields)
    report = checker.check_document(document)
    edits = plan_edits(report, unsafe=unsafe, choose=choose)
    if not edits:
        return FilePlan(name, original, None, report, mode)
    if fmt == "docx":
        from plainspeak.formats.docx import fix_docx

        triples = [(e.start, e.end, e.replacement) for e in edits]
        new, done, manual = fix_docx(original, triples)
        done_set = {(s, e) for s, e, _ in done}
        applied = [e.finding for e in edits if e.finding and (e.start, e.end) in done_set]
        left = {(s, e) for s, e, _ in manual}
        manual_findings = [e.finding for e in edits if e.finding and (e.start, e.end) in left]
        return FilePlan(name, original, new if applied else None, report, mode,
                        applied, manual_findings)
    fits: list[Edit] = []
    unfit: list[Finding] = []
    for edit in edits:
        if _encodable(edit.replacement, document.encoding):
            fits.append(edit)
        elif edit.finding is not None:
            unfit.append(edit.finding)
    text = apply_edits(document.source, fits)
    new_bytes = encode(text, document.encoding, document.bom)
    applied = [e.finding for e in fits if e.finding]
    return FilePlan(name, original, new_bytes if new_bytes != original else None, report,
                    mode, applied, unfit,
                    manual_reason=f"the file's encoding ({document.encoding}) cannot hold "
                                  "the plainer words")


def _encodable(text: str, encoding: str) -> bool:
    """Whether the file's own encoding can hold ``text``: a fix never changes a file's
    encoding behind the writer's back."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
