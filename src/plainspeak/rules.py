"""The one table of rule metadata: code, name, summary, default severity, fixable.

Every glossary hit shares PS101 so that SARIF rule ids stay stable as the glossary
grows; the entry id travels in the finding instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from plainspeak.models import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    summary: str
    severity: Severity
    fixable: bool
    help: str


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule(
            "PS101",
            "jargon",
            "A word or phrase from the glossary that has plainer alternatives or needs explaining.",
            Severity.WARNING,
            True,
            "Use one of the plainer alternatives. If the term is needed (for example a legal"
            " term), explain it in brackets the first time you use it.",
        ),
        Rule(
            "PS201",
            "long-sentence",
            "A sentence with more words than the configured limit (25 by default).",
            Severity.WARNING,
            False,
            "Split the sentence in two, or cut words that do not add meaning.",
        ),
        Rule(
            "PS202",
            "hard-sentence",
            "A sentence whose reading grade is above the configured limit (12 by default).",
            Severity.INFO,
            False,
            "Use shorter words and fewer ideas in one sentence.",
        ),
        Rule(
            "PS301",
            "unused-suppression",
            "An inline plainspeak-disable comment that did not suppress anything.",
            Severity.INFO,
            False,
            "Remove the comment, or correct the rule code or glossary id it names.",
        ),
    )
}

JARGON = RULES["PS101"]
LONG_SENTENCE = RULES["PS201"]
HARD_SENTENCE = RULES["PS202"]
UNUSED_SUPPRESSION = RULES["PS301"]


def matches_selector(code: str, selectors: tuple[str, ...] | list[str]) -> bool:
    """True when ``code`` is named by a selector: a full code, a prefix ("PS1", "PS") or
    a rule name ("jargon")."""
    rule = RULES.get(code)
    for sel in selectors:
        s = sel.strip()
        if not s:
            continue
        if s.upper() == "ALL" or code.startswith(s.upper()):
            return True
        if rule is not None and s.lower() == rule.name:
            return True
    return False


def rule_for(code_or_name: str) -> Rule | None:
    """Look a rule up by code or name, case-insensitively."""
    key = code_or_name.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    for rule in RULES.values():
        if rule.name == key.lower():
            return rule
    return None
