"""plainspeak fix: --diff writes nothing, fix changes only matched spans, twice is once."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.conftest import Invoke

from plainspeak.errors import FixConflictError

TEXT = "Please utilise the form prior to the meeting.\r\nService users told us.\r\n"
FIXED = "Please use the form before the meeting.\r\nService users told us.\r\n"


@pytest.fixture()
def letter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "letter.md"
    path.write_bytes(TEXT.encode("utf-8"))
    return path


def test_diff_shows_the_change_and_writes_nothing(invoke: Invoke, letter: Path) -> None:
    result = invoke("fix", "--diff", "letter.md")
    assert result.exit_code == 1
    assert "-Please utilise the form prior to the meeting." in result.stdout
    assert "+Please use the form before the meeting." in result.stdout
    assert result.stdout.startswith("--- a/letter.md\n+++ b/letter.md\n")
    assert letter.read_bytes() == TEXT.encode("utf-8")


def test_fix_rewrites_only_the_spans_and_twice_is_once(invoke: Invoke,
                                                        letter: Path) -> None:
    letter.chmod(0o640)
    result = invoke("fix", "letter.md")
    assert result.exit_code == 1
    assert "Fixed letter.md: 2 changes ('utilise' -> 'use', 'prior to' -> 'before')" \
        in result.stdout
    assert letter.read_bytes() == FIXED.encode("utf-8")   # CRLF kept, rest untouched
    assert letter.stat().st_mode & 0o777 == 0o640
    again = invoke("fix", "letter.md")
    assert again.exit_code == 0
    assert letter.read_bytes() == FIXED.encode("utf-8")
    assert "Nothing to fix." in again.stderr


def test_unsafe_applies_the_rest(invoke: Invoke, letter: Path) -> None:
    assert invoke("fix", "--unsafe", "letter.md").exit_code == 1
    assert letter.read_text("utf-8").splitlines()[1] == "People who use services told us."


def test_interactive_choices(invoke: Invoke, letter: Path) -> None:
    # utilise -> option 1 ("use"); prior to -> skip; service users -> option 3 ("You")
    result = invoke("fix", "--interactive", "letter.md", input="1\ns\n3\n")
    assert result.exit_code == 1, result.output
    assert "  1) People who use services\n  2) Person who uses services\n  3) You\n" \
        in result.stderr
    assert letter.read_text("utf-8").splitlines() == [
        "Please use the form prior to the meeting.", "You told us."]
    assert "('utilise' -> 'use', 'Service users' -> 'You')" in result.stdout


def test_interactive_end_of_input_keeps_earlier_choices(invoke: Invoke, letter: Path) -> None:
    result = invoke("fix", "--interactive", "letter.md", input="1\n")
    assert result.exit_code == 1
    assert letter.read_text("utf-8").splitlines()[0] == "Please use the form prior to the meeting."


def test_interactive_quit_skips_the_rest(invoke: Invoke, letter: Path) -> None:
    result = invoke("fix", "--interactive", "letter.md", input="q\n")
    assert result.exit_code == 0
    assert letter.read_bytes() == TEXT.encode("utf-8")


def test_a_conflict_is_one_line_and_exit_2(invoke: Invoke, letter: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import plainspeak.fileio

    def changed(path: str, new: bytes, *, original: bytes, mode: int | None = None) -> None:
        raise FixConflictError(f"{path}: the file changed while it was being checked; "
                               "not fixed (run plainspeak fix again)")

    monkeypatch.setattr(plainspeak.fileio, "write_atomic", changed)
    result = invoke("fix", "letter.md")
    assert result.exit_code == 2
    assert "plainspeak: letter.md: the file changed while it was being checked" \
        in result.stderr
    assert "Traceback" not in result.output


def test_fix_a_folder_and_a_word_file(invoke: Invoke, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from docx import Document

    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    document = Document()
    document.add_paragraph("Please utilise the form.")
    document.save(tmp_path / "docs" / "form.docx")
    (tmp_path / "docs" / "ok.txt").write_text("Nothing to change.\n", "utf-8")
    assert invoke("fix", "--diff", "docs").exit_code == 1
    assert invoke("fix", "docs").exit_code == 1
    text = "\n".join(p.text for p in Document(str(tmp_path / "docs" / "form.docx")).paragraphs)
    assert text == "Please use the form."
    assert invoke("fix", "docs").exit_code == 0


def test_missing_file_exits_2(invoke: Invoke, letter: Path) -> None:
    result = invoke("fix", "nope.md")
    assert result.exit_code == 2
    assert "plainspeak: nope.md: no such file" in result.stderr


def test_stdin_prints_the_fixed_text(invoke: Invoke, letter: Path) -> None:
    result = invoke("fix", "-", "--stdin-filename", "x.md", input=TEXT.encode("utf-8"))
    assert result.exit_code == 1
    assert result.stdout_bytes == FIXED.encode("utf-8")
    result = invoke("fix", "-", input=FIXED.encode("utf-8"))
    assert result.exit_code == 0
    assert result.stdout_bytes == FIXED.encode("utf-8")
    assert invoke("fix", "-", "letter.md").exit_code == 2


def test_a_term_across_word_formatting_is_left_with_a_reason(
        invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docx import Document

    monkeypatch.chdir(tmp_path)
    document = Document()
    paragraph = document.add_paragraph("Please util")
    paragraph.add_run("ise").bold = True
    paragraph.add_run(" the form prior to the meeting.")
    document.save(tmp_path / "form.docx")
    result = invoke("fix", "form.docx")
    assert "form.docx:1:8: 'utilise' was not changed because" in result.stderr
    assert "change it by hand" in result.stderr
    text = Document(str(tmp_path / "form.docx")).paragraphs[0].text
    assert text == "Please utilise the form before the meeting."
    assert result.exit_code == 1
