"""Shared fixtures: build each spaCy pipeline and glossary once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from plainspeak.api import Checker
from plainspeak.glossary.loader import load_glossary
from plainspeak.glossary.model import Glossary

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
