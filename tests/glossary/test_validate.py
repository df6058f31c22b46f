"""``plainspeak glossary validate`` catches each kind of mistake, on small bad glossaries,
and every message names the file, the line and the entry, so a person editing in a web
browser can find it."""

from __future__ import annotations

from pathlib import Path

import pytest

from plainspeak.glossary.validate import Problem, validate_paths

CARE_CALL = """\
  - id: care-call
    term: care call
    category: social-care
    alternatives: [visit from your carer]
    explanation: When a paid carer comes to your home to help you.
    examples:
      flag:
        - We will add a fourth care call each day.
      pass:
        - Please call us if you need to talk about your care.
"""


def glossary(*entries: str) -> str:
    return "version: 1\nentries:\n" + "\n".join(entries)


def entry(id_: str, term: str, *, alternatives: str = "[plain words]",
          explanation: str = "A short note in plain words.", extra: str = "",
          flag: str = "", pass_: str = "") -> str:
    """One entry as YAML; ``flag`` defaults to a sentence that uses the term."""
    text = (f"  - id: {id_}\n    term: {term}\n    category: social-care\n"
            f"    alternatives: {alternatives}\n    explanation: {explanation}\n{extra}")
    flag = flag or f"We talked about the {term} today."
    text += f"    examples:\n      flag:\n        - {flag}\n"
    if pass_:
        text += f"      pass:\n        - {pass_}\n"
    return text


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]


def run(tmp_path: Path, text: str) -> tuple[str, list[Problem]]:
    path = tmp_path / "team-terms.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path), validate_paths([path])


def assert_one(problems: list[Problem], path: str, line: int, entry_id: str,
               words: str) -> None:
    """Exactly one problem, naming file, line and entry, that says ``words``."""
    assert len(problems) == 1, [str(p) for p in problems]
    [problem] = problems
    assert (problem.path, problem.line, problem.entry_id) == (path, line, entry_id)
    assert str(problem).startswith(f"{path}:{line}: entry '{entry_id}': ")
    assert words in problem.message
    assert "\n" not in str(problem)


def test_a_good_glossary_has_no_problems(tmp_path: Path) -> None:
    assert run(tmp_path, glossary(CARE_CALL))[1] == []


@pytest.mark.parametrize(("change", "at", "words"), [
    (("    explanation:", "    colour: red\n    explanation:"), "colour:",
     "unknown field 'colour'"),
    (("    explanation:", "    explantion:"), "explantion:",
     "unknown field 'explantion' (did you mean 'explanation'?)"),
    (("alternatives: [visit from your carer]", "alternatives: visit from your carer"),
     "- id: care-call", "'alternatives' must be a list"),
    (("    category: social-care\n", ""), "- id: care-call", "'category' is missing"),
    (("    category: social-care\n", "    category: socialcare\n"), "- id: care-call",
     "category 'socialcare' is not one of"),
    (("examples:\n", "safe_fix: maybe\n    examples:\n"), "- id: care-call",
     "'safe_fix' must be true or false"),
])
def test_schema_errors(tmp_path: Path, change: tuple[str, str], at: str, words: str) -> None:
    text = glossary(CARE_CALL.replace(*change, 1))
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, at), "care-call", words)


def test_duplicate_id(tmp_path: Path) -> None:
    text = glossary(CARE_CALL, CARE_CALL.replace("care call", "care visit"))
    path, problems = run(tmp_path, text)
    first = line_of(text, "- id: care-call")
    assert_one(problems, path, line_of(text, "- id: care-call", 2), "care-call",
               f"the id is already used by the entry on line {first}")


def test_same_written_form_in_two_entries(tmp_path: Path) -> None:
    text = glossary(CARE_CALL, entry("home-visit", "home visit", extra=(
        "    variants: [care call]\n")))
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: home-visit"), "home-visit",
               "'care call' is also written in entry 'care-call'")


def test_entries_that_shadow_each_other(tmp_path: Path) -> None:
    """"care calls" is written in one entry and is also the plural the other makes."""
    text = glossary(CARE_CALL, entry("care-calls", "care calls"))
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: care-calls"), "care-calls",
               "the form 'care calls' is also matched by entry 'care-call'")
    assert "shadows the other" in problems[0].message


def test_alternative_that_would_itself_be_flagged(tmp_path: Path) -> None:
    text = glossary(CARE_CALL, entry("home-visit", "home visit",
                                     alternatives="[a care call at home]"))
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: home-visit"), "home-visit",
               "the alternative 'a care call at home' would itself be flagged "
               "('care call' is in entry 'care-call')")


def test_hard_to_read_explanation(tmp_path: Path) -> None:
    hard = ("Notwithstanding multidisciplinary considerations, organisational "
            "accountability necessitates comprehensive institutional responsiveness.")
    text = glossary(entry("home-visit", "home visit", explanation=hard))
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: home-visit"), "home-visit",
               "the explanation is hard to read")


def test_flag_example_not_found(tmp_path: Path) -> None:
    text = glossary(entry("home-visit", "home visit", flag="Someone will come to see you."))
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: home-visit"), "home-visit",
               "the flag example is not found: 'Someone will come to see you.'")


def test_pass_example_flagged(tmp_path: Path) -> None:
    text = glossary(entry("home-visit", "home visit", pass_="Your home visit is at nine."))
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: home-visit"), "home-visit",
               "the pass example is flagged: 'Your home visit is at nine.'")


def test_broken_yaml_names_the_entry_it_is_in(tmp_path: Path) -> None:
    text = glossary(CARE_CALL, CARE_CALL.replace("care-call", "home-visit").replace(
        "[visit from your carer]", "[visit from your carer"))
    path, problems = run(tmp_path, text)
    assert len(problems) == 1, [str(p) for p in problems]
    [problem] = problems
    assert problem.path == path and problem.entry_id == "home-visit"
    assert problem.line >= line_of(text, "- id: home-visit")
    assert str(problem).startswith(f"{path}:{problem.line}: entry 'home-visit': "
                                   "this is not valid YAML")


def test_missing_examples(tmp_path: Path) -> None:
    text = glossary(CARE_CALL.split("    examples:")[0])
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: care-call"), "care-call",
               "needs at least one 'flag' example")


def test_limited_entry_without_a_pass_example(tmp_path: Path) -> None:
    text = glossary(entry("care-package", "package", alternatives="[care and support]",
                          extra="    only_in: [care package]\n",
                          flag="Your care package starts on Monday."))
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: care-package"), "care-package",
               "is limited with only_in, so it needs a 'pass' example")


def test_keep_term_may_have_no_alternatives_but_others_may_not(tmp_path: Path) -> None:
    keep = entry("deprivation-of-liberty", "deprivation of liberty", alternatives="[]",
                 extra="    keep: true\n")
    bare = entry("home-visit", "home visit", alternatives="[]")
    text = glossary(keep, bare)
    path, problems = run(tmp_path, text)
    assert_one(problems, path, line_of(text, "- id: home-visit"), "home-visit",
               "has no alternatives")


def test_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("entries: [\n", encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(glossary(entry("home-visit", "home visit",
                                   pass_="Your home visit is at nine.")), encoding="utf-8")
    problems = validate_paths([broken, good])
    assert [(p.path, p.entry_id) for p in problems] == [
        (str(broken), None), (str(good), "home-visit")]
    assert "this is not valid YAML" in problems[0].message


def test_module_command_prints_problems_and_fails(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from plainspeak.glossary.validate import main

    path, _ = run(tmp_path, glossary(CARE_CALL.split("    examples:")[0]))
    assert main([path]) == 1
    assert capsys.readouterr().out.startswith(f"{path}:3: entry 'care-call': needs at least")
