"""plainspeak: find jargon, suggest plainer words and score how hard a text is to read.

The public API is small and returns plain data; see README.md for examples.  Names are
imported on first use (PEP 562), so that ``plainspeak --help`` and ``--version``, which
import this package, do not load the engine.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from plainspeak._version import __version__

if TYPE_CHECKING:
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

_HOMES = {
    "Checker": "plainspeak.api", "check": "plainspeak.api",
    "load_glossary": "plainspeak.api",
    "Entry": "plainspeak.glossary.model", "Glossary": "plainspeak.glossary.model",
    "Finding": "plainspeak.models", "Fix": "plainspeak.models",
    "Readability": "plainspeak.models", "Report": "plainspeak.models",
    "Severity": "plainspeak.models", "Settings": "plainspeak.settings",
}


class _Package(ModuleType):
    """The package module, with ``fix`` kept as the function.

    Importing the ``plainspeak.fix`` submodule makes Python set the package attribute
    ``fix`` to that module; with the names imported lazily that would hide the function,
    so the attribute is a property that ignores the assignment."""

    @property
    def fix(self) -> Any:
        from plainspeak.api import fix

        return fix

    @fix.setter
    def fix(self, value: Any) -> None:
        pass


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'plainspeak' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value   # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
