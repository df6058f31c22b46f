"""The public API: findings with exact offsets, lines and columns; reports; fix."""

from __future__ import annotations

from pathlib import Path

import pytest

import plainspeak
from plainspeak.api import Checker
from plainspeak.settings import Settings

PARAGRAPH = (
    "Our username policy was planned with service users.\n"
    "The Steering Groups co-produced a new care package for you."
)


def test_finds_the_issue_examples_with_exact_positions(checker: Checker) -> None:
    report = checker.check(PARAGRAPH)
    found = [(f.text, f.start, f.end, f.line, f.column) for f in report.findings
             if f.rule == "PS101"]
    assert found == [
        ("service users", 37, 50, 1, 38),
        ("Steering Groups", 56, 71, 2, 5),
        ("co-produced", 72, 83, 2, 21),
        ("care package", 90, 102, 2, 39),
    ]
    for f in report.findings:
        assert PARAGRAPH[f.start:f.end] == f.text


def test_nothing_inside_other_words(checker: Checker) -> None:
    report = checker.check("Your username is planned. LAs? Plan it. Budgetary.")
    assert [f.text for f in report.findings if f.rule == "PS101"] == []


def test_findings_carry_entry_data(checker: Checker) -> None:
    [finding] = checker.check("We asked service users.").findings
    assert finding.rule == "PS101" and finding.name == "jargon"
    assert finding.entry_id == "service-user" and finding.term == "service user"
    assert finding.alternatives == ("person who uses services", "you")
    assert finding.explanation and finding.category == "social-care"
    assert finding.sentence == "We asked service users."
    assert finding.severity.value == "warning"
    assert finding.fix is not None and finding.fix.replacement == "people who use services"


def test_longest_match_wins_and_nothing_overlaps(checker: Checker) -> None:
    report = checker.check("Your personal budget and your budget.")
    assert [(f.entry_id, f.text) for f in report.findings] == [
        ("personal-budget", "personal budget"), ("budget", "budget")]


def test_variants_and_hyphen_spellings(checker: Checker) -> None:
    text = "Co-production, coproduction and co production. We utilize it."
    ids = [f.entry_id for f in checker.check(text).findings if f.rule == "PS101"]
    assert ids == ["co-production"] * 3 + ["utilise"]


def test_exact_case_and_restrictions(checker: Checker) -> None:
    text = "La Rochelle is nice. The package arrived. Read the review."
    assert checker.check(text).findings == ()
    text = "The LA agreed. A package of care. We review care."
    assert [f.entry_id for f in checker.check(text).findings] == ["la", "care-package", "review"]


def test_not_in_vetoes_a_phrase(checker: Checker) -> None:
    assert checker.check("The service user group met.").findings == ()


def test_acronym_spelled_out_first_is_accepted(checker: Checker) -> None:
    text = "The Care Quality Commission (CQC) inspects. The CQC rated it good."
    assert checker.check(text).findings == ()
    text = "The CQC inspects. The CQC rated it good."
    assert [f.column for f in checker.check(text).findings] == [5]


def test_kept_term_explained_once(checker: Checker) -> None:
    text = ("You can have direct payments (money from the council to pay for care). "
            "Direct payments are paid monthly.")
    assert checker.check(text).findings == ()
    text = "You can have direct payments. Direct payments are paid monthly."
    [finding] = checker.check(text).findings
    assert finding.text == "direct payments" and finding.fix is None


def test_sic_and_allow_list(engine_glossary) -> None:
    assert Checker(glossary=engine_glossary).check("They said service users [sic].").findings == ()
    allowed = Checker(Settings(allow=("service user",)), glossary=engine_glossary)
    assert allowed.check("We asked service users.").findings == ()


def test_long_and_hard_sentences() -> None:
    long = " ".join(["word"] * 30) + "."
    report = plainspeak.check(long, builtin_glossary=False)
    assert [f.rule for f in report.findings] == ["PS201"]
    hard = ("Notwithstanding considerable organisational complexity, multidisciplinary "
            "practitioners operationalise interdisciplinary collaboration.")
    assert [f.rule for f in plainspeak.check(hard, builtin_glossary=False).findings] == ["PS202"]
    assert plainspeak.check(long, builtin_glossary=False, max_sentence_words=40).findings == ()


def test_select_and_ignore(checker: Checker, engine_glossary) -> None:
    only = Checker(Settings(ignore=("PS1",)), glossary=engine_glossary)
    assert only.check("We asked service users.").findings == ()
    by_id = Checker(Settings(ignore=("service-user",)), glossary=engine_glossary)
    assert by_id.check("We asked service users and the LA.").findings[0].entry_id == "la"


def test_report_to_dict_and_readability(checker: Checker) -> None:
    report = checker.check(PARAGRAPH)
    data = report.to_dict()
    assert data["findings"][0]["start"] == 37
    assert data["readability"]["words"] == report.readability.words == 18
    assert "age" in data["readability"]["reading_age_words"]


def test_check_many_matches_check(checker: Checker) -> None:
    texts = [PARAGRAPH, "Nothing here.", "We signposted her."]
    many = list(checker.check_many(texts))
    assert [r.findings for r in many] == [checker.check(t).findings for t in texts]


def test_fix_keeps_case_and_everything_else(engine_glossary) -> None:
    text = "Service users said: please UTILISE the form.\n"
    fixed = plainspeak.fix(text, glossary=engine_glossary)
    assert fixed == "People who use services said: please USE the form.\n"
    unsafe = plainspeak.fix("We signposted her.", glossary=engine_glossary, unsafe=True)
    assert unsafe == "We sent her."


def test_check_path_reports_missing_file(checker: Checker, tmp_path) -> None:
    report = checker.check_path(tmp_path / "nope.md")
    assert report.error and "nope.md" in report.error and report.findings == ()


def test_warm_up_changes_no_result(engine_glossary) -> None:
    """warm_up builds the screen early; reports are the same with or without it."""
    cold, warm = Checker(glossary=engine_glossary), Checker(glossary=engine_glossary)
    warm.warm_up()
    texts = [PARAGRAPH, "We signposted her. Service users, service\n  users.", ""]
    assert [r.findings for r in warm.check_many(texts)] == [
        r.findings for r in cold.check_many(texts)]


def test_streaming_many_documents_in_batches(engine_glossary) -> None:
    """More documents than one batch, and enough text to switch the screen on midway."""
    checker = Checker(glossary=engine_glossary)
    texts = [f"Page {i}. {PARAGRAPH}" for i in range(70)] * 40
    reports = list(checker.check_many(texts))
    assert len(reports) == len(texts)
    assert len({r.findings[0].text for r in reports if r.findings}) >= 1
    assert [r.findings for r in reports[:70]] == [r.findings for r in reports[-70:]]


def test_a_glossary_path_honours_disable_and_other_glossaries(tmp_path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("entries:\n  - id: widget-scheme\n    term: widget scheme\n"
                    "    category: officialese\n    alternatives: [plan]\n"
                    "    explanation: A made-up scheme.\n", "utf-8")
    theirs = tmp_path / "theirs.yaml"
    theirs.write_text(mine.read_text("utf-8").replace("widget", "gadget"), "utf-8")
    text = "The widget scheme and the gadget scheme help service users."

    def terms(**options: object) -> list[str]:
        return [f.entry_id or "" for f in plainspeak.check(text, **options).findings
                if f.rule == "PS101"]

    assert terms(glossary=mine) == ["widget-scheme", "service-user"]
    assert terms(glossary=str(mine), disable=["service-user"]) == ["widget-scheme"]
    assert terms(glossary=mine, glossaries=[str(theirs)], builtin_glossary=False) == [
        "widget-scheme", "gadget-scheme"]


def test_a_long_markdown_file_goes_to_a_remote_analyser_in_parts(
        engine_glossary, tmp_path, monkeypatch) -> None:
    """check_paths(remote=...) (--jobs 2) sends a long Markdown file part by part while
    it reads it; the reports are those of one process, even when some of the parts
    come back as errors (the other process died) and are matched here instead."""
    from concurrent.futures import Future

    from plainspeak.cli.matcher_process import wire
    from plainspeak.formats import markdown

    checker = Checker(glossary=engine_glossary)
    section = ("## Steering groups\n\nService users and the steering group met. Reablement "
               "(help to relearn daily tasks) starts soon.\n\n- reablement again\n\n")
    (tmp_path / "long.md").write_text(section * 40, "utf-8")
    (tmp_path / "short.md").write_text(PARAGRAPH, "utf-8")
    paths = [tmp_path / "long.md", tmp_path / "short.md"]
    expected = [r.to_dict() for r in checker.check_paths(paths)]
    monkeypatch.setattr(markdown, "PART_CHARS", 500)

    class EveryThirdFails:
        def __init__(self) -> None:
            self.sent: list[int] = []

        def submit(self, proses, score):
            self.sent.append(len(proses))
            future: Future = Future()
            if len(self.sent) % 3 == 0:
                future.set_exception(RuntimeError("the other process died"))
            else:
                future.set_result(wire(checker.analyse(proses, score=score)))
            return future

        def backlog(self) -> int:
            return 0

    remote = EveryThirdFails()
    assert [r.to_dict() for r in checker.check_paths(paths, remote=remote)] == expected
    assert remote.sent.count(1) > 6    # long.md's parts, one prose each


def test_a_long_file_checked_in_sections_finds_what_checking_it_whole_finds(
        builtin_checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sections carry the readability counts and the terms settled so far: together
    their findings are the whole file's, and the last has the whole file's scores."""
    import plainspeak.formats as formats
    from plainspeak.formats import base

    path = tmp_path / "long.md"
    page = ("## Help\n\nThe CQC visits. Service users said the care package was fine, and "
            "the reablement team, which is a team that helps you at home, came.\n\n"
            "> Reablement helps. It was good.\n\n")
    path.write_text("# Start\n\nReablement (short-term help) helps.\n\n" + page * 60, "utf-8")
    whole = builtin_checker.check_path(path)
    monkeypatch.setattr(formats, "SECTION_BYTES", 1)
    monkeypatch.setattr(base, "SECTION_CHARS", 700)
    sections = list(builtin_checker.check_paths([path, path], sections=True))
    half = len(sections) // 2
    assert half > 10 and sections[:half] == sections[half:]   # a new file starts afresh
    assert [r.more for r in sections[:half]] == [True] * (half - 1) + [False]
    assert tuple(f for r in sections[:half] for f in r.findings) == whole.findings
    assert sections[half - 1].readability == whole.readability
    assert all(r.readability is None and not r.sentences for r in sections[:half - 1])
    for report in sections[:half]:
        assert whole.source.splitlines(keepends=True)[report.first_line - 1:][0] == (
            report.source.splitlines(keepends=True)[0])


def test_a_long_file_that_changes_while_read_in_sections_ends_with_its_error(
        builtin_checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first pass found UTF-8; by the second, bytes that are not came in: the
    sections before them are reported, then the file's one-line error."""
    import plainspeak.formats as formats
    from plainspeak.formats import base

    path = tmp_path / "long.md"
    path.write_text("A care package.\n\n" * 400, "utf-8")
    monkeypatch.setattr(formats, "SECTION_BYTES", 1)
    monkeypatch.setattr(formats, "PIECE_BYTES", 1000)
    monkeypatch.setattr(base, "SECTION_CHARS", 500)
    scan = formats._scan

    def scan_then_change(name: str, max_bytes: int, least: int) -> object:
        found = scan(name, max_bytes, least)
        path.write_bytes(path.read_bytes()[:5000] + b"\xff" * 10 + b"\n\nThe end.\n")
        return found

    monkeypatch.setattr(formats, "_scan", scan_then_change)
    reports = list(builtin_checker.check_paths([path], sections=True))
    assert len(reports) > 3 and all(r.more for r in reports[:-1])
    assert reports[-1].error == f"{path}: cannot decode the text: it changed while being read"
    assert sum(len(r.findings) for r in reports) >= 200
