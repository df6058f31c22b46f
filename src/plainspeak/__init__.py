"""plainspeak: find jargon, suggest plainer words and score how hard a text is to read.

The public API is small and returns plain data; see README.md for examples.
"""

from plainspeak._version import __version__
from plainspeak.api import Checker, check, fix, load_glossary
from plainspeak.glossary.model import Entry, Glossary
from plainspeak.models import Finding, Fix, Readability, Report, Severity
from plainspeak.settings import Settings

__all__ = [
    "Checker",
    "Entry",
    "Finding",
    "Fix",
    "Glossary",
    "Readability",
    "Report",
    "Settings",
    "Severity",
    "__version__",
    "check",
    "fix",
    "load_glossary",
]
