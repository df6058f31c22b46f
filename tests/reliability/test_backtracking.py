"""No pattern backtracks catastrophically: inputs built to make a careless regex take
minutes (long runs of spaces after a term, of dots, of markup) finish at once.

Each case runs in a subprocess with a timeout that only a hang reaches, so the suite
fails instead of stalling; before the fixes these took from a minute to hours.
Glossary terms are never patterns: they go to spaCy's PhraseMatcher, and a term made of
regex syntax is matched as the words it spells.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import plainspeak
from plainspeak.glossary.loader import load_glossary

HANG = 120

CASES = {
    # checks/jargon.py "explained here": \s*,?\s*[-:]?\s* over a run of spaces was O(n^3)
    "spaces after a term": "'Service users' + ' ' * 200_000 + 'x'",
    "spaces then comma": "'Service users' + ' ' * 100_000 + ',' + ' ' * 100_000 + 'x'",
    "blanked URL after a term (markdown)":
        "'Service users <' + 'https://example.org/' + 'a' * 200_000 + '> met.'",
    # sentences.py: [.!?]+...(?=\\s) retried at every dot of a run
    "a run of dots": "'.' * 500_000",
    "a run of mixed enders": "'Service users ' + '!?.' * 100_000 + ')' * 1000",
    # readers: every plain-text pattern starts with a literal or a look-behind
    "a long word with slashes": "'a/' * 200_000 + 'b.txt'",
    "a long e-mail-like word": "'a.' * 200_000 + '@' + 'b.' * 1000",
    "many backslashes": "'\\\\' * 200_000 + 'service users'",
    # suppress.py: every finding was tried against every directive (quadratic)
    "many suppression comments":
        "'<!-- plainspeak-disable-next-line PS2 -->\\nService users met.\\n\\n' * 30_000",
}

SCRIPT = """
import sys, plainspeak
text = eval(sys.argv[1])
for fmt in ("text", "markdown", "html"):
    plainspeak.check(text, format=fmt)
print("ok")
"""


@pytest.mark.parametrize("expr", list(CASES.values()), ids=list(CASES))
def test_no_catastrophic_backtracking(expr: str) -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT, expr], capture_output=True,
                            text=True, timeout=HANG)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-500:]


def test_glossary_terms_are_words_not_patterns(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(
        "version: 1\nentries:\n"
        "  - id: evil\n    term: \"(a+)+$\"\n    category: officialese\n"
        "    alternatives: [x]\n    explanation: A pattern that would backtrack.\n"
        "  - id: dot\n    term: \"c.e\"\n    category: officialese\n"
        "    alternatives: [x]\n    explanation: A dot that would match anything.\n",
        "utf-8")
    glossary = load_glossary(path, builtin=False)
    text = "a" * 50_000 + "! and cae and cxe but (a+)+$ and c.e."
    found = [f.text for f in plainspeak.check(text, glossary=glossary).findings
             if f.rule == "PS101"]
    assert "cae" not in found and "cxe" not in found
    assert "c.e" in found


def test_yaml_is_only_ever_safe_loaded() -> None:
    """No module builds Python objects from YAML tags or evaluates text."""
    root = Path(plainspeak.__file__).parent
    forbidden = re.compile(r"yaml\.load\(|yaml\.unsafe_load|yaml\.full_load|FullLoader|"
                           r"UnsafeLoader|yaml\.Loader\b|(?<![\w.])(?:eval|exec)\(|"
                           r"\bpickle\b|marshal\.loads")
    hits = [f"{path.relative_to(root)}: {m.group()}"
            for path in root.rglob("*.py")
            for m in forbidden.finditer(path.read_text("utf-8"))]
    assert hits == []
