"""Readers that turn a file into a SourceDocument: plain text, Markdown, HTML and Word.

Every failure to read is an ``InputError`` whose message starts with the path and fits
on one line, so the CLI can report it for that file and carry on with the rest.  Heavy
libraries (markdown-it, python-docx, charset-normalizer) load only when a file needs
them, so importing this package costs next to nothing.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from plainspeak.errors import InputError
from plainspeak.formats.base import Block, Comment, Part, SourceDocument

__all__ = [
    "EXTENSIONS", "FORMATS", "Block", "Comment", "Part", "SourceDocument",
    "format_for_path", "read_bytes", "read_file_bytes", "read_path", "read_path_sections",
    "read_text",
]

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx",
}
FORMATS: tuple[str, ...] = ("text", "markdown", "html", "docx")
_MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * _MB


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The format a file's extension names (case-insensitive), or None if unknown."""
    return EXTENSIONS.get(os.path.splitext(os.fspath(path))[1].lower())


def _check_format(format: str, name: str) -> None:
    if format not in FORMATS:
        raise InputError(f"{name}: unknown format {format!r} "
                         f"(expected one of {', '.join(FORMATS)})")


def read_text(text: str, *, format: str = "text", path: str | None = None,
              front_matter_fields: Sequence[str] = (),
              on_part: Callable[[Part], None] | None = None) -> SourceDocument:
    """Read text that is already decoded (not for Word, which is bytes).

    ``on_part`` receives a long Markdown document in parts while it is read (see
    ``Part``); other formats, and short documents, are not given in parts."""
    name = path or "<input>"
    _check_format(format, name)
    if format == "text":
        from plainspeak.formats.plaintext import read_plaintext

        return _no_surrogates(read_plaintext(text, path))
    if format == "markdown":
        from plainspeak.formats.markdown import read_markdown

        sink = None if on_part is None else _parts_without_surrogates(on_part)
        return _no_surrogates(read_markdown(text, path, front_matter_fields, sink))
    if format == "html":
        from plainspeak.formats.html import read_html

        return _no_surrogates(read_html(text, path))
    raise InputError(f"{name}: a Word document must be read from bytes, not text")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(doc: SourceDocument) -> SourceDocument:
    """A str from the API can hold lone surrogates (``surrogateescape`` decoding) that no
    UTF-8 consumer accepts, spaCy included.  The prose view shows each as U+FFFD, one
    character for one, so offsets hold and the source keeps exactly what was given."""
    if _SURROGATE.search(doc.prose) is not None:
        doc.prose = _SURROGATE.sub("\ufffd", doc.prose)
    return doc


def _parts_without_surrogates(on_part: Callable[[Part], None]) -> Callable[[Part], None]:
    """Parts get the same U+FFFD for lone surrogates as the whole prose view."""
    def send(part: Part) -> None:
        if _SURROGATE.search(part.prose) is not None:
            part = replace(part, prose=_SURROGATE.sub("\ufffd", part.prose))
        on_part(part)

    return send


def read_bytes(data: bytes, *, format: str, path: str | None = None,
               front_matter_fields: Sequence[str] = (),
               on_part: Callable[[Part], None] | None = None) -> SourceDocument:
    """Decode and read a file's bytes; the document remembers its encoding and BOM."""
    name = path or "<input>"
    _check_format(format, name)
    if not data:
        raise InputError(f"{name}: file is empty")
    if format == "docx":
        from plainspeak.formats.docx import read_docx

        return read_docx(data, path)
    from plainspeak.formats.encoding import decode

    decoded = decode(data, name)
    doc = read_text(decoded.text, format=format, path=path,
                    front_matter_fields=front_matter_fields, on_part=on_part)
    doc.encoding = decoded.encoding
    doc.bom = decoded.bom
    return doc


def read_path(path: str | os.PathLike[str], *, format: str | None = None,
              front_matter_fields: Sequence[str] = (),
              max_bytes: int = DEFAULT_MAX_BYTES,
              on_part: Callable[[Part], None] | None = None) -> SourceDocument:
    """Read a file from disk.  The format comes from the extension unless given (plain
    text when the extension is unknown).  The size is checked before reading, and no
    more than ``max_bytes`` is ever read, so a huge file costs no memory."""
    name = os.fspath(path)
    chosen = format or format_for_path(name) or "text"
    _check_format(chosen, name)
    data = read_file_bytes(name, max_bytes=max_bytes)
    return read_bytes(data, format=chosen, path=name,
                      front_matter_fields=front_matter_fields, on_part=on_part)


# A Markdown or plain-text file this long or longer can be read a section at a time
# (see read_path_sections), in pieces of this many bytes.
SECTION_BYTES = 1 * _MB
PIECE_BYTES = 256 * 1024
# Text that, anywhere in a file, means it must be read whole: a plainspeak directive
# (``plainspeak-disable-file`` applies to the whole file).
_WHOLE_FILE_MARKER = b"plainspeak-"


def read_path_sections(path: str | os.PathLike[str], *, format: str | None = None,
                       front_matter_fields: Sequence[str] = (),
                       max_bytes: int = DEFAULT_MAX_BYTES,
                       section_bytes: int | None = None,
                       on_part: Callable[[Part], None] | None = None
                       ) -> Iterator[SourceDocument]:
    """A file's document as ``read_path`` reads it; or, for a UTF-8 Markdown or plain
    text file of ``section_bytes`` (default SECTION_BYTES) or more, its sections one at
    a time (see ``SourceDocument.more``), read and decoded as they are needed, so that
    checking a file of any size holds one section of it, not the whole file.

    A file with the text of a plainspeak directive is read whole, since a directive can
    reach back to text before it.  Errors are InputErrors, as from ``read_path``; one
    that shows only partway through a long file (it changed while being read) comes
    after the sections before it.  ``on_part`` is ``read_path``'s, for a file read
    whole."""
    name = os.fspath(path)
    chosen = format or format_for_path(name) or "text"
    _check_format(chosen, name)
    least = SECTION_BYTES if section_bytes is None else section_bytes
    scan = _scan(name, max_bytes, least) if chosen in ("markdown", "text") else None
    if scan is None:
        yield read_path(name, format=chosen, front_matter_fields=front_matter_fields,
                        max_bytes=max_bytes, on_part=on_part)
        return
    documents: Iterator[SourceDocument]
    if chosen == "text":
        from plainspeak.formats.plaintext import read_plaintext_sections

        documents = read_plaintext_sections(_decoded_pieces(name, scan), name)
    else:
        from plainspeak.formats.markdown import markdown_references, read_markdown_sections

        env = (markdown_references(_decoded_pieces(name, scan), front_matter_fields)
               if scan.references else {})
        documents = read_markdown_sections(_decoded_pieces(name, scan), name,
                                           front_matter_fields, env=env)
    for document in documents:
        document.bom = scan.bom
        yield document


class _Scan:
    """What a first pass over a file found: it can be read in sections, it starts with
    this byte-order mark, and it may hold link reference definitions."""

    __slots__ = ("bom", "references")

    def __init__(self, bom: bytes, references: bool) -> None:
        self.bom, self.references = bom, references


def _scan(name: str, max_bytes: int, section_bytes: int) -> _Scan | None:
    """A first pass over a long file in pieces: whether it is UTF-8 text without a
    directive, and whether it may hold link reference definitions (``]:``).  None when
    it is short, or must be read whole (as ``read_path`` does, which reports errors)."""
    from plainspeak.formats.encoding import looks_binary

    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode) or not section_bytes <= info.st_size <= max_bytes:
            return None
        decoder = codecs.getincrementaldecoder("utf-8")()
        bom = b""
        references = False
        size = 0
        tail = b""
        with open(name, "rb") as handle:
            while data := handle.read(PIECE_BYTES):
                seam = tail + data
                if b"\x00" in data or _WHOLE_FILE_MARKER in seam:
                    return None
                references = references or b"]:" in seam
                if not size and data.startswith(codecs.BOM_UTF8):
                    bom = codecs.BOM_UTF8
                    text = decoder.decode(data[len(bom):])
                else:
                    text = decoder.decode(data)
                if not size and looks_binary(text):
                    return None
                size += len(data)
                tail = data[-len(_WHOLE_FILE_MARKER):]
                if size > max_bytes:
                    return None
            decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return None
    return _Scan(bom, references)


def _decoded_pieces(name: str, scan: _Scan) -> Iterator[str]:
    """The file's text a piece at a time, without its byte-order mark."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(name, "rb") as handle:
            handle.seek(len(scan.bom))
            while data := handle.read(PIECE_BYTES):
                yield decoder.decode(data)
            yield decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(f"{name}: cannot decode the text: it changed while being read"
                         ) from None
    except OSError as error:
        raise InputError(f"{name}: cannot read it ({_strerror(error)})") from None


def read_file_bytes(path: str | os.PathLike[str], *,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, or InputError with a one-line reason.

    Shared by checking and fixing, so both refuse the same files the same way: missing,
    unreadable, a directory, a pipe or device, empty, or over ``max_bytes`` (checked
    with ``stat`` first, so a 200 MB file is refused without reading a byte of it)."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read it ({_strerror(error)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{name}: not a regular file")
    if info.st_size > max_bytes:
        raise InputError(_too_big(name, info.st_size, max_bytes))
    if info.st_size == 0:
        raise InputError(f"{name}: file is empty")
    try:
        with open(name, "rb") as handle:
            # Ask for the size stat gave (one more byte shows growth): asking for
            # max_bytes would allocate that much for every small file.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read it ({_strerror(error)})") from None
    if len(data) > max_bytes:     # it grew after the stat
        raise InputError(_too_big(name, len(data), max_bytes))
    if not data:                  # it shrank after the stat
        raise InputError(f"{name}: file is empty")
    return data


def _strerror(error: OSError) -> str:
    """The OS's own words for an error, on one line and in lower case like ours."""
    text = error.strerror or str(error) or type(error).__name__
    text = " ".join(text.split())
    return text[:1].lower() + text[1:]


def _too_big(name: str, size: int, limit: int) -> str:
    return f"{name}: file is {size / _MB:.1f} MB, over the {limit / _MB:g} MB limit"
