"""The compiled-glossary cache: a run reuses what an earlier run worked out from the same
glossary files, as ruff and mypy reuse theirs.

Compiling a glossary (parsing the YAML, inflecting every word, tokenising every pattern,
choosing the screen's keywords) takes most of a check's start-up and grows with the
glossary; reading it back takes a small part of that.  Each compiled glossary is one JSON
file named by a hash of everything it depends on: the cache format, the versions of
plainspeak, spaCy, lemminflect, PyYAML and Python, the bytes of plainspeak's own data and
compiling code, each glossary file's path and bytes, and the settings that shape it
(built-in glossary on or off, ``disable``).  Change any of them and the key is new, so a
stale file is never read; the newest few files are kept and older ones pruned.

Where: ``$PLAINSPEAK_CACHE_DIR``, else ``$XDG_CACHE_HOME/plainspeak``, else
``~/.cache/plainspeak``.  ``PLAINSPEAK_NO_CACHE=1`` turns it off.

The cache can only ever cost a compile: it is plain JSON whose every value is checked on
reading (no format that can run code while it loads: a cache folder someone else can
write to must never run their code), a file another user owns is not read, and any
problem (missing, corrupt, truncated, old, unreadable, a read-only or missing home, a
full disk) means compiling as if there were no cache.  Files are written aside and
renamed into place, so a reader never sees half of one.  A glossary that does not load
is never cached: its errors come from the loader exactly as without a cache.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from plainspeak.errors import GlossaryError
from plainspeak.glossary.loader import (
    builtin_glossary_file,
    load_glossary,
    merge,
    parse_glossary_bytes,
    read_glossary_bytes,
)
from plainspeak.glossary.model import Glossary

if TYPE_CHECKING:
    from plainspeak.nlp.compiled import CompiledGlossary

__all__ = ["CacheSlot", "LoadedGlossary", "cache_dir", "glossary_key", "open_glossary"]

FORMAT = 1                    # bump when the data written changes shape or meaning
KEEP = 8                      # compiled glossaries kept, most recently used first
PREFIX, SUFFIX = "glossary-", ".json"
TEMP_PREFIX = ".plainspeak-cache-"   # files being written; pruning removes stale ones
STALE_TEMP_SECONDS = 3600            # a temporary file this old was left by a killed run
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by plainspeak.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")
# plainspeak's own files that the compiled data depends on: the built-in glossary, the
# inflection table and the code that parses and compiles (so an edited checkout, whose
# version number stays the same, never reads what older code wrote).
_PACKAGE_FILES = (
    "data/glossary.yaml", "data/inflections.json", "cache.py", "models.py",
    "glossary/loader.py", "glossary/model.py", "nlp/forms.py", "nlp/compiled.py",
    "nlp/compiled_data.py", "nlp/screen.py",
)
_DEPENDENCIES = ("spacy", "lemminflect", "PyYAML")


def _switched_off() -> bool:
    value = os.environ.get("PLAINSPEAK_NO_CACHE", "").strip().lower()
    return value not in ("", "0", "false", "no", "off")


def cache_dir() -> Path | None:
    """Where compiled glossaries are kept, or None when the cache is off (or there is no
    home to keep them in)."""
    if _switched_off():
        return None
    given = os.environ.get("PLAINSPEAK_CACHE_DIR")
    if given:
        return Path(os.path.abspath(given))
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):   # the XDG spec says a relative path is to be ignored
        return Path(xdg) / "plainspeak"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    return home / ".cache" / "plainspeak" if home.is_absolute() else None


@lru_cache(maxsize=1)
def _fingerprint() -> bytes:
    """What every key shares: versions, and the bytes of plainspeak's own files."""
    from importlib import metadata

    from plainspeak import __version__

    digest = hashlib.blake2b(digest_size=32)
    versions = [f"format {FORMAT}", f"plainspeak {__version__}",
                f"python {sys.version_info[0]}.{sys.version_info[1]}"]
    for name in _DEPENDENCIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    _part(digest, "\n".join(versions).encode())
    package = Path(__file__).resolve().parent
    for name in _PACKAGE_FILES:
        _part(digest, name.encode())
        try:
            _part(digest, (package / name).read_bytes())
        except OSError:
            _part(digest, b"\0missing")
    return digest.digest()


def _part(digest: hashlib.blake2b, data: bytes) -> None:
    """Length-prefixed, so that no two different sequences of parts hash alike."""
    digest.update(len(data).to_bytes(8, "little"))
    digest.update(data)


def glossary_key(files: Sequence[tuple[str, bytes]], *, builtin: bool,
                 disable: Sequence[str]) -> str:
    """The key of the glossary these files (name and bytes, in order) and settings give."""
    digest = hashlib.blake2b(_fingerprint(), digest_size=20)
    _part(digest, json.dumps({"builtin": builtin, "disable": list(disable),
                              "files": [name for name, _ in files]},
                             ensure_ascii=True).encode())
    for _, data in files:
        _part(digest, data)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class CacheSlot:
    """The one file where the compiled glossary with ``key`` is kept."""

    directory: Path
    key: str

    @property
    def path(self) -> Path:
        return self.directory / f"{PREFIX}{self.key}{SUFFIX}"

    def load(self) -> CompiledGlossary | None:
        """The compiled glossary, or None for any reason at all."""
        from plainspeak.nlp.compiled_data import from_data

        try:
            with open(self.path, "rb") as handle:
                if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                    return None   # someone else's file: do not let them choose our results
                data = handle.read()
            with _collector_paused():
                document = json.loads(data.decode("utf-8"))
                if (type(document) is not dict or document.get("format") != FORMAT
                        or document.get("key") != self.key):
                    return None
                compiled = from_data(document.get("compiled"))
        except Exception:  # noqa: BLE001 - a cache that cannot be read is only a miss
            return None
        with contextlib.suppress(OSError):
            os.utime(self.path)   # recently used: pruned last
        return compiled

    def store(self, compiled: CompiledGlossary) -> None:
        """Keep ``compiled`` for later runs; quietly does nothing if it cannot."""
        from plainspeak.nlp.compiled_data import to_data

        with _collector_paused():
            document = {"format": FORMAT, "key": self.key, "compiled": to_data(compiled)}
            data = json.dumps(document, ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
        with contextlib.suppress(OSError):
            self._make_directory()
            _write_aside(self.path, data)
            prune(self.directory)

    def _make_directory(self) -> None:
        if self.directory.is_dir():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):   # backup tools skip a tagged folder
            (self.directory / "CACHEDIR.TAG").write_text(CACHEDIR_TAG, "utf-8")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading or writing makes hundreds of thousands of small objects at once; the
    cyclic garbage collector would walk them again and again (half the time of a large
    read, two thirds of a write)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_aside(path: Path, data: bytes) -> None:
    """Write a temporary file beside ``path`` and rename it into place: readers see the
    old file, the new one or none, never half of one."""
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:   # 0600: glossaries may be private, and
            handle.write(data)                # only one's own files are read anyway
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def prune(directory: Path, keep: int = KEEP) -> None:
    """Remove all but the ``keep`` most recently used compiled glossaries, and temporary
    files left behind by runs that were killed while writing."""
    kept: list[tuple[float, Path]] = []
    now = time.time()
    for path in directory.iterdir():
        try:
            if path.name.startswith(PREFIX) and path.name.endswith(SUFFIX):
                kept.append((path.stat().st_mtime, path))
            elif (path.name.startswith(TEMP_PREFIX)
                  and now - path.stat().st_mtime > STALE_TEMP_SECONDS):
                path.unlink()
        except OSError:
            continue
    kept.sort(reverse=True)
    for _, path in kept[keep:]:
        with contextlib.suppress(OSError):
            path.unlink()


@dataclass(frozen=True, slots=True)
class LoadedGlossary:
    """A glossary, compiled when the cache had it, and the slot to keep it in (None when
    the cache is off)."""

    glossary: Glossary
    compiled: CompiledGlossary | None
    slot: CacheSlot | None


def open_glossary(paths: Sequence[str | os.PathLike[str]], *, builtin: bool = True,
                  disable: Sequence[str] = ()) -> LoadedGlossary:
    """The glossary ``load_glossary`` would give, from the cache when it can be.

    The key is made from the very bytes that are then parsed, so a file saved in between
    cannot be cached under the wrong key.  When a file cannot be read, ``load_glossary``
    reports it exactly as it would without a cache (in the same order as other errors)."""
    directory = cache_dir()
    if directory is None:
        return LoadedGlossary(load_glossary(*paths, builtin=builtin, disable=disable),
                              None, None)
    try:
        files = [(str(path), read_glossary_bytes(path)) for path in paths]
    except GlossaryError:
        return LoadedGlossary(load_glossary(*paths, builtin=builtin, disable=disable),
                              None, None)
    slot = CacheSlot(directory, glossary_key(files, builtin=builtin, disable=disable))
    compiled = slot.load()
    if compiled is not None:
        return LoadedGlossary(compiled.glossary, compiled, slot)
    parsed = [builtin_glossary_file()] if builtin else []
    parsed.extend(parse_glossary_bytes(data, name) for name, data in files)
    return LoadedGlossary(merge(parsed, disable), None, slot)
