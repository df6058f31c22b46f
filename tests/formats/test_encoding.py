"""Decoding keeps every byte recoverable, and refuses what is not text."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plainspeak.errors import InputError
from plainspeak.formats.encoding import decode, encode


def test_utf8_without_bom() -> None:
    d = decode("Service users’ notes\r\n".encode())
    assert (d.text, d.encoding, d.bom) == ("Service users’ notes\r\n", "utf-8", b"")


def test_utf8_bom_is_removed_and_remembered() -> None:
    d = decode(codecs.BOM_UTF8 + b"plain words\n")
    assert d.text == "plain words\n"
    assert d.bom == codecs.BOM_UTF8
    assert encode(d.text, d.encoding, d.bom) == codecs.BOM_UTF8 + b"plain words\n"


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE),
                                        ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom(codec: str, bom: bytes) -> None:
    data = bom + "Care plan\r\nfor Zoë\n".encode(codec)
    d = decode(data)
    assert d.text == "Care plan\r\nfor Zoë\n"
    assert d.encoding == codec
    assert encode(d.text, d.encoding, d.bom) == data


def test_windows_1252_is_detected() -> None:
    data = b"The service user\x92s plan was reviewed \x96 and agreed with the family."
    d = decode(data)
    assert d.encoding == "cp1252"
    assert "user’s" in d.text and "–" in d.text
    assert encode(d.text, d.encoding, d.bom) == data


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(InputError, match=r"^a\.txt: looks like a binary file, not text$"):
        decode(b"PNG\x00\x01\x02", "a.txt")


def test_control_characters_mean_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(1, 9)) * 20, "a.txt")


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(InputError) as info:
        decode(bytes(range(128, 256)), "a.txt")
    assert str(info.value) == (
        "a.txt: cannot decode the text (not UTF-8 or UTF-16, and no other encoding fits)"
    )


def test_bad_utf16_after_bom_is_refused() -> None:
    with pytest.raises(InputError, match="cannot decode"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "a.txt")   # a lone surrogate


@given(st.text(), st.sampled_from([
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
]))
def test_round_trip_of_text(text: str, how: tuple[str, bytes]) -> None:
    encoding, bom = how
    try:
        data = encode(text, encoding, bom)
    except UnicodeEncodeError:      # lone surrogates cannot be written in any UTF
        return
    try:
        d = decode(data)
    except InputError:
        return                       # refused as binary (NUL or controls): allowed
    assert encode(d.text, d.encoding, d.bom) == data
    if not bom and encoding != "utf-8":
        return
    if data.startswith(codecs.BOM_UTF32_LE) and encoding == "utf-16-le":
        return   # FF FE 00 00: a UTF-16 BOM and NUL, or the UTF-32 BOM; read as the latter
    assert d.text == text


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_round_trip_of_any_bytes(data: bytes) -> None:
    try:
        d = decode(data)
    except InputError as error:
        assert str(error).startswith("<input>: ")
        return
    assert encode(d.text, d.encoding, d.bom) == data
