"""Find the files to check: walk folders, keep supported formats, honour .gitignore and excludes.

Directories are walked in sorted order so that output is the same on every machine, and
every directory is visited once by its real identity, so a symlink loop ends the walk
of that branch rather than the run.  Files named on the command line are always checked
(whatever their extension) unless an ``exclude`` pattern names them; ``.gitignore``
only shapes what a directory walk picks up, as in ruff and ripgrep.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plainspeak.formats import EXTENSIONS

__all__ = ["DEFAULT_EXCLUDE", "Excluder", "anchor_patterns", "discover", "is_supported"]

# Folders no writer wants checked: version control, dependencies, caches, build output.
# Matched by name at any depth (a set look-up, not a pattern, as walks touch every folder).
DEFAULT_EXCLUDE: frozenset[str] = frozenset({
    ".git", ".hg", ".svn", ".bzr", "node_modules", ".venv", "venv", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages",
})


def is_supported(path: str | os.PathLike[str]) -> bool:
    """True when the extension is one plainspeak can read (a directory walk keeps these)."""
    return os.path.splitext(os.fspath(path))[1].lower() in EXTENSIONS


def _posix_abs(path: str | os.PathLike[str]) -> str:
    """An absolute POSIX path without the leading slash, the form patterns match against."""
    return Path(os.path.abspath(path)).as_posix().lstrip("/")


def anchor_patterns(patterns: Iterable[str], base: str | os.PathLike[str]) -> tuple[str, ...]:
    """Gitignore-style patterns written relative to ``base`` made absolute.

    A pattern with a slash before its end ("docs/old/**", "/drafts") is anchored to the
    folder it was written in (the config file's, or the current one for ``--exclude``);
    a bare name ("*.tmp", "drafts/") matches at any depth, as in .gitignore.  Anchoring
    them once means settings inherited through ``extend`` keep their own base.
    """
    root = _posix_abs(base)
    out: list[str] = []
    for raw in patterns:
        pattern = raw.strip()
        negate = pattern.startswith("!")
        body = pattern[1:] if negate else pattern
        if not body:
            continue
        if os.path.isabs(body):
            anchored = "/" + Path(body).as_posix().lstrip("/")
        elif "/" in body.rstrip("/"):
            anchored = "/" + f"{root}/{body.lstrip('/')}".lstrip("/")
        else:
            anchored = body
        out.append(("!" if negate else "") + anchored)
    return tuple(out)


def _spec(patterns: Iterable[str]) -> Any:
    """Patterns compiled with pathspec, imported only when there are patterns: checking
    the files a commit names, with no excludes, never needs it (about 10 ms)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(list(patterns))


@dataclass(slots=True)
class Excluder:
    """Decides whether a path is excluded by anchored patterns (see ``anchor_patterns``)."""

    patterns: tuple[str, ...] = ()
    _spec: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._spec = _spec(self.patterns) if self.patterns else None

    def excluded(self, path: str | os.PathLike[str], *, is_dir: bool = False) -> bool:
        if self._spec is None:
            return False
        key = _posix_abs(path) + ("/" if is_dir else "")
        return bool(self._spec.match_file(key))


@dataclass(slots=True)
class _GitIgnores:
    """The .gitignore files in force for a folder: each applies below its own folder."""

    specs: list[tuple[str, Any]] = field(default_factory=list)

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        """The deepest .gitignore that has a say decides, and a ``!pattern`` re-includes."""
        result = False
        absolute = _posix_abs(path)
        for base, spec in self.specs:
            if base and not absolute.startswith(base + "/"):
                continue
            rel = (absolute[len(base) + 1:] if base else absolute) + ("/" if is_dir else "")
            outcome = spec.check_file(rel)
            if outcome.include is not None:
                result = bool(outcome.include)
        return result

    def extended(self, folder: str) -> _GitIgnores:
        ignore_file = os.path.join(folder, ".gitignore")
        if not os.path.isfile(ignore_file):
            return self
        try:
            with open(ignore_file, encoding="utf-8", errors="replace") as handle:
                spec = _spec(handle.read().splitlines())
        except OSError:
            return self
        return _GitIgnores([*self.specs, (_posix_abs(folder), spec)])


def _ancestor_ignores(folder: str) -> _GitIgnores:
    """The .gitignore files above ``folder`` up to its repository's root (if it is in one)."""
    chain: list[str] = []
    current = os.path.abspath(folder)
    while True:
        parent = os.path.dirname(current)
        if os.path.exists(os.path.join(current, ".git")):
            chain.append(current)
            break
        if parent == current:
            return _GitIgnores()   # not inside a repository: only the walked folders count
        chain.append(current)
        current = parent
    ignores = _GitIgnores()
    for directory in reversed(chain[1:]):  # the walked folder itself is added by the walk
        ignores = ignores.extended(directory)
    return ignores


def _walk(root: str, excluder: Excluder, gitignore: bool, seen: set[tuple[int, int]],
          ignores: _GitIgnores, default_exclude: bool) -> Iterator[tuple[str, str]]:
    """(path as shown, real path) of each supported file under ``root``."""
    try:
        info = os.stat(root)
    except OSError:
        return
    identity = (info.st_dev, info.st_ino)
    if identity in seen:
        return   # a symlink loop, or the same folder reached twice
    seen.add(identity)
    real_root = os.path.realpath(root)
    if gitignore:
        ignores = ignores.extended(root)
    try:
        with os.scandir(root) as entries:
            children = sorted(entries, key=lambda e: e.name)
    except OSError:
        return
    folders: list[str] = []
    for entry in children:
        path = entry.name if root == os.curdir else os.path.join(root, entry.name)
        try:
            is_dir = entry.is_dir()   # follows symlinks; loops are caught by ``seen``
        except OSError:
            continue
        if is_dir and default_exclude and entry.name in DEFAULT_EXCLUDE:
            continue
        if not is_dir and not is_supported(entry.name):
            continue
        if excluder.excluded(path, is_dir=is_dir) or (
                gitignore and ignores.ignored(path, is_dir=is_dir)):
            continue
        if is_dir:
            folders.append(path)
            continue
        try:
            if not entry.is_file():
                continue
            real = (os.path.realpath(path) if entry.is_symlink()
                    else os.path.join(real_root, entry.name))
        except OSError:
            continue
        yield path, real
    for folder in folders:
        yield from _walk(folder, excluder, gitignore, seen, ignores, default_exclude)


def discover(paths: Sequence[str | os.PathLike[str]], *, exclude: Iterable[str] = (),
             gitignore: bool = True, default_exclude: bool = True) -> Iterator[str]:
    """The files to check under ``paths``, in a stable order, each once.

    ``exclude`` are patterns already anchored (``anchor_patterns``).  A path that does
    not exist is passed through, so the reader reports it in that file's slot.
    """
    excluder = Excluder(tuple(exclude))
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()
    for given in paths:
        name = os.fspath(given)
        if os.path.isdir(name):
            ignores = _ancestor_ignores(name) if gitignore else _GitIgnores()
            found: Iterable[tuple[str, str]] = _walk(name, excluder, gitignore, seen_dirs,
                                                     ignores, default_exclude)
        else:
            found = () if excluder.excluded(name) else ((name, os.path.realpath(name)),)
        for path, real in found:
            key = os.path.normcase(real)
            if key not in seen_files:
                seen_files.add(key)
                yield path
