"""Tests over the shipped glossary itself: well formed, sorted, unique, and every
entry's own examples behave as declared (codespell's dictionary tests, proselint's
examples)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from plainspeak.api import Checker
from plainspeak.glossary.loader import builtin_glossary_file, builtin_path
from plainspeak.glossary.validate import duplicate_problems, validate_glossary

ROOT = Path(__file__).parents[2]
ENTRIES = builtin_glossary_file().entries


def test_shipped_file_is_the_repository_file() -> None:
    assert builtin_path().read_bytes() == (ROOT / "glossary.yaml").read_bytes()


def test_entries_are_sorted_by_id() -> None:
    ids = [e.id for e in ENTRIES]
    assert ids == sorted(ids), "keep glossary.yaml in A to Z order of id"


def test_no_duplicates_or_shadowing() -> None:
    assert [str(p) for p in duplicate_problems(list(ENTRIES))] == []


def test_validation_is_clean(builtin_checker: Checker) -> None:
    assert [str(p) for p in validate_glossary(builtin_checker.glossary)] == []


def test_content_targets() -> None:
    counts = Counter(e.category for e in ENTRIES)
    assert counts["social-care"] + counts["health"] >= 300
    assert counts["officialese"] >= 100
    assert counts["acronym"] >= 60


def test_every_entry_explains_and_offers_words() -> None:
    for entry in ENTRIES:
        assert entry.explanation.strip(), entry.id
        assert entry.alternatives or entry.keep, entry.id
        assert entry.examples.flag, entry.id
        if entry.only_in or entry.not_in or entry.only_near:
            assert entry.examples.pass_, f"{entry.id} is restricted, so it needs a pass example"


def test_inflection_table_is_up_to_date() -> None:
    shipped = json.loads((ROOT / "src/plainspeak/data/inflections.json").read_text("utf-8"))
    missing = set(build_table_words()) - set(shipped)
    assert not missing, ("run `python -m plainspeak.nlp.forms` to refresh the inflection "
                         f"table; missing: {sorted(missing)[:10]}")


def build_table_words() -> list[str]:
    from plainspeak.nlp.forms import words_needing_inflection

    return sorted(words_needing_inflection(ENTRIES))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_examples_behave_as_declared(builtin_checker: Checker, entry) -> None:
    for sentence in entry.examples.flag:
        found = [f.entry_id for f in builtin_checker.check(sentence).findings]
        assert entry.id in found, f"flag example not found: {sentence!r}"
    for sentence in entry.examples.pass_:
        found = [f.entry_id for f in builtin_checker.check(sentence).findings]
        assert entry.id not in found, f"pass example flagged: {sentence!r}"


