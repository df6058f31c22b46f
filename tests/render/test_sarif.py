"""The SARIF renderer: valid against the official 2.1.0 schema, shaped for GitHub code scanning."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.models import Fix, Report, Severity
from plainspeak.render import render
from plainspeak.render.sarif import FINGERPRINT_KEY, artifact_uri, fingerprint
from plainspeak.rules import RULES

SOURCE = "Hello.\nWe support service users to live well.\n"
SCHEMA_FILE = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif(reports, **options):
    return json.loads(render("sarif", reports, tool_version="1.2.3", **options))


def check_for_code_scanning(log: dict) -> None:
    """What GitHub code scanning needs beyond the schema."""
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert ids[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        parts = urlsplit(uri)
        assert not parts.scheme and not parts.netloc and not uri.startswith("/")
        assert " " not in uri and "\\" not in uri
        assert result["partialFingerprints"][FINGERPRINT_KEY]


def test_normal_findings(make_finding, validator):
    findings = (
        make_finding(SOURCE, "service users"),
        make_finding(SOURCE, "We support service users to live well.", rule="PS202",
                     name="hard-sentence", severity=Severity.INFO, entry_id=None,
                     term=None, category=None, alternatives=()),
    )
    log = sarif([Report(findings=findings, path="docs/a.md", source=SOURCE)])
    validator.validate(log)
    check_for_code_scanning(log)
    assert log["version"] == "2.1.0" and log["$schema"]
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]
    driver = run["tool"]["driver"]
    assert driver["name"] == "plainspeak" and driver["version"] == "1.2.3"
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    jargon = driver["rules"][0]
    assert jargon["name"] == "jargon"
    assert jargon["defaultConfiguration"] == {"level": "warning"}
    assert jargon["help"]["text"] == RULES["PS101"].help
    assert driver["rules"][2]["defaultConfiguration"] == {"level": "note"}

    first, second = run["results"]
    assert first["ruleId"] == "PS101" and first["ruleIndex"] == 0
    assert first["level"] == "warning" and second["level"] == "note"
    assert first["message"] == {"text": findings[0].message}
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "docs/a.md"},
        "region": {"startLine": 2, "startColumn": 12, "endLine": 2, "endColumn": 25,
                   "charOffset": 18, "charLength": 13, "snippet": {"text": "service users"}},
    }
    assert first["properties"] == {
        "severity": "warning", "entry_id": "service-users", "term": "service users",
        "category": "social-care", "tags": ["social-care"],
        "alternatives": ["people who use services", "people we support"],
    }
    assert "fixes" not in first
    assert second["properties"] == {"severity": "info"}


def test_a_safe_fix_becomes_a_replacement(make_finding, validator):
    safe = make_finding(SOURCE, "service users", fix=Fix("people who use services", "safe"))
    unsafe = make_finding(SOURCE, "live", fix=Fix("reside", "unsafe"))
    log = sarif([Report(findings=(safe, unsafe), path="docs/a.md", source=SOURCE)])
    validator.validate(log)
    check_for_code_scanning(log)
    with_fix, without_fix = log["runs"][0]["results"]
    assert "fixes" not in without_fix
    (fix,) = with_fix["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "docs/a.md"}
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 2, "startColumn": 12, "endLine": 2, "endColumn": 25,
                          "charOffset": 18, "charLength": 13},
        "insertedContent": {"text": "people who use services"},
    }]
    region = change["replacements"][0]["deletedRegion"]
    start = region["charOffset"]
    fixed = SOURCE[:start] + "people who use services" + SOURCE[start + region["charLength"]:]
    assert fixed == "Hello.\nWe support people who use services to live well.\n"


def test_a_file_error_is_a_tool_notification(make_finding, validator):
    f = make_finding(SOURCE, "service users")
    log = sarif([Report(findings=(f,), path="a.md", source=SOURCE),
                 Report(path="dir/bad file.docx", error="bad.docx is not a Word document")])
    validator.validate(log)
    check_for_code_scanning(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [{
        "level": "error",
        "message": {"text": "bad.docx is not a Word document"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "dir/bad%20file.docx"}}}],
    }]
    assert len(log["runs"][0]["results"]) == 1


def test_no_findings(validator):
    log = sarif([Report(path="a.md", source=SOURCE)])
    validator.validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    log = sarif([])
    validator.validate(log)
    assert log["runs"][0]["results"] == []


def test_word_findings_name_the_paragraph_and_carry_no_offsets_or_fixes(make_finding, validator):
    f = make_finding(SOURCE, "service users", where="paragraph 2",
                     fix=Fix("people who use services", "safe"))
    log = sarif([Report(findings=(f,), path="letter.docx", format="docx", source=SOURCE)])
    validator.validate(log)
    (result,) = log["runs"][0]["results"]
    (location,) = result["locations"]
    assert location["message"] == {"text": "paragraph 2"}
    assert "charOffset" not in location["physicalLocation"]["region"]
    assert "fixes" not in result
    assert result["properties"]["where"] == "paragraph 2"


def test_a_rule_missing_from_the_table_still_gets_a_descriptor(make_finding, validator):
    f = make_finding(SOURCE, "service users", rule="PS999", name="future-rule",
                     severity=Severity.ERROR)
    log = sarif([Report(findings=(f,), path="a.md", source=SOURCE)])
    validator.validate(log)
    check_for_code_scanning(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[-1]["id"] == "PS999"
    assert rules[-1]["defaultConfiguration"] == {"level": "error"}
    assert log["runs"][0]["results"][0]["level"] == "error"


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("docs/a.md", "docs/a.md"),
        ("./docs/a.md", "docs/a.md"),
        ("docs/my letter #1.md", "docs/my%20letter%20%231.md"),
        ("docs/café.md", "docs/caf%C3%A9.md"),
        ("100%.md", "100%25.md"),
        (None, "%3Cstdin%3E"),
    ],
)
def test_artifact_uris_are_relative_and_escaped(path, uri):
    assert artifact_uri(path) == uri
    if path is not None:
        assert unquote(uri) == Path(path).as_posix()


def test_an_absolute_path_under_the_working_directory_becomes_relative():
    assert artifact_uri(os.path.join(os.getcwd(), "docs", "a.md")) == "docs/a.md"
    outside = Path(os.getcwd()).anchor + "elsewhere-" + "x" * 8 + "/a b.md"
    if not Path(outside).is_relative_to(Path.cwd()):
        assert artifact_uri(outside).startswith("file:///")


def test_fingerprints_are_stable_and_ignore_line_moves(make_finding):
    f = make_finding(SOURCE, "service users")
    moved_source = "\n\n" + SOURCE
    moved = make_finding(moved_source, "service users")
    assert fingerprint("a.md", f) == fingerprint("a.md", moved)
    assert fingerprint("a.md", f) == fingerprint("./a.md", f)
    upper = replace(f, text="Service Users")
    assert fingerprint("a.md", upper) == fingerprint("a.md", f)
    reflowed = replace(f, sentence="We support  service users\nto live well.")
    assert fingerprint("a.md", replace(f, sentence="We support service users to live well.")
                       ) == fingerprint("a.md", reflowed)
    assert fingerprint("b.md", f) != fingerprint("a.md", f)
    assert fingerprint("a.md", f, 1) != fingerprint("a.md", f)


def test_the_same_term_twice_in_a_sentence_gets_two_fingerprints(make_finding):
    source = "service users and service users\n"
    findings = (make_finding(source, "service users"),
                make_finding(source, "service users", nth=1))
    log = sarif([Report(findings=findings, path="a.md", source=source)])
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]]
    assert len(set(prints)) == 2


_ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                                  exclude_categories=()), max_size=30)


@settings(deadline=None)
@given(source=_ANY_TEXT, message=_ANY_TEXT,
       path=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=20),
       span=st.tuples(st.integers(0, 30), st.integers(0, 30)), safe=st.booleans())
def test_any_text_gives_a_valid_log(make_finding, validator, source, message, path, span, safe):
    source = source or "x"
    start, end = sorted(min(i, len(source)) for i in span)
    f = make_finding(source, source[start:end] or source[0], message=message,
                     fix=Fix(message, "safe" if safe else "unsafe"))
    out = render("sarif", [Report(findings=(f,), path=path, source=source)])
    out.encode("utf-8")
    log = json.loads(out)
    validator.validate(log)
    result = log["runs"][0]["results"][0]
    assert result["message"]["text"] == message
    assert result["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == f.text
    assert ("fixes" in result) == safe


def test_the_official_schema_rejects_a_broken_log(make_finding, validator):
    f = make_finding(SOURCE, "service users")
    log = sarif([Report(findings=(f,), path="a.md", source=SOURCE)])
    del log["runs"][0]["results"][0]["message"]
    assert not validator.is_valid(log)
    log = sarif([Report(findings=(f,), path="a.md", source=SOURCE)])
    log["runs"][0]["results"][0]["level"] = "warn"
    assert not validator.is_valid(log)


def test_real_engine_findings_validate(builtin_checker, validator):
    text = ("We will review your care package with service users.\r\n"
            "The\tsafeguarding team will facilitate a multi-agency meeting to commence the"
            " process of assessment and review of the care plan and the needs of the people"
            " we support in the community setting.\n")
    report = builtin_checker.check(text, path="docs/x.md")
    assert report.findings
    log = sarif([report])
    validator.validate(log)
    check_for_code_scanning(log)
    for f, result in zip(report.findings, log["runs"][0]["results"], strict=True):
        region = result["locations"][0]["physicalLocation"]["region"]
        start = region["charOffset"]
        assert text[start:start + region["charLength"]] == region["snippet"]["text"] == f.text
