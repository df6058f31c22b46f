"""The Word reader and fixer: one source line per paragraph, each with a human label.

Word has no lines, so the reader makes them: body paragraphs and table-cell paragraphs
in document order, then headers, footers, footnotes, endnotes and comments, each
paragraph one line.  ``line_labels`` names each line ("table 1, row 2, cell 3") so a
finding can say where it is in words a Word user recognises.

Fixing keeps formatting by never touching run properties: a replacement that lies
inside one ``w:t`` text element edits that element's text and nothing else; a match
that crosses runs (or text elements) is handed back as a manual change.  Before
python-docx opens anything, the zip is checked, so a zip bomb is refused unopened.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from plainspeak.errors import InputError
from plainspeak.formats.base import Block, SourceDocument
from plainspeak.formats.plaintext import blank_non_prose, build_prose

MAX_EXPANDED_BYTES = 200 * 1024 * 1024   # total uncompressed size we agree to open
MAX_RATIO = 1000                         # compression ratio no honest XML part reaches
MAX_MEMBERS = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# Subtrees whose text is not the paragraph's own: text boxes and drawings hold
# paragraphs of their own, deleted and moved-away text is not what the reader sees.
_SKIP = frozenset(_W + t for t in ("drawing", "pict", "object", "txbxContent", "del",
                                   "moveFrom", "instrText", "delText"))
_SKIP_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_CHAR = {_W + "tab": "\t", _W + "br": " ", _W + "cr": " ", _W + "noBreakHyphen": "-"}
_NOTE_SEPARATORS = frozenset({"separator", "continuationSeparator", "continuationNotice"})


@dataclass
class _Line:
    label: str
    kind: str
    text: str
    pieces: list[tuple[int, Any]] = field(default_factory=list)  # (offset, w:t element)


@dataclass
class _Story:
    """Everything read from one package: lines plus the parts to write back."""

    lines: list[_Line]
    document: Any
    loose_parts: list[tuple[Any, Any]]   # (generic part, parsed root) to re-serialise


def _name(path: str | None) -> str:
    return path or "<input>"


def check_zip(data: bytes, path: str | None = None) -> None:
    """Refuse a file that is not a zip, is damaged, or would expand too far."""
    name = _name(path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        if data[:2] == b"PK":
            raise InputError(
                f"{name}: not a Word document (the zip file is damaged or truncated)"
            ) from None
        raise InputError(f"{name}: not a Word document (not a zip file)") from None
    except (OSError, ValueError, EOFError):
        raise InputError(
            f"{name}: not a Word document (the zip file is damaged or truncated)"
        ) from None
    with archive:
        infos = archive.infolist()
        limit_mb = MAX_EXPANDED_BYTES // (1024 * 1024)
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"{name}: refusing to open: it holds more than "
                             f"{MAX_MEMBERS} files (zip bomb?)")
        total = sum(info.file_size for info in infos)
        bomb = any(info.file_size > 1024 * 1024
                   and info.file_size > MAX_RATIO * max(info.compress_size, 1)
                   for info in infos)
        if total > MAX_EXPANDED_BYTES or bomb:
            raise InputError(f"{name}: refusing to open: it would expand to more than "
                             f"{limit_mb} MB (zip bomb?)" if total > MAX_EXPANDED_BYTES
                             else f"{name}: refusing to open: a part expands more than "
                             f"{MAX_RATIO} times (zip bomb?)")
        if "[Content_Types].xml" not in archive.namelist():
            raise InputError(f"{name}: not a Word document (no [Content_Types].xml)")


def _open(data: bytes, path: str | None) -> Any:
    check_zip(data, path)
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-docx and lxml raise many kinds
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise InputError(f"{_name(path)}: not a Word document ({reason})") from None


def _paragraph_line(p: Any, label: str, kind: str) -> _Line:
    """The text of one paragraph, remembering which w:t element holds each piece."""
    line = _Line(label, kind, "")
    parts: list[str] = []
    offset = 0
    stack = [iter(p)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP or tag == _SKIP_MC:
            continue
        if tag == _W + "t":
            text = (child.text or "").replace("\n", " ").replace("\r", " ")
            if text:
                line.pieces.append((offset, child))
                parts.append(text)
                offset += len(text)
        elif tag in _CHAR:
            parts.append(_CHAR[tag])
            offset += 1
        elif len(child):
            stack.append(iter(child))
    line.text = "".join(parts)
    return line


def _style_kind(p: Any, default: str) -> str:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    value = (style.get(_W + "val") or "").lower() if style is not None else ""
    return "heading" if value.startswith("heading") or value == "title" else default


def _container(el: Any, prefix: str, kind: str, out: list[_Line],
               tables: list[int], body: bool = False) -> None:
    """Paragraphs of a story (body, header, cell, note, comment) in document order."""
    count = 0
    for child in el.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            count += 1
            if body:
                label = f"paragraph {count}"
            else:
                label = prefix if count == 1 else f"{prefix}, paragraph {count}"
            out.append(_paragraph_line(child, label, _style_kind(child, kind)))
        elif tag == _W + "tbl":
            tables[0] += 1
            number = tables[0]
            head = f"table {number}" if body else f"{prefix}, table {number}"
            for r, tr in enumerate(child.iterchildren(_W + "tr"), 1):
                for c, tc in enumerate(tr.iterchildren(_W + "tc"), 1):
                    _container(tc, f"{head}, row {r}, cell {c}", "table_cell", out, tables)
        elif tag in (_W + "sdt", _W + "customXml"):
            inner = child.find(_W + "sdtContent") if tag == _W + "sdt" else child
            if inner is not None:
                _container(inner, prefix, kind, out, tables, body)


def _read(data: bytes, path: str | None) -> _Story:
    document = _open(data, path)
    from docx.oxml import parse_xml

    lines: list[_Line] = []
    _container(document.element.body, "", "paragraph", lines, [0], body=True)
    part = document.part
    seen: set[int] = set()
    for which in ("header", "footer"):
        for number, section in enumerate(document.sections, 1):
            for ref in section._sectPr.iterchildren(f"{_W}{which}Reference"):
                target = part.related_parts.get(ref.get(_R + "id"))
                if target is None or id(target) in seen:
                    continue
                seen.add(id(target))
                kind = ref.get(_W + "type") or "default"
                name = which if kind == "default" else f"{kind}-page {which}"
                _container(target.element, f"{name} (section {number})", which, lines, [0])
    loose: list[tuple[Any, Any]] = []
    for reltype, tag, label in (("footnotes", "footnote", "footnote"),
                                ("endnotes", "endnote", "endnote"),
                                ("comments", "comment", "comment")):
        for rel in list(part.rels.values()):
            if rel.reltype != _RT + reltype or rel.is_external:
                continue
            target = rel.target_part
            root = getattr(target, "element", None)
            if root is None:
                try:
                    root = parse_xml(target.blob)
                except Exception:  # noqa: BLE001 - a broken notes part is skipped
                    continue
                loose.append((target, root))
            number = 0
            for note in root.iterchildren(_W + tag):
                if note.get(_W + "type") in _NOTE_SEPARATORS:
                    continue
                number += 1
                _container(note, f"{label} {number}", label, lines, [0])
    return _Story(lines, document, loose)


def read_docx(data: bytes, path: str | None = None) -> SourceDocument:
    """Read a .docx: one line per paragraph, labelled, prose as the text itself."""
    story = _read(data, path)
    source = "\n".join(line.text for line in story.lines)
    keep: list[tuple[int, int]] = []
    blocks: list[Block] = []
    offset = 0
    for line in story.lines:
        if line.text.strip():
            keep.append((offset, offset + len(line.text)))
        offset += len(line.text) + 1
    prose = blank_non_prose(build_prose(source, keep))
    offset = 0
    for line in story.lines:
        text = prose[offset:offset + len(line.text)]
        start = offset + len(text) - len(text.lstrip())
        end = offset + len(text.rstrip())
        if end > start:
            blocks.append(Block(start, end, line.kind))
        offset += len(line.text) + 1
    return SourceDocument(source=source, prose=prose, format="docx", blocks=blocks,
                          line_labels=[line.label for line in story.lines], path=path)


def fix_docx(data: bytes, edits: Sequence[tuple[int, int, str]]
             ) -> tuple[bytes, list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Apply edits given in ``read_docx(data).source`` offsets.

    Returns the new file, the edits applied, and the edits left for a person because
    their span is not inside one text element of one run (or overlaps another edit)."""
    story = _read(data, None)
    by_element: dict[int, tuple[Any, list[tuple[int, int, str]]]] = {}
    applied: list[tuple[int, int, str]] = []
    manual: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for edit in edits:
        start, end, _ = edit
        hit = _locate(story.lines, start, end)
        overlaps = any((start < e and s < end) or s == start for s, e in taken)
        if hit is None or overlaps:
            manual.append(edit)
            continue
        element, local = hit
        taken.append((start, end))
        by_element.setdefault(id(element), (element, []))[1].append(
            (local, local + end - start, edit[2]))
        applied.append(edit)
    if not applied:
        return data, applied, manual
    for element, changes in by_element.values():
        text = element.text or ""
        for s, e, new in sorted(changes, reverse=True):
            text = text[:s] + new + text[e:]
        element.text = text
        if text != text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    from docx.opc.oxml import serialize_part_xml

    for part, root in story.loose_parts:
        part._blob = serialize_part_xml(root)
    out = io.BytesIO()
    story.document.save(out)
    return out.getvalue(), applied, manual


def _locate(lines: list[_Line], start: int, end: int) -> tuple[Any, int] | None:
    """The w:t element that holds the whole span, and the span's offset inside it."""
    if start > end:
        return None
    offset = 0
    for line in lines:
        line_end = offset + len(line.text)
        if offset <= start <= line_end:
            if end > line_end:
                return None
            for piece_start, element in line.pieces:
                a = offset + piece_start
                b = a + len(element.text or "")
                if a <= start and end <= b:
                    return element, start - a
            return None
        offset = line_end + 1
    return None
