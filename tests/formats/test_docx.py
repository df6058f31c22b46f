"""Word: labelled lines per paragraph, and fixes that keep each run's formatting."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.shared import Pt

from plainspeak.errors import InputError
from plainspeak.formats import docx as docx_reader
from plainspeak.formats import read_bytes, read_path
from plainspeak.formats.docx import fix_docx, read_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def build() -> bytes:
    """A document with a heading, a bold run, a table, a header, a footer and a comment."""
    d = docx.Document()
    d.add_heading("Help for service users", 1)
    p = d.add_paragraph("We support ")
    bold = p.add_run("service users")
    bold.bold = True
    bold.font.size = Pt(14)
    p.add_run(" every day. Read https://example.org/service-users")
    d.add_paragraph("Split across runs: serv").add_run("ice users")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Who"
    table.cell(0, 1).text = "What"
    table.cell(1, 0).text = "service users"
    table.cell(1, 1).text = "Carers"
    table.cell(1, 1).add_paragraph("and family")
    d.sections[0].header.paragraphs[0].text = "Header for service users"
    d.sections[0].footer.paragraphs[0].text = "Footer text"
    d.add_comment(bold, text="Is service users the right phrase?", author="Reviewer")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def with_footnotes(data: bytes) -> bytes:
    """Add a footnotes part by hand: python-docx cannot write one."""
    notes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        '<w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>First note.</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="2"><w:p><w:r><w:t xml:space="preserve">Note on service users</w:t>'
        '</w:r></w:p></w:footnote></w:footnotes>'
    )
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", (
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
                    b"</Types>"))
            if item.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>"))
            dst.writestr(item, body)
        dst.writestr("word/footnotes.xml", notes)
    return out.getvalue()


def test_lines_and_labels() -> None:
    doc = read_docx(with_footnotes(build()), "plan.docx")
    pairs = list(zip(doc.line_labels or [], doc.source.split("\n"), strict=True))
    assert pairs == [
        ("paragraph 1", "Help for service users"),
        ("paragraph 2", "We support service users every day. Read "
                        "https://example.org/service-users"),
        ("paragraph 3", "Split across runs: service users"),
        ("table 1, row 1, cell 1", "Who"),
        ("table 1, row 1, cell 2", "What"),
        ("table 1, row 2, cell 1", "service users"),
        ("table 1, row 2, cell 2", "Carers"),
        ("table 1, row 2, cell 2, paragraph 2", "and family"),
        ("header (section 1)", "Header for service users"),
        ("footer (section 1)", "Footer text"),
        ("footnote 1", "First note."),
        ("footnote 2", "Note on service users"),
        ("comment 1", "Is service users the right phrase?"),
    ]
    assert doc.format == "docx"
    assert doc.label(6) == "table 1, row 2, cell 1"
    assert "example.org" not in doc.prose
    assert doc.blocks[0].kind == "heading"
    assert [b.kind for b in doc.blocks][-3:] == ["footnote", "footnote", "comment"]


def test_golden_positions() -> None:
    doc = read_docx(build())
    found = [(doc.position(m.start()), doc.label(doc.position(m.start())[0]))
             for m in re.finditer("service users", doc.prose)]
    assert found == [((1, 10), "paragraph 1"), ((2, 12), "paragraph 2"),
                     ((3, 20), "paragraph 3"), ((6, 1), "table 1, row 2, cell 1"),
                     ((9, 12), "header (section 1)"), ((11, 4), "comment 1")]
    for m in re.finditer("service users", doc.prose):
        assert doc.source[m.start():m.end()] == "service users"


def test_fix_within_runs_keeps_formatting_and_everything_else() -> None:
    data = with_footnotes(build())
    before = read_docx(data)
    edits = [(m.start(), m.end(), "people who use services")
             for m in re.finditer("service users", before.prose)]
    new, applied, manual = fix_docx(data, edits)
    assert len(edits) == 7
    split_run = before.source.index("service users", before.source.index("Split"))
    assert [e[0] for e in manual] == [split_run]
    assert len(applied) == 6
    after = read_docx(new)
    expected = before.source.split("\n")
    fixed = before.source
    for start, end, new_text in sorted(applied, reverse=True):
        fixed = fixed[:start] + new_text + fixed[end:]
    assert after.source == fixed
    assert after.line_labels == before.line_labels
    assert len(expected) == len(after.source.split("\n"))
    reopened = docx.Document(io.BytesIO(new))
    runs = reopened.paragraphs[1].runs
    assert runs[1].text == "people who use services"
    assert runs[1].bold is True and runs[1].font.size == Pt(14)
    assert runs[0].text == "We support " and runs[0].bold is None
    assert reopened.tables[0].cell(1, 1).paragraphs[1].text == "and family"
    assert reopened.sections[0].header.paragraphs[0].text == "Header for people who use services"
    assert reopened.sections[0].footer.paragraphs[0].text == "Footer text"


def test_fix_with_nothing_to_do_returns_the_same_bytes() -> None:
    data = build()
    assert fix_docx(data, []) == (data, [], [])


def test_overlapping_edits_leave_the_second_for_a_person() -> None:
    data = build()
    doc = read_docx(data)
    start = doc.source.index("service users")
    new, applied, manual = fix_docx(data, [(start, start + 7, "x"), (start + 3, start + 9, "y")])
    assert applied == [(start, start + 7, "x")] and manual == [(start + 3, start + 9, "y")]
    assert read_docx(new).source.startswith("Help for x users")


def test_not_a_zip() -> None:
    with pytest.raises(InputError, match=r"^b\.docx: not a Word document \(not a zip file\)$"):
        read_bytes(b"just some text", format="docx", path="b.docx")


def test_truncated_zip() -> None:
    data = build()
    with pytest.raises(InputError, match=r"^t\.docx: not a Word document"):
        read_bytes(data[: len(data) // 2], format="docx", path="t.docx")


def test_zip_that_is_not_word() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match=r"^z\.docx: not a Word document"):
        read_bytes(out.getvalue(), format="docx", path="z.docx")


def zip_of_zeros(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * size)
    return out.getvalue()


def test_zip_bomb_by_total_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_EXPANDED_BYTES", 1024 * 1024)
    with pytest.raises(InputError, match=r"^c\.docx: refusing to open: it would expand to "
                                         r"more than 1 MB \(zip bomb\?\)$"):
        read_bytes(zip_of_zeros(2 * 1024 * 1024), format="docx", path="c.docx")


def test_zip_bomb_by_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_RATIO", 100)
    with pytest.raises(InputError, match=r"^c\.docx: refusing to open: .*zip bomb"):
        read_bytes(zip_of_zeros(2 * 1024 * 1024), format="docx", path="c.docx")


def test_read_path_docx(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "letter.docx"  # type: ignore[operator]
    path.write_bytes(build())
    doc = read_path(path)
    assert doc.format == "docx" and doc.path == str(path)


def test_real_zip_bomb_is_refused_unopened() -> None:
    out = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as member:
            for _ in range(201):
                member.write(chunk)
    assert len(out.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(InputError, match=r"^c\.docx: refusing to open: it would expand to "
                                         r"more than 200 MB \(zip bomb\?\)$"):
        read_bytes(out.getvalue(), format="docx", path="c.docx")
