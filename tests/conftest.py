"""Shared fixtures: build each spaCy pipeline and glossary once per test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from plainspeak.api import Checker
from plainspeak.glossary.loader import load_glossary
from plainspeak.glossary.model import Glossary

# Compiled glossaries go to a folder of this test run, never the real home.  Set at
# import, before any Checker exists, so the CLI processes the tests start inherit it.
_CACHE = tempfile.TemporaryDirectory(prefix="plainspeak-test-cache-")
os.environ["PLAINSPEAK_CACHE_DIR"] = _CACHE.name
os.environ.pop("PLAINSPEAK_NO_CACHE", None)

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def engine_glossary() -> Glossary:
    """A small glossary that exercises every matching feature."""
    return load_glossary(DATA / "engine-glossary.yaml", builtin=False)


@pytest.fixture(scope="session")
def checker(engine_glossary: Glossary) -> Checker:
    return Checker(glossary=engine_glossary)


@pytest.fixture(scope="session")
def builtin_checker() -> Checker:
    return Checker()
