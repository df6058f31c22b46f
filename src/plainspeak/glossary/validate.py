"""Glossary checks shared by ``plainspeak glossary validate`` and the test suite.

Loading catches broken YAML and wrong fields; this catches the mistakes that load fine:
two entries fighting over one word, alternatives that are jargon themselves, hard
explanations, and examples that do not do what they say.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plainspeak.errors import GlossaryError
from plainspeak.glossary.loader import builtin_glossary_file, merge, read_glossary_file
from plainspeak.glossary.model import Entry, Glossary
from plainspeak.nlp.forms import entry_forms

# An explanation should suit a 12-year-old.  Formulas are noisy on one short sentence
# (one long word such as "disability" lifts it a lot), so only clearly hard ones fail.
MAX_EXPLANATION_AGE = 16.0


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a glossary, located as precisely as we can."""

    path: str
    line: int
    entry_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        who = f" entry '{self.entry_id}':" if self.entry_id else ""
        return f"{where}:{who} {self.message}"


def _problem(entry: Entry, message: str) -> Problem:
    return Problem(entry.source, entry.line, entry.id, message)


def duplicate_problems(entries: Sequence[Entry]) -> list[Problem]:
    """Ids used twice, one written form in two entries, and generated forms that collide
    (so one entry silently shadows the other)."""
    problems: list[Problem] = []
    by_id: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in by_id:
            first = by_id[entry.id]
            problems.append(_problem(entry, f"the id is already used at {first.where}"))
        by_id[entry.id] = entry
    written: dict[tuple[str, bool], Entry] = {}
    generated: dict[tuple[str, bool], Entry] = {}
    pairs: set[tuple[str, str]] = set()
    for entry in entries:
        bases = entry.only_in or entry.surface_forms
        for form in bases:
            key = (form if entry.exact_case else form.lower(), entry.exact_case)
            other = written.get(key)
            if other is not None and other.id != entry.id:
                problems.append(_problem(entry, f"'{form}' is also written in entry "
                                                f"'{other.id}' ({other.where})"))
                pairs.add((entry.id, other.id))  # one message per pair is enough
            written[key] = entry
    for entry in entries:
        for form in entry_forms(entry):
            key = (form, entry.exact_case)
            other = generated.get(key)
            if other is not None and other.id != entry.id and (
                    form.lower() not in {f.lower() for f in entry.surface_forms}
                    or form.lower() not in {f.lower() for f in other.surface_forms}) and (
                    (entry.id, other.id) not in pairs):
                pairs.add((entry.id, other.id))
                problems.append(_problem(entry, f"the form '{form}' is also matched by entry "
                                                f"'{other.id}' ({other.where}), so one of "
                                                "them shadows the other"))
            generated.setdefault(key, entry)
    return problems


def _in_brackets(text: str, start: int, end: int) -> bool:
    return text.rfind("(", 0, start) > text.rfind(")", 0, start) and ")" in text[end:]


def content_problems(glossary: Glossary) -> list[Problem]:
    """Alternatives that would be flagged, hard explanations, missing or failing examples."""
    from plainspeak.api import Checker
    from plainspeak.readability import score_text
    from plainspeak.settings import Settings

    problems: list[Problem] = []
    checker = Checker(Settings(select=("PS101",)), glossary=glossary)
    entries = list(glossary)
    for entry in entries:
        if not entry.alternatives and not entry.keep:
            problems.append(_problem(entry, "has no alternatives (leave them out only for "
                                            "terms marked keep: true)"))
        if not entry.examples.flag:
            problems.append(_problem(entry, "needs at least one 'flag' example: a sentence "
                                            "where it must be found"))
        limits = [name for name, value in (("only_in", entry.only_in), ("not_in", entry.not_in),
                                           ("only_near", entry.only_near)) if value]
        if limits and not entry.examples.pass_:
            problems.append(_problem(entry, f"is limited with {' and '.join(limits)}, so it "
                                            "needs a 'pass' example: a sentence where it must "
                                            "not be found"))
        age = score_text(entry.explanation).reading_age
        if age > MAX_EXPLANATION_AGE:
            problems.append(_problem(entry, f"the explanation is hard to read (reading age "
                                            f"{age:.0f}); use shorter words and sentences"))
    alt_texts = [(e, a) for e in entries for a in e.alternatives]
    for (entry, alternative), report in zip(
            alt_texts, checker.check_many(a for _, a in alt_texts), strict=True):
        for finding in report.findings:
            if _in_brackets(alternative, finding.start, finding.end):
                continue  # "money for your care (personal budget)" names the term it explains
            if finding.entry_id != entry.id and finding.category != "acronym":
                problems.append(_problem(entry, f"the alternative '{alternative}' would itself"
                                                f" be flagged ('{finding.text}' is in entry "
                                                f"'{finding.entry_id}')"))
            elif finding.entry_id == entry.id:
                problems.append(_problem(entry, f"the alternative '{alternative}' contains "
                                                "the term itself"))
    examples = [(e, True, s) for e in entries for s in e.examples.flag]
    examples += [(e, False, s) for e in entries for s in e.examples.pass_]
    for (entry, must_find, sentence), report in zip(
            examples, checker.check_many(s for _, _, s in examples), strict=True):
        found = any(f.entry_id == entry.id for f in report.findings)
        if must_find and not found:
            problems.append(_problem(entry, f"the flag example is not found: {sentence!r}"))
        elif not must_find and found:
            problems.append(_problem(entry, f"the pass example is flagged: {sentence!r}"))
    return problems


def validate_glossary(glossary: Glossary) -> list[Problem]:
    """Every problem in an already loaded glossary."""
    entries = list(glossary)
    return duplicate_problems(entries) + content_problems(glossary)


def validate_paths(paths: Iterable[str | os.PathLike[str]] = ()) -> list[Problem]:
    """Validate glossary files (the built-in one when no paths are given).  A file that
    will not load is one problem, and the others are still checked."""
    problems: list[Problem] = []
    files = []
    names = [str(p) for p in paths]
    if not names:
        files.append(builtin_glossary_file())
    for name in names:
        try:
            files.append(read_glossary_file(name))
        except GlossaryError as exc:
            text = str(exc)
            rest = text[len(name) + 1:] if text.startswith(name + ":") else text
            m = re.match(r"(\d+):\s*(.*)", rest, re.DOTALL)
            line, message = (int(m.group(1)), m.group(2)) if m else (0, rest.strip())
            who = re.match(r"entry '([^']*)':\s*(.*)", message, re.DOTALL)
            entry_id, message = (who.group(1), who.group(2)) if who else (None, message)
            problems.append(Problem(name, line, entry_id, message))
    if files:
        all_entries = [e for f in files for e in f.entries]
        problems.extend(duplicate_problems(all_entries))
        problems.extend(content_problems(merge(files)))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m plainspeak.glossary.validate [files]``: the CLI's check without the CLI,
    for a plain checkout.  Exit status 1 when there are problems."""
    import sys

    problems = validate_paths(sys.argv[1:] if argv is None else argv)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover - maintenance command
    raise SystemExit(main())
