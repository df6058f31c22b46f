"""The settings that shape a check, as one frozen value shared by the API, config and CLI.

``config.py`` builds a ``Settings`` from TOML files and the CLI layers flags on top with
``replace``; the engine only ever reads it.  Defaults here are the documented defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from plainspeak.models import Severity


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can set.  ``severity`` maps a rule code, rule name, glossary
    category or glossary id to a severity; the most specific key wins (id, then
    category, then rule)."""

    glossaries: tuple[str, ...] = ()
    builtin_glossary: bool = True
    disable: tuple[str, ...] = ()          # glossary entry ids switched off
    allow: tuple[str, ...] = ()            # terms (any surface form) the project accepts
    select: tuple[str, ...] = ("ALL",)     # rule codes, prefixes or names
    ignore: tuple[str, ...] = ()
    fail_on: str = "warning"               # error | warning | info | never
    exclude: tuple[str, ...] = ()          # gitignore-style globs
    severity: dict[str, Severity] = field(default_factory=dict)
    max_sentence_words: int = 25
    max_grade: float = 12.0
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    front_matter_fields: tuple[str, ...] = ()
    max_file_mb: float = 20.0
    report_unused_suppressions: bool = False

    def with_(self, **changes: object) -> Settings:
        """A copy with some settings changed (CLI flags override config files)."""
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_SETTINGS = Settings()
