"""Plain text: all prose except URLs, e-mail addresses and file paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plainspeak.formats import read_path, read_text

FIXTURES = Path(__file__).parent / "fixtures"


def test_golden_positions() -> None:
    doc = read_path(FIXTURES / "golden.txt")
    hits = [(doc.position(m.start()), doc.source[m.start():m.end()])
            for m in re.finditer(r"service users", doc.prose)]
    assert hits == [((1, 13), "service users"), ((5, 26), "service users")]
    assert "\r\n" in doc.source          # CRLF kept in the source
    assert "\r" not in doc.prose         # and shown as a space in the prose view


@pytest.mark.parametrize("text", [
    "https://example.org/a?b=c", "http://x.org", "www.example.org/page",
    "someone@example.org", r"C:\Users\x\file.docx", "/etc/passwd", "./docs/a.md",
    "../notes/plan.txt", "~/care/plan.md", "docs/guide/intro.md",
    r"\\server\share\file.txt",
])
def test_not_prose_is_blanked(text: str) -> None:
    doc = read_text(f"See {text} now.")
    assert doc.prose == "See " + " " * len(text) + " now."


def test_trailing_punctuation_stays_prose() -> None:
    doc = read_text("Go to https://example.org.")
    assert doc.prose.endswith(".")
    assert "example" not in doc.prose


@pytest.mark.parametrize("text", ["and/or", "he/she", "24/7", "A/B testing", "1/2"])
def test_slashes_in_words_stay(text: str) -> None:
    assert read_text(f"Use {text} here.").prose == f"Use {text} here."


def test_paragraph_blocks() -> None:
    doc = read_text("One line.\nStill one.\n\nTwo.\n")
    assert [doc.source[b.start:b.end] for b in doc.blocks] == ["One line.\nStill one.",
                                                             "Two."]


def test_long_line_without_spaces() -> None:
    # Patterns must not backtrack over the rest of the line from every character.
    text = "a" * 1_000_000 + "@" + "b/" * 200_000
    doc = read_text(text)
    assert len(doc.prose) == len(text)
