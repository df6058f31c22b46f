"""Explain, don't just replace: a term the text explains is not reported again.

Acronyms and kept legal terms are reported at most once (at their first unexplained use);
any term explained where it is used ("in brackets", "which means ...") is fine for the
rest of the document."""

from __future__ import annotations

import pytest

from plainspeak.api import Checker


def jargon(checker: Checker, text: str) -> list[tuple[str, str | None]]:
    return [(f.text, f.entry_id) for f in checker.check(text).findings if f.rule == "PS101"]


def test_dols_spelled_out_and_explained_is_never_flagged(builtin_checker: Checker) -> None:
    text = ("The Deprivation of Liberty Safeguards (DoLS), which means legal checks when care "
            "limits someone's freedom, apply in care homes. We have applied for DoLS for your "
            "mother. DoLS checks can take a few weeks.")
    assert jargon(builtin_checker, text) == []


def test_dols_after_its_full_name_is_accepted(builtin_checker: Checker) -> None:
    """The bracket only gives the short form, so the full legal name still needs
    explaining once; the acronym itself is spelled out and accepted after that."""
    text = ("The home follows the Deprivation of Liberty Safeguards (DoLS). We have applied "
            "for DoLS. DoLS checks can take a few weeks.")
    assert jargon(builtin_checker, text) == [
        ("Deprivation of Liberty Safeguards", "deprivation-of-liberty-safeguards")]


@pytest.mark.parametrize("text", [
    "The Care Quality Commission (CQC) checks care homes. The CQC rated this home good.",
    "The CQC (Care Quality Commission) checks care homes. The CQC rated this home good.",
    "CQC - this means the body that checks care homes - visited. Ask the CQC for the report.",
])
def test_cqc_accepted_after_it_is_spelled_out(builtin_checker: Checker, text: str) -> None:
    assert [e for _, e in jargon(builtin_checker, text)] == []


def test_unexplained_acronym_is_reported_once(builtin_checker: Checker) -> None:
    text = "The CQC checks care homes. The CQC rated this home good."
    assert jargon(builtin_checker, text) == [("CQC", "cqc")]


def test_reablement_explained_then_used_again(builtin_checker: Checker) -> None:
    text = ("We offer reablement, which means short-term help at home to get you back on "
            "your feet. Reablement usually lasts six weeks. Ask us about reablement.")
    assert jargon(builtin_checker, text) == []


def test_unexplained_term_is_reported_every_time(builtin_checker: Checker) -> None:
    text = "We offer reablement. Reablement usually lasts six weeks."
    assert [e for _, e in jargon(builtin_checker, text)] == ["reablement", "reablement"]


def test_explained_after_a_first_unexplained_use(builtin_checker: Checker) -> None:
    text = ("We offer reablement. Reablement, meaning short-term help at home, lasts six "
            "weeks. Ask us about reablement.")
    assert jargon(builtin_checker, text) == [("reablement", "reablement")]


def test_plain_words_first_then_the_term_in_brackets(builtin_checker: Checker) -> None:
    text = ("You can have money from the council to buy your own care (direct payments). "
            "Direct payments are paid every four weeks.")
    assert jargon(builtin_checker, text) == []


def test_kept_term_reported_once_when_never_explained(builtin_checker: Checker) -> None:
    text = ("You may be entitled to section 117 aftercare. Section 117 aftercare is free. "
            "Ask about section 117 aftercare.")
    assert jargon(builtin_checker, text) == [("section 117 aftercare", "section-117-aftercare")]


def test_an_explanation_does_not_carry_into_the_next_document(
        builtin_checker: Checker) -> None:
    first, second = builtin_checker.check_many([
        "The Care Quality Commission (CQC) checks care homes.",
        "The CQC rated this home good.",
    ])
    assert [f.entry_id for f in first.findings if f.rule == "PS101"] == []
    assert [f.entry_id for f in second.findings if f.rule == "PS101"] == ["cqc"]


@pytest.mark.parametrize("text", [
    "Each council must set up a Safeguarding Adults Board (an \u201cSAB\u201d). The SAB meets.",
    "The Care Quality Commission ('CQC') checks care homes. The CQC rated it good.",
])
def test_abbreviation_named_in_quotes_inside_brackets(builtin_checker: Checker,
                                                      text: str) -> None:
    assert [e for _, e in jargon(builtin_checker, text) if e in ("sab", "cqc")] == []


def test_a_bracket_that_only_mentions_the_term_does_not_explain_it(
        builtin_checker: Checker) -> None:
    text = "We visited the home (the CQC was there too). The CQC rated it good."
    assert jargon(builtin_checker, text) == [("CQC", "cqc")]


@pytest.mark.parametrize("text", [
    "Reablement means short-term help at home. Ask us about reablement.",
    "Respite is when someone else cares for a while. Book respite early.",
    "\u201cReablement\u201d means help to do things for yourself again. Reablement is free.",
])
def test_a_sentence_that_defines_the_term(builtin_checker: Checker, text: str) -> None:
    assert jargon(builtin_checker, text) == []
