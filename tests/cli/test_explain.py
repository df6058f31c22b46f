"""plainspeak explain: glossary entries by term, variant or inflected form, and rules."""

from __future__ import annotations

from tests.cli.conftest import Invoke


def test_explains_a_term(invoke: Invoke) -> None:
    result = invoke("explain", "care package")
    assert result.exit_code == 0
    assert "(care-package, social-care, warning)" in result.stdout.splitlines()[0]
    assert "Say instead: care and support" in result.stdout
    assert "Defined at: glossary.yaml:" in result.stdout


def test_finds_inflected_forms(invoke: Invoke) -> None:
    result = invoke("explain", "signposted")
    assert result.exit_code == 0
    assert "(signpost, social-care" in result.stdout


def test_explains_rules_by_code_or_name(invoke: Invoke) -> None:
    for name in ("PS201", "ps201", "long-sentence"):
        result = invoke("explain", name)
        assert result.exit_code == 0
        assert result.stdout.startswith("PS201 long-sentence")


def test_unknown_term_exits_2_with_suggestions(invoke: Invoke) -> None:
    result = invoke("explain", "budget")
    assert result.exit_code in (0, 2)
    result = invoke("explain", "zzqx")
    assert result.exit_code == 2
    assert result.stderr.startswith("plainspeak: no rule or glossary entry called 'zzqx'.")
