"""The SARIF 2.1.0 renderer, shaped for GitHub code scanning: one run, rule metadata, fixes.

Every glossary hit is rule PS101, so rule ids stay stable as the glossary grows; the
entry id travels in ``properties`` and in the fingerprint.  Columns are code points,
as plainspeak counts them, and the run says so with ``columnKind``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from plainspeak.models import Finding, Report, Severity
from plainspeak.render import STDIN_NAME, resolve_version, to_json
from plainspeak.rules import RULES, Rule

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/plainspeak/plainspeak"
FINGERPRINT_KEY = "plainspeakFinding/v1"

LEVELS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}

# Formats whose offsets point into extracted text rather than the file's own characters:
# line/column still name the paragraph, but character offsets and fixes would be wrong.
_NOT_TEXT_FORMATS = frozenset({"docx"})


def artifact_uri(path: str | None) -> str:
    """A relative URI reference with forward slashes and percent-escapes.

    An absolute path under the working directory is made relative to it (code scanning
    resolves URIs against the checkout); any other absolute path becomes a file: URI.
    """
    if path is None:
        return quote(STDIN_NAME, safe="")
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return quote(PurePath(p).as_posix(), safe="/")


def fingerprint(path: str | None, f: Finding, occurrence: int = 0) -> str:
    """Stable across runs and line moves: what was found, where in which sentence, not the
    line number.  ``occurrence`` tells apart the same term twice in the same sentence."""
    parts = [
        PurePath(path).as_posix() if path else "",
        f.rule,
        f.entry_id or "",
        f.text.lower(),
        " ".join(f.sentence.split()),
        str(occurrence),
    ]
    data = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": rule.help},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["plain-language"], "fixable": rule.fixable},
    }


def _unknown_rule(f: Finding) -> Rule:
    """A rule the table does not know (a plugin or a newer engine) still gets a descriptor,
    because code scanning drops results whose ruleId is not in ``rules``."""
    return Rule(f.rule, f.name, f.name, f.severity, False, "")


def _region(f: Finding, *, offsets: bool, snippet: bool = True) -> dict[str, Any]:
    start_line = max(1, f.line)
    end_line = max(start_line, f.end_line)
    start_col = max(1, f.column)
    end_col = max(1, f.end_column)
    if end_line == start_line:
        end_col = max(start_col, end_col)
    region: dict[str, Any] = {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
    }
    if offsets:
        region["charOffset"] = max(0, f.start)
        region["charLength"] = max(0, f.end - f.start)
    if snippet:
        region["snippet"] = {"text": f.text}
    return region


def _properties(f: Finding) -> dict[str, Any]:
    props: dict[str, Any] = {"severity": f.severity.value}
    if f.entry_id is not None:
        props["entry_id"] = f.entry_id
    if f.term is not None:
        props["term"] = f.term
    if f.category is not None:
        props["category"] = f.category
        props["tags"] = [f.category]
    if f.alternatives:
        props["alternatives"] = list(f.alternatives)
    if f.where is not None:
        props["where"] = f.where
    return props


def _result(report: Report, f: Finding, rule_index: int, occurrence: int) -> dict[str, Any]:
    uri = artifact_uri(report.path)
    text_offsets = report.format not in _NOT_TEXT_FORMATS
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": _region(f, offsets=text_offsets),
        }
    }
    if f.where:
        location["message"] = {"text": f.where}
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(report.path, f, occurrence)},
        "properties": _properties(f),
    }
    if f.fix is not None and f.fix.safe and text_offsets:
        result["fixes"] = [
            {
                "description": {"text": f"Replace '{f.text}' with '{f.fix.replacement}'."},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {
                                "deletedRegion": _region(f, offsets=True, snippet=False),
                                "insertedContent": {"text": f.fix.replacement},
                            }
                        ],
                    }
                ],
            }
        ]
    return result


def document(reports: Sequence[Report], *, tool_version: str | None = None) -> dict[str, Any]:
    """The SARIF log as plain data."""
    version = resolve_version(tool_version)
    rules = list(RULES.values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for report in reports:
        if report.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": report.error},
                    "locations": [
                        {"physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(report.path)}}}
                    ],
                }
            )
        seen: dict[str, int] = {}
        for f in report.findings:
            if f.rule not in index:
                index[f.rule] = len(rules)
                rules.append(_unknown_rule(f))
            key = fingerprint(report.path, f)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            results.append(_result(report, f, index[f.rule], occurrence))
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "plainspeak",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(
    reports: Sequence[Report],
    *,
    color: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    glossary: Glossary | None = None,
    tool_version: str | None = None,
    **_: Any,
) -> str:
    """A SARIF 2.1.0 log with one run; a file that could not be read becomes an error
    notification and marks the run's execution unsuccessful."""
    return to_json(document(reports, tool_version=tool_version))
