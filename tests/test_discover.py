"""File discovery: supported formats only, .gitignore, excludes, symlink loops, stable order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plainspeak.discover import anchor_patterns, discover, is_supported


def touch(path: Path, text: str = "Hello.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    for name in ("b.md", "a.txt", "C.HTML", "page.htm", "d.docx", "notes.py", "img.png",
                 "sub/z.md", "sub/y.markdown", "node_modules/pkg/readme.md",
                 ".git/description.txt", "build/out.md", "sub/keep.md", "sub/skip.md"):
        touch(tmp_path / name)
    touch(tmp_path / ".gitignore", "build/\nsub/*.md\n!sub/keep.md\n")
    return tmp_path


def rel(paths: list[str], root: Path) -> list[str]:
    return [Path(os.path.relpath(p, root)).as_posix() for p in paths]


def test_walk_keeps_supported_files_in_sorted_order(tree: Path) -> None:
    found = list(discover(["."]))
    assert found == ["C.HTML", "a.txt", "b.md", "d.docx", "page.htm", "sub/keep.md",
                     "sub/y.markdown"]


def test_named_files_are_always_checked(tree: Path) -> None:
    assert list(discover(["notes.py", "build/out.md", "missing.md"])) == [
        "notes.py", "build/out.md", "missing.md"]


def test_gitignore_can_be_turned_off(tree: Path) -> None:
    found = list(discover(["."], gitignore=False))
    assert "build/out.md" in found and "sub/skip.md" in found
    assert not any(p.startswith(("node_modules", ".git/")) for p in found)


def test_gitignore_above_the_walked_folder_counts(tree: Path) -> None:
    assert rel(list(discover([str(tree / "sub")])), tree) == ["sub/keep.md",
                                                              "sub/y.markdown"]


def test_exclude_patterns(tree: Path) -> None:
    exclude = anchor_patterns(["*.txt", "sub/"], tree)
    assert list(discover(["."], exclude=exclude)) == ["C.HTML", "b.md", "d.docx",
                                                      "page.htm"]
    # an anchored pattern only matches under the folder it was written for
    exclude = anchor_patterns(["sub/keep.md"], tree / "elsewhere")
    assert "sub/keep.md" in list(discover(["."], exclude=exclude))
    # a named file that an exclude pattern names is skipped (pre-commit passes names)
    assert list(discover(["a.txt"], exclude=anchor_patterns(["*.txt"], tree))) == []


def test_symlink_loops_end(tree: Path) -> None:
    (tree / "sub" / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "sub" / "again").symlink_to(tree / "sub", target_is_directory=True)
    found = list(discover(["."]))
    assert len(found) == len(set(found)) == 7


def test_each_file_once(tree: Path) -> None:
    assert list(discover(["b.md", ".", "./b.md"])).count("b.md") == 1


def test_is_supported() -> None:
    assert is_supported("A.MD") and is_supported("x.docx") and not is_supported("x.pdf")
