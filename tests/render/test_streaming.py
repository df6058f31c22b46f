"""Line formats a report at a time: the same bytes as the whole list rendered, counts kept apart."""

from __future__ import annotations

import io
import itertools
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.models import Fix, Report, RunSummary, Severity
from plainspeak.render import STREAMING, display_path, line_renderer, render, slim
from plainspeak.render import text as text_module
from plainspeak.render.text import Tally, statistics_table, summary_line

SOURCE = "Hello.\nWe support\tservice users to live well.\n漢字 and a care package.\n"
OPTIONS = [dict(color=c, statistics=s, quiet=q)
           for c, s, q in itertools.product((False, True), repeat=3)]


def _reports(make_finding) -> dict[str, list[Report]]:
    """Named runs covering what a report can hold: errors, stdin, every severity, an
    unknown rule, a Word label, findings out of order, a file with nothing to say."""
    users = make_finding(SOURCE, "service users")
    package = make_finding(SOURCE, "care package", entry_id="care-package", term=None,
                           severity=Severity.ERROR, fix=Fix("support", "safe"))
    long_one = make_finding(SOURCE, "We support", rule="PS201", name="long-sentence",
                            entry_id=None, term=None, alternatives=(), explanation=None,
                            severity=Severity.INFO)
    plugin = make_finding(SOURCE, "Hello", rule="XX900", name="plugin-rule", entry_id=None)
    word = make_finding(SOURCE, "live", where="paragraph 2", entry_id="live-well")
    mixed = [
        Report(findings=(package, users, long_one), path="docs/a.md", source=SOURCE),
        Report(path="docs/missing.md", error="cannot read it: no such file"),
        Report(path="docs/clean.md", source="Nothing here.\n"),
        Report(findings=(users,), path=None, source=SOURCE),              # standard input
        Report(findings=(plugin, word), path="letter.docx", format="docx", source=SOURCE),
        Report(findings=(users,), path="no-source.md"),                   # no excerpt
        Report(path="empty-error.md", error=""),
    ]
    return {
        "mixed": mixed,
        "empty run": [],
        "only clean": [Report(path="a.md", source="Fine.\n"), Report(path="b.md")],
        "only errors": [Report(path="a.md", error="bad"), Report(path=None, error="worse")],
        "stdin only": [Report(findings=(users, package), path=None, source=SOURCE)],
    }


def streamed(name: str, reports: list[Report], **options: bool) -> bytes:
    """What ``plainspeak check`` writes: each report's lines, each ended by a newline, as
    soon as the report comes (``cli.output.Output.write_lines``)."""
    handle = io.BytesIO()
    lines = line_renderer(name, **options)
    for report in reports:
        handle.write("".join(f"{line}\n" for line in lines.report(report)).encode())
    handle.write("".join(f"{line}\n" for line in lines.footer()).encode())
    return handle.getvalue()


def whole(name: str, reports: list[Report], **options: bool) -> bytes:
    """What the CLI wrote before streaming: render everything, then one final newline."""
    text = render(name, reports, **options)
    return (text + "\n").encode("utf-8", "surrogateescape") if text else b""


def before_streaming(reports: list[Report], *, color: bool = False, statistics: bool = False,
                     quiet: bool = False) -> bytes:
    """The text renderer as it was before it could stream (every report held to the end,
    the summary from RunSummary), kept as an independent reference for the same bytes."""
    t = text_module
    style = t._Style(color)
    out: list[str] = []
    for report in reports:
        path = t.escape_terminal(display_path(report.path))
        if report.error is not None:
            label = style("error", t._BOLD, t._SEVERITY_COLOR[Severity.ERROR])
            out.append(f"{style(path, t._BOLD)}: {label}: {t.one_line(report.error)}")
            if not quiet:
                out.append("")
        lines = [ln.rstrip("\r") for ln in report.source.split("\n")] if report.source else []
        for f in sorted(report.findings, key=lambda f: (f.line, f.column, f.rule, f.start)):
            if quiet:
                out.append(t._header(path, f, style))
            else:
                out.extend(t._finding_block(path, f, lines, 1, style))
                out.append("")
    findings = [f for r in reports for f in r.findings]
    if statistics and findings:
        by_rule = Counter(f.rule for f in findings)
        by_entry: Counter[str] = Counter()
        labels: dict[str, str] = {}
        for f in findings:
            if f.entry_id:
                by_entry[f.entry_id] += 1
                labels.setdefault(f.entry_id, f.term or f.text)
        width = len(str(max(by_rule.values())))
        out.append("Problems by rule:")
        for code, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = t.RULES.get(code)
            name = rule.name if rule else next(f.name for f in findings if f.rule == code)
            out.append(f"  {count:>{width}}  {t.one_line(code)}  {t.one_line(name)}")
        if by_entry:
            width = len(str(max(by_entry.values())))
            out.append("Problems by glossary term:")
            for entry_id, count in sorted(by_entry.items(), key=lambda kv: (-kv[1], kv[0])):
                out.append(f"  {count:>{width}}  {t.one_line(labels[entry_id])}  "
                           f"({t.one_line(entry_id)})")
        if not quiet:
            out.append("")
    if not quiet:
        summary = RunSummary.of(reports)
        unreadable = summary.files_with_errors
        readable = summary.files - unreadable
        failed = f"; {t._plural(unreadable, 'file')} could not be read" if unreadable else ""
        if summary.findings:
            sev = summary.by_severity
            parts = [t._plural(sev.get("error", 0), "error"),
                     t._plural(sev.get("warning", 0), "warning"), f"{sev.get('info', 0)} info"]
            kinds = ", ".join(p for p in parts if not p.startswith("0 "))
            with_problems = sum(1 for r in reports if r.findings)
            line = (f"Found {t._plural(summary.findings, 'problem')} ({kinds}) in "
                    f"{t._plural(with_problems, 'file')}{failed}.")
        elif unreadable:
            line = f"No problems in {t._plural(readable, 'file')}{failed}."
        elif not readable:
            line = "No files were checked."
        else:
            line = f"All clear: no problems in {t._plural(readable, 'file')}."
        out.append(style(line, t._BOLD))
    text = "\n".join(out)
    return (text + "\n").encode("utf-8", "surrogateescape") if text else b""


@pytest.mark.parametrize("name", STREAMING)
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: "-".join(k for k, v in o.items() if v)
                         or "plain")
@pytest.mark.parametrize("run", ["mixed", "empty run", "only clean", "only errors",
                                 "stdin only"])
def test_streamed_output_is_the_rendered_output(make_finding, name, options, run):
    reports = _reports(make_finding)[run]
    assert streamed(name, reports, **options) == whole(name, reports, **options)
    if name == "text":
        assert streamed(name, reports, **options) == before_streaming(reports, **options)


def test_the_cases_reach_every_part_of_the_text_output(make_finding):
    out = whole("text", _reports(make_finding)["mixed"], statistics=True).decode()
    for part in ("docs/missing.md: error:", "<stdin>:2:", "(paragraph 2)", "XX900  plugin-rule",
                 "Problems by glossary term:", "  try: ", "  why: ", "^^^", "1 info",
                 "1 file could not be read"):
        assert part in out, part
    assert whole("text", [], quiet=True) == b""
    assert whole("text", []) == b"No files were checked.\n"


def test_a_report_gives_the_same_lines_whatever_came_before(make_finding):
    """For the line formats; JSON's first report opens the document, and each object
    after the first closes the one before with a comma."""
    reports = _reports(make_finding)["mixed"]
    for name in ("text", "github"):
        fresh = [line_renderer(name).report(r) for r in reports]
        running = line_renderer(name)
        assert [running.report(r) for r in reports] == fresh


def test_an_unknown_format_cannot_be_streamed():
    with pytest.raises(ValueError, match="'sarif' cannot be streamed"):
        line_renderer("sarif")


_SEVERITIES = st.sampled_from(list(Severity))
_RULES = st.sampled_from(["PS101", "PS201", "PS202", "XX900"])
_ENTRIES = st.sampled_from([None, "care-package", "service-users"])


@st.composite
def _runs(draw, make_finding):
    reports = []
    for i in range(draw(st.integers(0, 6))):
        if draw(st.booleans()) and draw(st.booleans()):
            reports.append(Report(path=f"bad{i}.md", error=draw(st.sampled_from(["", "bad"]))))
            continue
        findings = tuple(
            make_finding(SOURCE, "service users", severity=draw(_SEVERITIES),
                         rule=draw(_RULES), entry_id=draw(_ENTRIES),
                         term=draw(st.sampled_from([None, "a term"])))
            for _ in range(draw(st.integers(0, 4))))
        reports.append(Report(findings=findings, path=f"f{i}.md", source=SOURCE))
    return reports


@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_tally_counts_as_the_run_summary_does(make_finding, data):
    reports = data.draw(_runs(make_finding))
    tally = Tally.of(reports)
    summary = RunSummary.of(reports)
    assert (tally.files, tally.files_with_errors, tally.findings) == (
        summary.files, summary.files_with_errors, summary.findings)
    assert dict(tally.by_severity) == summary.by_severity
    assert dict(tally.by_rule) == summary.by_rule
    assert tally.files_with_findings == sum(1 for r in reports if r.findings)
    assert summary_line(tally) == summary_line(reports)
    assert statistics_table(tally) == statistics_table(reports)
    for name in STREAMING:
        for options in (OPTIONS[0], OPTIONS[-1], dict(statistics=True)):
            assert streamed(name, reports, **options) == whole(name, reports, **options)
    for options in OPTIONS:
        assert streamed("text", reports, **options) == before_streaming(reports, **options)


def test_slim_keeps_what_json_and_sarif_show(builtin_checker):
    text = "Service users said the care package was fine.\n\nIt was. " * 3
    report = replace(builtin_checker.check(text), path="a.md")
    assert report.findings and report.sentences and report.source
    for name in ("json", "sarif"):
        kept = slim(name, report)
        assert kept.source == "" and kept.sentences == ()
        assert render(name, [kept]) == render(name, [report])
    assert slim("html", report) is report
    assert slim("text", report) is report


@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_a_file_in_sections_is_shown_as_the_file_whole(make_finding, data):
    """A long file checked in sections comes as several reports (``Report.more``), its
    findings in order across them: every line format shows what it shows for the file's
    one report, and counts the file once."""
    reports = [replace(r, findings=tuple(sorted(
        r.findings, key=lambda f: (f.line, f.column, f.rule, f.start))))
        for r in data.draw(_runs(make_finding))]
    pieces: list[Report] = []
    for report in reports:
        if report.error is not None:
            pieces.append(report)
            continue
        cuts = sorted(data.draw(st.lists(st.integers(0, len(report.findings)), max_size=3)))
        bounds = [0, *cuts, len(report.findings)]
        parts = [report.findings[a:b] for a, b in itertools.pairwise(bounds)]
        pieces.extend(replace(report, findings=part, more=True, readability=None,
                              suppressed=i) for i, part in enumerate(parts[:-1]))
        pieces.append(replace(report, findings=parts[-1],
                              suppressed=report.suppressed - sum(range(len(parts) - 1))))
    for name in STREAMING:
        for options in (OPTIONS[0], OPTIONS[-1], dict(statistics=True)):
            assert streamed(name, pieces, **options) == whole(name, reports, **options)


def test_a_file_that_fails_after_its_first_sections_keeps_its_findings_and_its_error(
        make_finding):
    """A file that turns unreadable while its sections are read (it changed): the JSON
    keeps what was shown of it and gives the error, and the file counts once."""
    import json

    users = make_finding(SOURCE, "service users")
    pieces = [Report(findings=(users,), path="long.md", source=SOURCE, more=True),
              Report(path="long.md", error="cannot decode the text: it changed")]
    lines = line_renderer("json")
    out = [line for report in pieces for line in lines.report(report)] + lines.footer()
    document = json.loads("\n".join(out))
    assert [(f["path"], len(f["findings"]), f["error"]) for f in document["files"]] == [
        ("long.md", 1, None), ("long.md", 0, "cannot decode the text: it changed")]
    assert (document["summary"]["files"], document["summary"]["files_with_errors"]) == (1, 1)
    text = line_renderer("text")
    shown = [line for report in pieces for line in text.report(report)] + text.footer()
    assert shown[-1] == ("Found 1 problem (1 warning) in 1 file; 1 file could not be read.")
