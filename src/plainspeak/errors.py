"""Errors that plainspeak reports to people; each maps to exit code 2 in the CLI.

Every message is one sentence that names the file (and line or entry where known),
so the CLI can print ``str(error)`` and nothing else.
"""

from __future__ import annotations


class PlainspeakError(Exception):
    """Base class: a problem with input, configuration or a glossary, never a bug."""

    exit_code = 2


class InputError(PlainspeakError):
    """A document that cannot be read: missing, unreadable, binary, undecodable, too big."""


class GlossaryError(PlainspeakError):
    """A glossary file that cannot be loaded or does not follow the schema."""


class ConfigError(PlainspeakError):
    """A configuration file with unknown keys, wrong types or broken syntax."""


class FixConflictError(PlainspeakError):
    """The file changed on disk between reading and writing; the fix was abandoned."""
