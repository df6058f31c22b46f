"""The core social-care terms the glossary promises (issue 5) are found in the forms
people actually write, and words with an everyday meaning stay quiet in everyday use."""

from __future__ import annotations

import pytest

from plainspeak.api import Checker

FOUND = [
    ("The Steering Group met on Monday.", "Steering Group", "steering-group"),
    ("We co-produced the plan with carers.", "co-produced", "co-produce"),
    ("We believe in co production.", "co production", "co-production"),
    ("Coproduction takes time.", "Coproduction", "co-production"),
    ("Please raise a safeguarding concern today.", "safeguarding concern",
     "safeguarding-concern"),
    ("A safeguarding enquiry has started.", "safeguarding enquiry", "safeguarding-enquiry"),
    ("You may get section 117 aftercare.", "section 117 aftercare", "section-117-aftercare"),
    ("She was sectioned in May.", "sectioned", "sectioned"),
    ("He is detained under section 3 of the Mental Health Act.", "section 3", "section-3"),
    ("Care leavers can apply.", "Care leavers", "care-leaver"),
    ("Looked after children do well here.", "Looked after children", "looked-after-child"),
    ("Children looked after by the council get help.", "Children looked after",
     "looked-after-child"),
    ("Experts by experience sit on the panel.", "Experts by experience",
     "expert-by-experience"),
    ("Your care provider will call.", "care provider", "provider"),
    ("We will plan the transition to adult services.", "transition to adult services",
     "transition"),
    ("The core group meets after the child protection conference.", "core group",
     "core-group"),
    ("Your personal adviser helps care leavers until 25.", "personal adviser",
     "personal-adviser"),
    ("Your care plan review is due.", "care plan review", "review"),
    ("We apply for a lasting power of attorney.", "lasting power of attorney",
     "lasting-power-of-attorney"),
]

QUIET = [
    "Thank you for your engagement with the survey.",
    "He is a strong advocate for cycling.",
    "The transition to the new phone system took weeks.",
    "Your gas provider will read the meter.",
    "We are staying put this summer.",
    "See section 2 of the leaflet for opening times.",
    "The car park is sectioned off for the fair.",
    "Every child in need of a school place can apply.",
    "A core group of volunteers runs the cafe.",
    "Safeguarding your data matters to us.",
    "There is a signpost at the end of the lane.",
    "He goes to the pupil referral unit in town.",
]


@pytest.mark.parametrize(("text", "written", "entry_id"), FOUND,
                         ids=[f[2] + ":" + f[1] for f in FOUND])
def test_core_term_is_found(builtin_checker: Checker, text: str, written: str,
                            entry_id: str) -> None:
    found = [(f.text, f.entry_id) for f in builtin_checker.check(text).findings
             if f.rule == "PS101"]
    assert (written, entry_id) in found


@pytest.mark.parametrize("text", QUIET)
def test_everyday_use_is_not_flagged(builtin_checker: Checker, text: str) -> None:
    assert [f.text for f in builtin_checker.check(text).findings if f.rule == "PS101"] == []
