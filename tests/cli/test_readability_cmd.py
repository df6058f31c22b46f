"""plainspeak readability: a table per file, or JSON, with the reading age in words."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Invoke


def test_table_and_json(invoke: Invoke, docs: Path) -> None:
    result = invoke("readability", "site/a.txt", "site/clean.md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["File", "Words", "Sentences"]
    assert lines[1].startswith("site/a.txt") and "about age" in lines[1]
    data = json.loads(invoke("readability", "--format", "json", "site/clean.md").stdout)
    scores = data["files"][0]["readability"]
    assert scores["words"] >= 8 and scores["reading_age_words"].startswith("about age")


def test_unreadable_file_exits_2(invoke: Invoke, docs: Path) -> None:
    result = invoke("readability", "site/a.txt", "missing.md")
    assert result.exit_code == 2
    assert "missing.md: error: no such file" in result.stdout
