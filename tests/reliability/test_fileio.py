"""Fixes never lose data: encoding, BOM, newlines, mode and every unmatched byte survive,
a file changed under us is left alone, and a failed write leaves the original whole."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

import plainspeak.fileio as fileio
from plainspeak.api import Checker
from plainspeak.errors import FixConflictError, InputError
from plainspeak.fileio import write_atomic
from plainspeak.fix import plan_file_fix
from plainspeak.glossary.loader import load_glossary

# (name, encode, text): the text must survive the reader's encoding detection.
ENCODINGS: list[tuple[str, Any]] = [
    ("utf-8", lambda t: t.encode("utf-8")),
    ("utf-8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
    ("utf-16-le-bom", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
    ("utf-16-be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
    ("cp1252", lambda t: t.encode("cp1252")),
    ("latin-1", lambda t: t.encode("latin-1")),
]
NEWLINES = {"lf": ["\n"] * 4, "crlf": ["\r\n"] * 4, "mixed": ["\r\n", "\n", "\n", "\r\n"]}
FIXES = (("utilise", "use"), ("Service users", "People who use services"))


def sample(name: str, newlines: list[str], final: bool) -> str:
    """A short letter with two safe fixes and characters each encoding must keep."""
    accent = "caf\u00e9 \u00a35"
    if name not in ("cp1252", "latin-1"):
        accent += " \u2014 \U0001f642"
    lines = [f"Dear Sam, {accent}.", "Please utilise the form.", "",
             "Service users told us about   spacing\tand tabs.", "Kind regards"]
    text = "".join(line + nl for line, nl in zip(lines, newlines, strict=False))
    return text + lines[-1] + (newlines[-1] if final else "")


def expected(text: str) -> str:
    for old, new in FIXES:
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("final", [True, False], ids=["final-newline", "no-final-newline"])
@pytest.mark.parametrize("newline", list(NEWLINES))
@pytest.mark.parametrize("encoding", [e[0] for e in ENCODINGS])
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_fix_keeps_encoding_bom_newlines_and_every_other_byte(
        checker: Checker, fixer: Any, tmp_path: Path, encoding: str, newline: str,
        final: bool, suffix: str) -> None:
    encode = dict(ENCODINGS)[encoding]
    text = sample(encoding, NEWLINES[newline], final)
    path = tmp_path / f"letter{suffix}"
    path.write_bytes(encode(text))
    assert fixer(path) is True
    # Byte for byte what the same encoding of the edited text gives: BOM, line endings,
    # final newline, tabs and runs of spaces are all where they were.
    assert path.read_bytes() == encode(expected(text))
    assert fixer(path) is False  # nothing left to fix: fixing is idempotent on disk


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o755, 0o444])
def test_fix_keeps_the_file_mode(fixer: Any, tmp_path: Path, mode: int) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Please utilise it.\n")
    path.chmod(mode)
    assert fixer(path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.read_text() == "Please use it.\n"


def test_fix_through_a_symlink_keeps_the_link(fixer: Any, tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("Please utilise it.\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert fixer(link)
    assert link.is_symlink()
    assert target.read_text() == "Please use it.\n"


def test_html_fix_changes_only_prose(fixer: Any, tmp_path: Path) -> None:
    source = ('<p title="Please utilise">Please utilise the <a href="/utilise">form</a>.'
              '<code>utilise()</code></p>\r\n')
    path = tmp_path / "a.html"
    path.write_bytes(source.encode())
    assert fixer(path)
    assert path.read_bytes().decode() == source.replace(
        "Please utilise the", "Please use the").replace('"Please utilise"', '"Please use"')


def test_a_replacement_the_encoding_cannot_hold_is_left_for_a_person(
        tmp_path: Path) -> None:
    glossary_path = tmp_path / "g.yaml"
    glossary_path.write_text(
        "version: 1\nentries:\n"
        "  - id: utilise\n    term: utilise\n    category: officialese\n"
        "    alternatives: [\u016bse]\n    explanation: Say use.\n    safe_fix: true\n"
        "  - id: prior-to\n    term: prior to\n    category: officialese\n"
        "    alternatives: [before]\n    explanation: Say before.\n    safe_fix: true\n",
        "utf-8")
    checker = Checker(glossary=load_glossary(glossary_path, builtin=False))
    path = tmp_path / "old.txt"
    original = "Please utilise the caf\u00e9 prior to noon.\r\n".encode("cp1252")
    path.write_bytes(original)
    plan = plan_file_fix(checker, path)
    assert plan.new == "Please utilise the caf\u00e9 before noon.\r\n".encode("cp1252")
    assert [f.text for f in plan.manual] == ["utilise"]
    assert [f.text for f in plan.applied] == ["prior to"]


def test_a_file_changed_between_read_and_write_is_abandoned(
        checker: Checker, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Please utilise it.\n")
    plan = plan_file_fix(checker, path)
    assert plan.new is not None
    path.write_text("Please utilise it.\nA line the writer added meanwhile.\n")
    with pytest.raises(FixConflictError) as info:
        write_atomic(path, plan.new, original=plan.original, mode=plan.mode)
    message = str(info.value)
    assert message.startswith(f"{path}: the file changed") and "\n" not in message
    assert path.read_text() == "Please utilise it.\nA line the writer added meanwhile.\n"
    assert _leftovers(tmp_path) == []


def test_a_file_deleted_between_read_and_write_is_not_recreated(
        checker: Checker, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Please utilise it.\n")
    plan = plan_file_fix(checker, path)
    assert plan.new is not None
    path.unlink()
    with pytest.raises(InputError, match=r"cannot read it again before writing"):
        write_atomic(path, plan.new, original=plan.original)
    assert not path.exists() and _leftovers(tmp_path) == []


def test_plan_file_fix_refuses_unreadable_input_with_one_line(
        checker: Checker, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r": no such file$"):
        plan_file_fix(checker, tmp_path / "missing.txt")
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(InputError, match=r"over the 20 MB limit$"):
        plan_file_fix(checker, big)


def _leftovers(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(fileio.TEMP_PREFIX))


def _enospc(*args: object, **kwargs: object) -> Any:
    raise OSError(errno.ENOSPC, "No space left on device")


def _partial_then_enospc() -> Any:
    calls = {"n": 0}
    real = os.write

    def write(fd: int, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 1:     # half the bytes reach the disk, then it is full
            return real(fd, bytes(data[: max(1, len(data) // 2)]))
        raise OSError(errno.ENOSPC, "No space left on device")
    return write


@pytest.mark.parametrize("where", ["write", "partial-write", "fsync", "chmod", "replace",
                                   "mkstemp"])
def test_a_full_disk_leaves_the_original_and_no_temporary_file(
        checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    path = tmp_path / "a.md"
    original = b"# Plan\r\n\r\nPlease utilise it.\r\n"
    path.write_bytes(original)
    plan = plan_file_fix(checker, path)
    assert plan.new is not None
    if where == "partial-write":
        monkeypatch.setattr(os, "write", _partial_then_enospc())
    elif where == "mkstemp":
        monkeypatch.setattr(fileio.tempfile, "mkstemp", _enospc)
    else:
        monkeypatch.setattr(os, where, _enospc)
    with pytest.raises(InputError) as info:
        write_atomic(path, plan.new, original=plan.original, mode=plan.mode)
    monkeypatch.undo()
    assert str(info.value) == (f"{path}: cannot write the fixed file (the disk is full); "
                               "the original is unchanged")
    assert path.read_bytes() == original
    assert _leftovers(tmp_path) == []


def test_a_read_only_directory_leaves_the_original(
        checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "a.txt"
    path.write_text("Please utilise it.\n")
    plan = plan_file_fix(checker, path)
    assert plan.new is not None
    folder.chmod(0o555)
    try:
        if os.geteuid() == 0:
            # root may write into any directory, so the refusal the kernel would give
            # anyone else is simulated where the temporary file is made.
            def refuse(*args: object, **kwargs: object) -> Any:
                raise PermissionError(errno.EACCES, "Permission denied")
            monkeypatch.setattr(fileio.tempfile, "mkstemp", refuse)
        with pytest.raises(InputError) as info:
            write_atomic(path, plan.new, original=plan.original, mode=plan.mode)
    finally:
        monkeypatch.undo()
        folder.chmod(0o755)
    assert str(info.value) == (f"{path}: cannot write the fixed file (permission denied); "
                               "the original is unchanged")
    assert path.read_text() == "Please utilise it.\n"
    assert _leftovers(folder) == []


def test_a_read_only_file_system_is_named(
        checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Please utilise it.\n")
    plan = plan_file_fix(checker, path)
    assert plan.new is not None

    def rofs(*args: object, **kwargs: object) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(os, "replace", rofs)
    with pytest.raises(InputError, match=r"\(the file system is read-only\); the original"):
        write_atomic(path, plan.new, original=plan.original)
    monkeypatch.undo()
    assert path.read_text() == "Please utilise it.\n" and _leftovers(tmp_path) == []


def test_write_atomic_writes_everything_even_when_writes_are_partial(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    real = os.write

    def dribble(fd: int, data: Any) -> int:
        return real(fd, bytes(data[:7]))   # at most seven bytes a call
    monkeypatch.setattr(os, "write", dribble)
    new = b"".join(b"line %d\n" % i for i in range(500))
    write_atomic(path, new, original=b"old")
    monkeypatch.undo()
    assert path.read_bytes() == new and _leftovers(tmp_path) == []


def test_lock_is_retaken_when_the_file_is_replaced_while_waiting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first lock is granted on an inode that a rival has since replaced; the writer
    must notice, lock the new file and then find the content changed."""
    import fcntl

    path = tmp_path / "a.txt"
    path.write_bytes(b"v1")
    real_flock = fcntl.flock
    state = {"replaced": False}

    def flock(fd: int, op: int) -> None:
        if not state["replaced"]:
            state["replaced"] = True
            rival = tmp_path / "rival"
            rival.write_bytes(b"v2 from the rival")
            os.replace(rival, path)
        real_flock(fd, op)
    monkeypatch.setattr(fcntl, "flock", flock)
    with pytest.raises(FixConflictError):
        write_atomic(path, b"v1 fixed", original=b"v1")
    assert path.read_bytes() == b"v2 from the rival"
