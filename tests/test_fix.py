"""Fixes: case kept, inflection matched, only the spans change, idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.api import Checker
from plainspeak.fix import Edit, apply_edits, inflect_alternative, match_case, plan_edits


def test_match_case() -> None:
    assert match_case("Service users", "people who use services") == "People who use services"
    assert match_case("UTILISE", "use") == "USE"
    assert match_case("utilise", "Use") == "Use"


def test_inflect_alternative() -> None:
    assert inflect_alternative("person who uses services", "NNS") == "people who use services"
    assert inflect_alternative("group that runs the project", "NNS") == (
        "groups that run the project")
    assert inflect_alternative("send", "VBD") == "sent"
    assert inflect_alternative("plan together", "VBG") == "planning together"


def test_apply_edits_right_to_left() -> None:
    text = "aa bb cc"
    assert apply_edits(text, [Edit(0, 2, "x"), Edit(6, 8, "yyy")]) == "x bb yyy"


def test_only_safe_fixes_by_default(checker: Checker) -> None:
    report = checker.check("We signposted service users.")
    assert [e.replacement for e in plan_edits(report)] == ["people who use services"]
    assert len(plan_edits(report, unsafe=True)) == 2


WORDS = st.sampled_from(["service users", "Service user", "utilise", "UTILIZE", "care",
                         "the", "\n", "  ", "é", "🙂", "\u200d", ".", "personal budget",
                         "signposted", "co-produced"])


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=25).map(" ".join))
def test_fix_is_idempotent_and_local(checker: Checker, text: str) -> None:
    report = checker.check(text)
    edits = plan_edits(report, unsafe=True)
    fixed = apply_edits(text, edits)
    again = apply_edits(fixed, plan_edits(checker.check(fixed), unsafe=True))
    assert again == fixed
    # outside the edited spans nothing changed
    pos = 0
    rebuilt = []
    for e in sorted(edits, key=lambda e: e.start):
        rebuilt.append(text[pos:e.start])
        rebuilt.append(e.replacement)
        pos = e.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == fixed


@pytest.mark.parametrize(("verb", "base"), [
    ("qualifies", "qualify"), ("uses", "use"), ("washes", "wash"), ("needs", "need")])
def test_a_verb_after_who_agrees_with_a_plural(verb: str, base: str) -> None:
    from plainspeak.fix import _pluralise

    assert _pluralise(["person", "who", verb, "for", "help"]) == [
        "people", "who", base, "for", "help"]
