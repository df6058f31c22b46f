"""Import spaCy without its command-line package, which plainspeak never uses.

``spacy/__init__.py`` runs ``from .cli.info import info`` only to offer ``spacy.info()``,
and that one line imports the whole spaCy CLI: typer, requests, httpx, weasel, jinja2,
rich and about 450 modules, a third of spaCy's import time (0.2-0.3 s of 0.7 s).  spaCy
merged the same fix upstream once (explosion/spaCy#12962, "Load the cli module lazily
for spacy.info"); until a release has it, plainspeak stands in a small module for
``spacy.cli.info`` while spaCy's own ``__init__`` runs and removes it straight after,
so a later ``import spacy.cli`` by anyone in the process imports the real one, and
``spacy.info()`` still works (it imports the real CLI when called).
"""

from __future__ import annotations

import sys
import types
from typing import Any

_CLI_MODULES = ("spacy.cli", "spacy.cli.info")


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, importing the real CLI on first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """``import spacy``, without importing ``spacy.cli`` when spaCy is not loaded yet."""
    if "spacy" in sys.modules:
        import spacy

        return spacy
    cli = types.ModuleType("spacy.cli")
    info = types.ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    added = [name for name in _CLI_MODULES if name not in sys.modules]
    sys.modules.update({name: module for name, module in zip(_CLI_MODULES, (cli, info), strict=True)
                        if name in added})
    try:
        import spacy
    finally:
        for name in added:
            if sys.modules.get(name) in (cli, info):
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:   # a later ``spacy.cli`` must be the real one
        delattr(spacy, "cli")
    return spacy
