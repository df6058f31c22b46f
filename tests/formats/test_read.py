"""Reading files: format by extension, and a one-line error for every kind of bad input."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

import plainspeak.formats as formats
from plainspeak.errors import InputError
from plainspeak.formats import (
    EXTENSIONS,
    FORMATS,
    format_for_path,
    read_bytes,
    read_path,
    read_text,
)


@pytest.mark.parametrize("name, fmt", [
    ("a.txt", "text"), ("a.TEXT", "text"), ("a.md", "markdown"), ("b.Markdown", "markdown"),
    ("c.mdown", "markdown"), ("d.mkd", "markdown"), ("e.html", "html"), ("f.HTM", "html"),
    ("g.xhtml", "html"), ("h.docx", "docx"), ("README", None), ("x.pdf", None),
])
def test_format_for_path(name: str, fmt: str | None) -> None:
    assert format_for_path(name) == fmt
    assert format_for_path(Path("dir") / name) == fmt


def test_every_extension_names_a_format() -> None:
    assert set(EXTENSIONS.values()) == set(FORMATS)


def test_read_path_by_extension_keeps_encoding_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(codecs.BOM_UTF16_LE + "# Notes\r\n\r\nFor you.\r\n".encode("utf-16-le"))
    doc = read_path(path)
    assert (doc.format, doc.encoding, doc.bom) == ("markdown", "utf-16-le", codecs.BOM_UTF16_LE)
    assert doc.source == "# Notes\r\n\r\nFor you.\r\n"
    assert doc.path == str(path)


def test_unknown_extension_reads_as_text_and_format_can_be_forced(tmp_path: Path) -> None:
    path = tmp_path / "NOTES"
    path.write_text("<p>hi</p>")
    assert read_path(path).format == "text"
    assert read_path(path, format="html").prose.strip() == "hi"


def error(path: Path | str, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        read_path(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert error(tmp_path / "notes.md") == f"{tmp_path / 'notes.md'}: no such file"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.md"
    path.write_text("words")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # Tests run as root, where chmod cannot lock a file, so the refusal is simulated.
    monkeypatch.setattr(formats, "open", refuse, raising=False)
    assert error(path) == f"{path}: permission denied"


def test_directory(tmp_path: Path) -> None:
    assert error(tmp_path).endswith(": is a directory, not a file")


def test_fifo_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert error(path) == f"{path}: not a regular file"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "e.md"
    path.write_bytes(b"")
    assert error(path) == f"{path}: file is empty"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error(path) == f"{path}: looks like a binary file, not text"


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bytes(range(128, 256)))
    assert error(path) == (f"{path}: cannot decode the text (not UTF-8 or UTF-16, "
                           "and no other encoding fits)")


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:      # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    assert error(path) == f"{path}: file is 200.0 MB, over the 20 MB limit"
    assert error(path, max_bytes=1024 * 1024).endswith("over the 1 MB limit")


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "b.docx"
    path.write_text("not really Word")
    assert error(path) == f"{path}: not a Word document (not a zip file)"


def test_read_text_rejects_docx_and_unknown_formats() -> None:
    with pytest.raises(InputError, match="must be read from bytes"):
        read_text("x", format="docx")
    with pytest.raises(InputError, match="unknown format 'pdf'"):
        read_text("x", format="pdf")


def test_read_bytes_without_a_path_names_the_input() -> None:
    with pytest.raises(InputError, match=r"^<input>: file is empty$"):
        read_bytes(b"", format="text")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_single_long_line(fmt: str) -> None:
    # A 2 MB line (the 10 MB row of the bad-input table costs several seconds in
    # markdown-it alone) must be read without error, and in linear time.
    text = ("Some plain words, a link https://x.org/a and *emphasis* &amp; more. " * 30_000)
    doc = read_text(text, format=fmt)
    assert len(doc.prose) == len(text) and len(doc.blocks) == 1


# -- a long Markdown file, a section at a time -----------------------------------------
SECTION = ("## Help at home\n\nService users &amp; carers get a [care package][cp].\n\n"
           "- one\n- two\n\n  still the second item\n\n> quoted\n\n```\ncode\n```\n\n"
           "| a | b |\n|---|---|\n| ünïcode | d |\n\n")


def _sections(path: Path, **options: object) -> list[formats.SourceDocument]:
    from plainspeak.formats import base

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base, "SECTION_CHARS", 500)
        patch.setattr(formats, "PIECE_BYTES", 333)   # pieces end inside characters
        return list(formats.read_path_sections(path, section_bytes=1, **options))  # type: ignore[arg-type]


def test_a_long_markdown_file_is_read_in_sections_that_make_up_the_whole(
        tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    text = "---\ntitle: Long\n---\n" + SECTION * 40 + "[cp]: https://example.org/cp\n"
    path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
    whole = read_path(path, front_matter_fields=("title",))
    sections = _sections(path, front_matter_fields=("title",))
    assert len(sections) > 10
    assert "".join(s.source for s in sections) == whole.source
    assert "".join(s.prose for s in sections) == whole.prose
    assert [(s.offset + b.start, s.offset + b.end) for s in sections for b in s.blocks] == [
        (b.start, b.end) for b in whole.blocks]
    assert [s.more for s in sections] == [True] * (len(sections) - 1) + [False]
    assert all(s.first_line == whole.position(s.offset)[0] for s in sections)
    assert {(s.encoding, s.bom) for s in sections} == {("utf-8", codecs.BOM_UTF8)}
    # the link defined at the very end is a link from the first section on
    assert "care package" in sections[0].prose and "[cp]" not in sections[0].prose


@pytest.mark.parametrize("content, why", [
    (SECTION * 40 + "<!-- plainspeak-disable-file -->\n", "a directive reaches back"),
    ((SECTION * 40).encode("utf-8").replace("ü".encode(), b"\xfc"), "not UTF-8"),
    (SECTION, "short"),
])
def test_a_markdown_file_is_read_whole_when_sections_would_not_do(
        tmp_path: Path, content: str | bytes, why: str) -> None:
    path = tmp_path / "whole.md"
    if isinstance(content, str):
        path.write_text(content, "utf-8")
    else:
        path.write_bytes(content)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formats, "PIECE_BYTES", 333)
        documents = list(formats.read_path_sections(path, section_bytes=len(SECTION) + 1))
    assert len(documents) == 1, why
    assert documents[0].source == read_path(path).source
    assert not documents[0].more


def test_reading_in_sections_reports_bad_input_as_reading_whole_does(tmp_path: Path) -> None:
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\x00\x01" * 1000)
    with pytest.raises(InputError, match="binary"):
        list(formats.read_path_sections(binary, section_bytes=1))
    with pytest.raises(InputError, match="no such file"):
        list(formats.read_path_sections(tmp_path / "missing.md", section_bytes=1))


def test_a_long_text_file_is_read_in_sections_that_make_up_the_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Service users, see https://example.org/a/b for help.\n\n\n"
                    "A care package\nover two lines.\n \n" * 60, "utf-8")
    whole = read_path(path)
    sections = _sections(path)
    assert len(sections) > 5
    assert "".join(s.prose for s in sections) == whole.prose
    assert [(s.offset + b.start, s.offset + b.end) for s in sections for b in s.blocks] == [
        (b.start, b.end) for b in whole.blocks]
