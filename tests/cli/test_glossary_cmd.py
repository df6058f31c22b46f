"""plainspeak glossary validate | list | search | export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.conftest import Invoke

GOOD = """entries:
  - term: frobnicate
    category: officialese
    alternatives: [change]
    explanation: A made-up word for change.
    examples:
      flag: [We will frobnicate the plan.]
      pass: [We will change the plan.]
"""


def test_validate_a_good_and_a_bad_file(invoke: Invoke, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, "utf-8")
    result = invoke("glossary", "validate", str(good))
    assert result.exit_code == 0, result.output
    assert "No problems" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("      flag: [We will frobnicate the plan.]\n", ""), "utf-8")
    result = invoke("glossary", "validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:" in result.stdout and "flag" in result.stdout


def test_list_text_and_json(invoke: Invoke) -> None:
    result = invoke("glossary", "list", "--category", "acronym")
    assert result.exit_code == 0
    assert all(line.startswith("acronym ") for line in result.stdout.splitlines())
    data = json.loads(invoke("glossary", "list", "--format", "json").stdout)
    assert data["total"] == len(data["entries"]) == sum(data["counts"].values())
    assert set(data["counts"]) >= {"acronym", "officialese", "social-care", "health"}


def test_list_unknown_category_exits_2(invoke: Invoke) -> None:
    result = invoke("glossary", "list", "--category", "nope")
    assert result.exit_code == 2
    assert "categories: " in result.stderr


def test_list_with_an_extra_glossary(invoke: Invoke, tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(GOOD, "utf-8")
    result = invoke("glossary", "list", "--no-builtin-glossary", "--glossary", str(extra))
    assert result.stdout.split() == ["officialese", "frobnicate", "->", "change",
                                     "[frobnicate]"]


def test_search(invoke: Invoke) -> None:
    result = invoke("glossary", "search", "budget")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("personal budget ->") or \
        "[personal-budget]" in result.stdout
    assert invoke("glossary", "search", "zzqxw").exit_code == 1


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_export(invoke: Invoke, tmp_path: Path, fmt: str) -> None:
    pytest.importorskip("plainspeak.glossary.export")
    out = tmp_path / f"out.{fmt}"
    result = invoke("glossary", "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "care package" in text.lower()
    if fmt == "json":
        json.loads(text)
