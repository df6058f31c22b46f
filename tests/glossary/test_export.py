"""Exports: the published jargon buster is in sync with glossary.yaml, and CSV and JSON
carry every entry."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from plainspeak.glossary.export import (
    CSV_COLUMNS,
    REGENERATE,
    counts_by_category,
    export,
    main,
)
from plainspeak.glossary.loader import load_glossary, parse_glossary
from plainspeak.glossary.model import Glossary

ROOT = Path(__file__).parents[2]
JARGON_BUSTER = ROOT / "docs" / "jargon-buster.md"

SMALL = """version: 1
entries:
  - id: cqc
    term: CQC
    category: acronym
    alternatives: [the care inspector (Care Quality Commission)]
    explanation: The body that checks care is safe.
    exact_case: true
    examples:
      flag: [The CQC visited.]
  - id: direct-payment
    term: direct payment
    category: social-care
    alternatives: [money from the council to buy your own care]
    explanation: Money the council pays you, so you can choose your own care.
    keep: true
    examples:
      flag: [You can have direct payments.]
  - id: care-package
    term: package
    category: social-care
    alternatives: [care and support]
    explanation: The help you get.
    only_in: [care package]
    variants: [packages]
    examples:
      flag: [Your care package starts soon.]
      pass: [Your package was delivered.]
  - id: utilise
    term: utilise
    category: officialese
    alternatives: [use]
    explanation: A long word for "use". It has a * star and a_line.
    variants: [utilize]
    examples:
      flag: [Please utilise the form.]
"""


@pytest.fixture(scope="module")
def small() -> Glossary:
    return Glossary(parse_glossary(SMALL, "small.yaml").entries)


@pytest.fixture(scope="module")
def builtin() -> Glossary:
    return load_glossary()


def test_jargon_buster_is_up_to_date(builtin: Glossary) -> None:
    expected = export(builtin, "markdown")
    actual = JARGON_BUSTER.read_text("utf-8") if JARGON_BUSTER.exists() else ""
    assert actual == expected, (
        f"docs/jargon-buster.md is out of date with glossary.yaml; regenerate it with "
        f"`{REGENERATE}`")


def test_markdown_is_an_a_to_z_with_keep_terms_marked(small: Glossary) -> None:
    text = export(small, "markdown")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## C", "## D", "## P", "## U"]
    terms = [line[4:] for line in text.splitlines() if line.startswith("### ")]
    assert terms == ["CQC", "direct payment", "package", "utilise"]
    direct = text.split("### direct payment")[1].split("###")[0]
    assert "**keep and explain**" in direct
    assert "direct payment (money from the council to buy your own care)" in direct
    assert "Say instead: use" in text
    assert "Only counts in: care package" in text
    assert "Also written: utilize" in text
    assert r"a \* star and a\_line" in text  # Markdown characters shown, not obeyed
    assert "4 terms (2 social care, 0 health, 1 officialese, 1 abbreviation)." in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_markdown_is_stable(small: Glossary) -> None:
    reordered = Glossary(tuple(reversed(small.entries)))
    assert export(small, "markdown") == export(reordered, "markdown")


def test_csv_has_one_row_per_entry(small: Glossary) -> None:
    rows = list(csv.DictReader(io.StringIO(export(small, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["id"] for r in rows] == [e.id for e in small]
    assert rows[1]["keep"] == "true" and rows[2]["only_in"] == "care package"
    assert rows[3]["explanation"] == 'A long word for "use". It has a * star and a_line.'


def test_json_round_trips_entries_and_counts(small: Glossary) -> None:
    data = json.loads(export(small, "json"))
    assert data["total"] == 4
    assert data["counts"] == {"social-care": 2, "health": 0, "officialese": 1, "acronym": 1}
    assert data["entries"] == [e.to_dict() for e in small]


def test_counts_by_category_match_the_builtin_glossary(builtin: Glossary) -> None:
    counts = counts_by_category(builtin)
    assert counts == {c: Counter(e.category for e in builtin)[c] for c in counts}
    assert list(counts)[:4] == ["social-care", "health", "officialese", "acronym"]
    assert sum(counts.values()) == len(builtin)


def test_unknown_format_is_refused(small: Glossary) -> None:
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export(small, "pdf")


def test_module_command_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    source = tmp_path / "small.yaml"
    source.write_text(SMALL, encoding="utf-8")
    target = tmp_path / "out.csv"
    assert main(["csv", str(source), "--no-builtin", "-o", str(target)]) == 0
    assert target.read_text("utf-8").splitlines()[0].startswith("id,term,category")
    assert main(["json", str(tmp_path / "missing.yaml")]) == 2
    assert "not found" in capsys.readouterr().err
