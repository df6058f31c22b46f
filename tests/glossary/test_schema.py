"""The published JSON Schema agrees with the loader: what one accepts, so does the other."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from plainspeak.errors import GlossaryError
from plainspeak.glossary.loader import parse_glossary

ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "src/plainspeak/schemas/glossary.schema.json").read_text("utf-8"))
ENTRY = {"term": "reablement", "category": "social-care",
         "alternatives": ["help to get back on your feet"],
         "explanation": "Short-term help at home after an illness."}


def test_schema_is_valid_and_accepts_the_builtin_glossary() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    data = yaml.safe_load((ROOT / "glossary.yaml").read_text("utf-8"))
    jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize("change", [
    {"category": "social"}, {"alternatives": "help"}, {"safe_fix": "yes"},
    {"colour": "red"}, {"severity": "fatal"}, {"examples": {"fail": ["x"]}},
    {"term": True}, {"explanation": 12}, {"variants": [False]}, {"only_near": [None]},
])
def test_schema_and_loader_both_reject(change: dict) -> None:
    data = {"version": 1, "entries": [{**ENTRY, **change}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    with pytest.raises(GlossaryError):
        parse_glossary(yaml.safe_dump(data), "x.yaml")


@pytest.mark.parametrize("change", [{}, {"only_near": [18, "care leaver"]},
                                    {"variants": None}, {"keep": True, "alternatives": []}])
def test_schema_and_loader_both_accept(change: dict) -> None:
    data = {"version": 1, "entries": [{**ENTRY, **change}]}
    jsonschema.validate(data, SCHEMA)
    entry = parse_glossary(yaml.safe_dump(data), "x.yaml").entries[0]
    assert entry.id == "reablement"
    if "only_near" in change:
        assert entry.only_near == ("18", "care leaver")  # numbers are read as text


def test_the_builtin_glossary_names_its_schema_for_editors() -> None:
    first = (ROOT / "glossary.yaml").read_text("utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert first.endswith("src/plainspeak/schemas/glossary.schema.json")
