"""Glossary entries as plain data: what a term is, what to say instead, where it fires.

The YAML file is for people; this is for code.  Nothing here parses YAML or knows
about spaCy, so validation, the matcher and the exporters share one picture of an entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from plainspeak.models import Severity

CATEGORIES: dict[str, str] = {
    "social-care": "Social care words: people, assessments, money, services, safeguarding, law",
    "health": "Health and NHS words, including health and care integration",
    "officialese": "General officialese: long or formal words with everyday swaps",
    "acronym": "Acronyms and initialisms: spell them out the first time",
}

# Severity a hit gets when its entry does not say; officialese is advice, not a blocker.
DEFAULT_SEVERITY: dict[str, Severity] = {
    "social-care": Severity.WARNING,
    "health": Severity.WARNING,
    "officialese": Severity.INFO,
    "acronym": Severity.WARNING,
}


def slugify(term: str) -> str:
    """The id an entry gets when it does not give one: lower case, words joined by '-'."""
    slug = re.sub(r"[^0-9a-z]+", "-", term.lower()).strip("-")
    return slug or "entry"


@dataclass(frozen=True, slots=True)
class Examples:
    """Sentences that document and test an entry: ``flag`` must be found, ``pass`` must not."""

    flag: tuple[str, ...] = ()
    pass_: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary entry.

    ``forms`` are every surface form the entry matches (term, variants and generated
    inflections are added by the matcher).  ``only_in``/``not_in`` are phrases that
    contain the term: with ``only_in`` a hit counts only inside one of them, with
    ``not_in`` never inside one.  ``keep`` marks a term that is legally or practically
    needed: the advice is to keep it and explain it once, so only the first unexplained
    use is reported.  ``safe_fix`` says the first alternative can replace the term
    automatically without changing the meaning.
    """

    id: str
    term: str
    category: str
    alternatives: tuple[str, ...]
    explanation: str
    variants: tuple[str, ...] = ()
    exact_case: bool = False
    inflect: bool = True
    severity: Severity | None = None
    safe_fix: bool = False
    keep: bool = False
    only_in: tuple[str, ...] = ()
    not_in: tuple[str, ...] = ()
    only_near: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None
    examples: Examples = field(default_factory=Examples)
    source: str = "<builtin>"
    line: int = 0

    @property
    def explain_once(self) -> bool:
        """Acronyms and kept terms are fine once the text explains them."""
        return self.keep or self.category == "acronym"

    @property
    def effective_severity(self) -> Severity:
        if self.severity is not None:
            return self.severity
        return DEFAULT_SEVERITY.get(self.category, Severity.WARNING)

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The written forms (term first, then variants), before inflection."""
        return (self.term, *self.variants)

    @property
    def where(self) -> str:
        """Where the entry was defined, for messages: ``glossary.yaml:120``."""
        return f"{self.source}:{self.line}" if self.line else self.source

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "term": self.term,
            "category": self.category,
            "alternatives": list(self.alternatives),
            "explanation": self.explanation,
        }
        optional: dict[str, Any] = {
            "variants": list(self.variants),
            "exact_case": self.exact_case,
            "inflect": self.inflect,
            "severity": self.severity.value if self.severity else None,
            "safe_fix": self.safe_fix,
            "keep": self.keep,
            "only_in": list(self.only_in),
            "not_in": list(self.not_in),
            "only_near": list(self.only_near),
            "tags": list(self.tags),
            "note": self.note,
        }
        defaults = {"exact_case": False, "inflect": True, "safe_fix": False, "keep": False}
        for key, value in optional.items():
            if value in (None, [], ()) or defaults.get(key, object()) == value:
                continue
            data[key] = value
        data["examples"] = {"flag": list(self.examples.flag), "pass": list(self.examples.pass_)}
        return data


@dataclass(frozen=True, slots=True)
class Glossary:
    """An ordered set of entries, merged from the built-in file and any user files.

    Later files override earlier ones by id; ``disabled`` ids are dropped."""

    entries: tuple[Entry, ...]
    sources: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries)

    def get(self, id_: str) -> Entry | None:
        for entry in self.entries:
            if entry.id == id_:
                return entry
        return None

    def find(self, word: str) -> list[Entry]:
        """Entries whose id, term or variants equal ``word`` (case-insensitive)."""
        key = word.strip().lower()
        return [
            e
            for e in self.entries
            if e.id == key or key in (f.lower() for f in e.surface_forms)
        ]

    def search(self, word: str) -> list[Entry]:
        """Entries that mention ``word`` anywhere in term, variants, alternatives or
        explanation, best matches (term hits) first."""
        key = word.strip().lower()
        exact = self.find(key)
        rest = [
            e
            for e in self.entries
            if e not in exact
            and (
                any(key in f.lower() for f in e.surface_forms)
                or any(key in a.lower() for a in e.alternatives)
                or key in e.explanation.lower()
            )
        ]
        return exact + rest
