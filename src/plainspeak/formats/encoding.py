"""Bytes to text and back again, exactly, so that a fix writes the file as it came.

UTF-8 (with or without a byte-order mark) and UTF-16/UTF-32 with a mark are read
directly.  Anything else goes to charset-normalizer, and its guess is used only when it
decodes strictly and encodes back to the very same bytes: a fix must never change a byte
it did not mean to.  Windows-1252 wins ties, because it is what old UK office files use.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from plainspeak.errors import InputError

# Longest marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that ordinary text files do hold; any other C0 control is a sign
# of a binary file.
_STRAY_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_SHARE = 0.05   # more than this share of stray controls means "binary"
_MAX_CHAOS = 0.2        # charset-normalizer's mess ratio above which we refuse to guess


@dataclass(frozen=True)
class Decoded:
    """Decoded text plus what is needed to write it back byte for byte."""

    text: str
    encoding: str
    bom: bytes


def _binary(path: str) -> InputError:
    return InputError(f"{path}: looks like a binary file, not text")


def _undecodable(path: str) -> InputError:
    return InputError(
        f"{path}: cannot decode the text (not UTF-8 or UTF-16, and no other encoding fits)"
    )


def looks_binary(text: str) -> bool:
    sample = text[:65536]
    if _STRAY_CONTROL.search(sample) is None:
        return False
    stray = len(_STRAY_CONTROL.findall(sample))
    return stray > max(1, len(sample) * _CONTROL_SHARE)


def decode(data: bytes, path: str = "<input>") -> Decoded:
    """Decode a file's bytes, or raise InputError with a one-line reason.

    Newlines are left exactly as they are; the byte-order mark is removed from the text
    and returned in ``bom``."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise _undecodable(path) from None
            if looks_binary(text):
                raise _binary(path)
            return Decoded(text, encoding, bom)
    if b"\x00" in data:
        raise _binary(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _guess(data, path)
    if looks_binary(text):
        raise _binary(path)
    return Decoded(text, "utf-8", b"")


def _guess(data: bytes, path: str) -> Decoded:
    """Ask charset-normalizer, and accept only an exact, low-mess answer."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise _undecodable(path)
    candidates = [best.encoding]
    tied = {m.encoding for m in matches if m.chaos <= best.chaos}
    if "cp1252" in tied or "cp1252" in best.could_be_from_charset:
        candidates.insert(0, "cp1252")
    for name in candidates:
        try:
            encoding = codecs.lookup(name).name
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        if text.encode(encoding) != data:
            continue
        if looks_binary(text):
            raise _binary(path)
        return Decoded(text, encoding, b"")
    raise _undecodable(path)


def encode(text: str, encoding: str, bom: bytes) -> bytes:
    """The exact inverse of ``decode``: ``encode(d.text, d.encoding, d.bom)`` gives back
    the bytes that were decoded.  Raises UnicodeEncodeError when a fix brought in a
    character the file's encoding cannot hold."""
    return bom + text.encode(encoding)
