"""Loading glossaries: one-line errors that name file, line and entry; safe YAML only."""

from __future__ import annotations

import pytest

from plainspeak.errors import GlossaryError
from plainspeak.glossary.loader import load_glossary, parse_glossary

GOOD = """version: 1
entries:
  - term: steering group
    category: social-care
    alternatives: [group that runs the project]
    explanation: A group that makes the big decisions.
"""


def test_id_defaults_to_slug_and_line_is_kept() -> None:
    [entry] = parse_glossary(GOOD, "mine.yaml").entries
    assert entry.id == "steering-group" and entry.line == 3 and entry.where == "mine.yaml:3"


@pytest.mark.parametrize(("text", "expected"), [
    ("entries: [\n", "mine.yaml:2: this is not valid YAML"),
    (GOOD.replace("category: social-care", "category: socialcare"),
     "mine.yaml:3: entry 'steering group': category 'socialcare' is not one of"),
    (GOOD.replace("    explanation", "    explantion"),
     "mine.yaml:6: entry 'steering group': unknown field 'explantion' (did you mean"),
    (GOOD.replace("alternatives: [group that runs the project]", "alternatives: group"),
     "'alternatives' must be a list"),
    (GOOD + "    safe_fix: maybe\n", "'safe_fix' must be true or false"),
    (GOOD.replace("version: 1", "verison: 1"), "unknown top-level key 'verison'"),
    (GOOD + GOOD.split("entries:\n")[1], "the id is already used by the entry on line 3"),
    ("a: &x [1]\nb: *x\n", "YAML aliases (*name) are not allowed"),
    ("entries:\n  - !!python/object/apply:os.system [ls]\n", "must be a set of fields"),
])
def test_errors_are_one_line_and_precise(text: str, expected: str) -> None:
    with pytest.raises(GlossaryError) as info:
        parse_glossary(text, "mine.yaml")
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    with pytest.raises(GlossaryError, match="aliases"):
        parse_glossary(bomb, "bomb.yaml")


def test_user_files_add_override_and_disable(tmp_path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(GOOD, encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text(GOOD.replace("group that runs the project", "project board") +
                    "disable: [care-package]\n", encoding="utf-8")
    glossary = load_glossary(base, mine)
    assert glossary.get("steering-group").alternatives == ("project board",)
    assert glossary.get("care-package") is None


def test_missing_and_binary_files(tmp_path) -> None:
    with pytest.raises(GlossaryError, match="not found"):
        load_glossary(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(GlossaryError, match="UTF-8"):
        load_glossary(bad)
