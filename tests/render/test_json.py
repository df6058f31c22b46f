"""The JSON renderer: output matches the shipped schema, keeps every field, stays valid JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.models import Fix, Readability, Report, Severity
from plainspeak.render import render
from plainspeak.render.json import SCHEMA_VERSION, document, load_schema

SOURCE = "Hello.\nWe support service users to live well.\n"
SCHEMA_FILE = Path(__file__).parents[2] / "src" / "plainspeak" / "schemas" / "report.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def readability(**changes: float) -> Readability:
    values = dict(
        flesch_reading_ease=72.345, flesch_kincaid_grade=6.1, smog_index=7.0, gunning_fog=8.2,
        coleman_liau_index=9.0, automated_readability_index=5.5, dale_chall=6.6,
        reading_age=11.24, words=9, sentences=2, syllables=12, average_sentence_length=4.5,
        long_word_share=0.11111,
    )
    values.update(changes)
    return Readability(**values)  # type: ignore[arg-type]


def test_the_shipped_schema_is_the_source_file():
    assert load_schema() == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_output_with_findings_readability_and_an_error_validates(make_finding, validator):
    f = make_finding(SOURCE, "service users", fix=Fix("people who use services", "safe"))
    reports = [
        Report(findings=(f,), readability=readability(), path="docs/a.md", format="markdown",
               source=SOURCE, suppressed=2),
        Report(path="missing.md", error="cannot read missing.md: no such file"),
    ]
    out = render("json", reports, tool_version="9.9.9")
    data = json.loads(out)
    validator.validate(data)
    assert data["tool"] == "plainspeak"
    assert data["version"] == "9.9.9"
    assert data["schema_version"] == SCHEMA_VERSION == 1
    first, second = data["files"]
    assert first["findings"] == [f.to_dict()]
    assert first["readability"]["reading_age"] == 11.2
    assert first["readability"]["reading_age_words"] == (
        "about age 11: most people can read this easily")
    assert first["suppressed"] == 2
    assert second == {"path": "missing.md", "format": "text",
                      "error": "cannot read missing.md: no such file", "findings": [],
                      "readability": None, "suppressed": 0}
    assert data["summary"] == {"files": 2, "files_with_errors": 1, "findings": 1,
                               "by_severity": {"warning": 1}, "by_rule": {"PS101": 1}}


def test_output_is_indented_and_keeps_non_ascii(make_finding):
    source = "Le café service users 漢字\n"
    f = make_finding(source, "service users")
    out = render("json", [Report(findings=(f,), source=source, path="café.md")])
    assert '\n  "tool": "plainspeak",\n' in out
    assert '"path": "café.md"' in out
    assert not out.endswith("\n")


def test_default_version_is_the_package_version():
    from plainspeak._version import __version__

    assert json.loads(render("json", []))["version"] == __version__


def test_no_reports_validates(validator):
    data = json.loads(render("json", []))
    validator.validate(data)
    assert data["files"] == [] and data["summary"]["findings"] == 0


def test_stdin_report_has_a_null_path(make_finding, validator):
    f = make_finding(SOURCE, "service users", severity=Severity.INFO, where="paragraph 2")
    data = json.loads(render("json", [Report(findings=(f,), source=SOURCE)]))
    validator.validate(data)
    assert data["files"][0]["path"] is None
    assert data["files"][0]["findings"][0]["where"] == "paragraph 2"


def test_a_score_that_cannot_be_computed_is_null_not_nan(validator):
    scores = readability(flesch_reading_ease=float("nan"), gunning_fog=float("inf"))
    data = json.loads(render("json", [Report(readability=scores, path="a.md")]))
    validator.validate(data)
    assert data["files"][0]["readability"]["flesch_reading_ease"] is None
    assert data["files"][0]["readability"]["gunning_fog"] is None


def test_the_schema_rejects_what_it_should(make_finding, validator):
    f = make_finding(SOURCE, "service users")
    good = document([Report(findings=(f,), path="a.md", source=SOURCE)])
    validator.validate(good)
    bad_field = json.loads(json.dumps(good))
    bad_field["files"][0]["findings"][0]["colour"] = "red"
    bad_severity = json.loads(json.dumps(good))
    bad_severity["files"][0]["findings"][0]["severity"] = "fatal"
    missing = json.loads(json.dumps(good))
    del missing["files"][0]["error"]
    for bad in (bad_field, bad_severity, missing):
        assert not validator.is_valid(bad)


def test_lone_surrogates_become_escapes_that_round_trip(make_finding):
    source = "bad \udcff byte service users\n"
    f = make_finding(source, "service users")
    out = render("json", [Report(findings=(f,), path="a\udc80.md", source=source)])
    out.encode("utf-8")
    data = json.loads(out)
    assert data["files"][0]["path"] == "a\udc80.md"
    assert data["files"][0]["findings"][0]["sentence"] == "bad \udcff byte service users"


_ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                                  exclude_categories=()), max_size=30)


@settings(deadline=None)
@given(source=_ANY_TEXT, message=_ANY_TEXT, path=_ANY_TEXT, alternative=_ANY_TEXT,
       span=st.tuples(st.integers(0, 30), st.integers(0, 30)))
def test_any_text_gives_valid_json_that_round_trips(
        make_finding, validator, source, message, path, alternative, span):
    source = source or "x"
    start, end = sorted(min(i, len(source)) for i in span)
    f = make_finding(source, source[start:end] or source[0], message=message,
                     alternatives=(alternative,), explanation=alternative)
    out = render("json", [Report(findings=(f,), path=path, source=source),
                          Report(path=path, error=message)])
    out.encode("utf-8")
    data = json.loads(out)
    validator.validate(data)
    assert data["files"][0]["findings"][0] == f.to_dict()
    assert data["files"][1]["error"] == message


def test_the_documented_example_validates(validator):
    doc = (Path(__file__).parents[2] / "docs" / "json-output.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```json\n(.*?)\n```", doc, flags=re.S)
    data = json.loads(example)
    validator.validate(data)
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, flags=re.M))
    finding = load_schema()["$defs"]["finding"]["properties"]
    assert set(finding) <= documented
    assert set(load_schema()["$defs"]["readability"]["properties"]) <= documented


def test_real_engine_findings_validate(builtin_checker, validator):
    report = builtin_checker.check("We will review your care package.\n", path="a.md")
    assert report.findings
    data = json.loads(render("json", [report]))
    validator.validate(data)
    assert data["files"][0]["findings"] == [f.to_dict() for f in report.findings]
