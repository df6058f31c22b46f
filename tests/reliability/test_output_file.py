"""Output files are replaced whole or not at all; standard output gets lines as they come."""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

import plainspeak.fileio as fileio
from plainspeak.cli import output as output_module
from plainspeak.cli.output import opened_output, write_output
from plainspeak.errors import InputError
from plainspeak.fileio import TEMP_PREFIX, replacing


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def test_a_new_file_appears_only_at_the_end_with_the_usual_mode(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    umask = os.umask(0o022)
    try:
        with replacing(path) as handle:
            handle.write(b"first\n")
            handle.flush()
            assert not path.exists() and len(_leftovers(tmp_path)) == 1
            handle.write(b"second\n")
    finally:
        os.umask(umask)
    assert path.read_bytes() == b"first\nsecond\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert _leftovers(tmp_path) == []


def test_an_old_file_keeps_its_mode_and_a_symlink_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with replacing(link) as handle:
        handle.write(b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize("error", [KeyboardInterrupt, InputError, OSError])
def test_a_failure_mid_way_leaves_the_old_file_whole(tmp_path: Path, error: Any) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"old report\n")
    with pytest.raises(error), replacing(path) as handle:
        handle.write(b"half of a new")
        raise error("stopped")
    assert path.read_bytes() == b"old report\n" and _leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["fsync", "replace", "open"])
def test_a_full_disk_is_named_and_leaves_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"old report\n")

    def enospc(*args: object, **kwargs: object) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, where, enospc)
    with pytest.raises(InputError) as info, replacing(path) as handle:
        handle.write(b"new")
    monkeypatch.undo()
    assert str(info.value).startswith(f"{path}: cannot write the output (the disk is full)")
    assert path.read_bytes() == b"old report\n" and _leftovers(tmp_path) == []


def test_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "report.txt"
    with (pytest.raises(InputError, match=r"report.txt: cannot write the output \(No such"),
          replacing(path)):
        pass


def test_a_device_is_written_into_not_replaced() -> None:
    with replacing(os.devnull) as handle:
        handle.write(b"gone")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_writable_file_in_a_folder_that_is_not(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No temporary file can be made beside it: the output waits elsewhere, then is
    copied in; a failure before that still leaves the old file."""
    path = tmp_path / "report.txt"
    path.write_bytes(b"old report\n")

    def refuse(directory: str) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(fileio, "_new_file", refuse)
    with pytest.raises(KeyboardInterrupt), replacing(path) as handle:
        handle.write(b"half")
        raise KeyboardInterrupt
    assert path.read_bytes() == b"old report\n"
    with replacing(path) as handle:
        handle.write(b"new report\n")
    assert path.read_bytes() == b"new report\n"
    with pytest.raises(InputError, match="permission denied"), replacing(tmp_path / "new.txt"):
        pass


class FakeStdout(io.TextIOWrapper):
    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")


def test_standard_output_gets_each_line_as_it_comes(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeStdout()
    monkeypatch.setattr(sys, "stdout", fake)
    with opened_output(None) as out:
        out.write_lines(["caf\u00e9", "two"])
        assert fake.buffer.getvalue() == "caf\u00e9\ntwo\n".encode()
        out.write_lines([])
    assert fake.buffer.getvalue() == "caf\u00e9\ntwo\n".encode()


@pytest.mark.parametrize("lines", [3, 60_000])   # in memory, and past the spool's limit
def test_deferred_output_is_shown_at_the_end_or_not_at_all(
        monkeypatch: pytest.MonkeyPatch, lines: int) -> None:
    fake = FakeStdout()
    monkeypatch.setattr(sys, "stdout", fake)
    with opened_output(None, defer=True) as out:
        for i in range(lines):
            out.write_lines([f"line {i:030}"])
        assert fake.buffer.getvalue() == b""
    assert fake.buffer.getvalue() == b"".join(b"line %030d\n" % i for i in range(lines))
    assert len(fake.buffer.getvalue()) > output_module.SPOOL_IN_MEMORY or lines == 3
    fake = FakeStdout()
    monkeypatch.setattr(sys, "stdout", fake)
    with pytest.raises(KeyboardInterrupt), opened_output("-", defer=True) as out:
        out.write_lines(["never shown"])
        raise KeyboardInterrupt
    assert fake.buffer.getvalue() == b""


def test_write_output_writes_the_text_and_one_newline(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    write_output('{"a": "\u2019"}', str(path))
    assert path.read_bytes() == '{"a": "\u2019"}\n'.encode()
    write_output("", str(path))
    assert path.read_bytes() == b""


def test_a_long_line_is_encoded_a_slice_at_a_time_with_the_same_bytes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output_module, "ENCODE_CHUNK", 7)
    line = "caf\u00e9 \U0001f642 \udc80\udcff end" * 5     # undecodable bytes kept as escapes
    handle = io.BytesIO()
    output_module.Output(handle, "test").write_lines([line, "", "two"])
    assert handle.getvalue() == f"{line}\n\ntwo\n".encode("utf-8", "surrogateescape")
