"""The compiled-glossary cache: the same results as compiling, a new key for any change,
and any problem with the cache is only a miss."""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import fields
from pathlib import Path

import pytest

from plainspeak import cache
from plainspeak.api import Checker
from plainspeak.errors import GlossaryError
from plainspeak.glossary.model import Entry
from plainspeak.models import Report
from plainspeak.nlp.compiled import compile_glossary
from plainspeak.nlp.compiled_data import ENTRY_FIELDS, from_data, to_data
from plainspeak.nlp.pipeline import english_tokenizer
from plainspeak.settings import Settings

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "service-explorer"

USER_GLOSSARY = """\
version: 1
disable: [signpost]
entries:
  - id: budget
    term: budget
    category: officialese
    alternatives: [money]
    explanation: Money set aside. This one overrides the engine glossary's.
    not_in: [budget line]
  - id: nhs-trust
    term: NHS Trust
    category: health
    alternatives: [hospital]
    explanation: A part of the NHS that runs hospitals.
    exact_case: true
    inflect: false
    examples:
      flag: [The NHS Trust wrote.]
      pass: [The nhs trust wrote.]
  - id: carers-assessment
    term: carer's assessment
    category: social-care
    alternatives: [a talk about what help you need as a carer]
    explanation: A talk with the council about the help a carer needs.
    variants: [carers assessment]
    severity: info
    tags: [carers]
    note: A note.
    only_near: [carer, carers]
    examples:
      flag: [Ask for a carer's assessment if you are a carer.]
"""


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLAINSPEAK_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLAINSPEAK_NO_CACHE", raising=False)
    return folder


def cached_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("glossary-*.json")) if folder.is_dir() else []


def texts_for(checker: Checker) -> list[str]:
    """Every entry's examples, every written form in one paragraph (in three cases), and
    a sample of corpus pages when the corpus is there."""
    texts = [t for e in checker.glossary for t in (*e.examples.flag, *e.examples.pass_)]
    forms = " and ".join(f for e in checker.glossary for f in e.surface_forms)
    texts += [forms, forms.upper(), forms.title()]
    if CORPUS.is_dir():
        texts += [p.read_text("utf-8") for p in sorted(CORPUS.rglob("*.md"))[::97]]
    return texts


def outcome(reports: list[Report]) -> list[list[tuple[object, ...]]]:
    return [[(f.rule, f.start, f.end, f.entry_id, f.message, f.severity, f.fix)
             for f in r.findings] for r in reports]


def compare_with_compiling(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Checker:
    """A Checker whose glossary came from the cache finds exactly what one that compiled
    it finds; returns the cached one."""
    _ = Checker(settings).matcher        # compile, and keep it
    cached = Checker(settings)
    assert cached._compiled is not None, "the second Checker should find it in the cache"
    monkeypatch.setenv("PLAINSPEAK_NO_CACHE", "1")
    fresh = Checker(settings)
    monkeypatch.delenv("PLAINSPEAK_NO_CACHE")
    assert fresh._compiled is None and fresh._slot is None
    assert cached.glossary == fresh.glossary
    texts = texts_for(fresh)
    for screen in (False, True):
        assert ([[(h.start, h.end, h.entry) for h in hits]
                 for hits in cached.matcher.hits(texts, screen=screen)]
                == [[(h.start, h.end, h.entry) for h in hits]
                    for hits in fresh.matcher.hits(texts, screen=screen)])
    assert (outcome(list(cached.check_many(texts)))
            == outcome(list(fresh.check_many(texts))))
    return cached


def test_builtin_glossary_from_the_cache_finds_the_same(cache_dir: Path, monkeypatch) -> None:
    compare_with_compiling(Settings(), monkeypatch)
    assert len(cached_files(cache_dir)) == 1


def test_user_glossaries_and_disable_from_the_cache_find_the_same(
        cache_dir: Path, tmp_path: Path, monkeypatch) -> None:
    user = tmp_path / "user.yaml"
    user.write_text(USER_GLOSSARY, "utf-8")
    settings = Settings(glossaries=(str(DATA / "engine-glossary.yaml"), str(user)),
                        disable=("review", "care-package"))
    checker = compare_with_compiling(settings, monkeypatch)
    ids = {e.id for e in checker.glossary}
    assert "nhs-trust" in ids and not ids & {"signpost", "review", "care-package"}
    assert checker.glossary.get("budget").not_in == ("budget line",)   # the override
    compare_with_compiling(Settings(glossaries=(str(user),), builtin_glossary=False),
                           monkeypatch)
    assert len(cached_files(cache_dir)) == 2


def test_round_trip_keeps_everything(engine_glossary, tmp_path: Path) -> None:
    user = tmp_path / "user.yaml"
    user.write_text(USER_GLOSSARY, "utf-8")
    from plainspeak.glossary.loader import load_glossary

    for glossary in (engine_glossary, load_glossary(user)):
        compiled = compile_glossary(glossary, english_tokenizer(), screen=True)
        again = from_data(json.loads(json.dumps(to_data(compiled))))
        assert again == compiled
        assert again.glossary.entries == glossary.entries


def test_every_entry_field_is_written() -> None:
    assert [name for name, _ in ENTRY_FIELDS] == [f.name for f in fields(Entry)]


def test_editing_a_glossary_file_makes_a_new_key(cache_dir: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.yaml"
    user.write_text(USER_GLOSSARY, "utf-8")
    settings = Settings(glossaries=(str(user),), builtin_glossary=False)
    first = Checker(settings)
    assert [f.text for f in first.check("The NHS Trust wrote.").findings] == ["NHS Trust"]
    stat = user.stat()
    # the same size and time: only the bytes differ
    user.write_text(USER_GLOSSARY.replace("NHS Trust", "NHS Tryst"), "utf-8")
    os.utime(user, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = Checker(settings)
    assert second._compiled is None    # a miss: compiled afresh
    assert second.check("The NHS Trust wrote.").findings == ()
    assert [f.text for f in second.check("The NHS Tryst wrote.").findings] == ["NHS Tryst"]
    assert len(cached_files(cache_dir)) == 2
    assert Checker(settings)._compiled is not None


def test_settings_and_paths_are_part_of_the_key(tmp_path: Path) -> None:
    files = [(str(tmp_path / "a.yaml"), b"entries: []\n")]
    key = cache.glossary_key(files, builtin=True, disable=())
    assert key == cache.glossary_key(list(files), builtin=True, disable=())
    assert key != cache.glossary_key(files, builtin=False, disable=())
    assert key != cache.glossary_key(files, builtin=True, disable=("x",))
    assert key != cache.glossary_key([(str(tmp_path / "b.yaml"), files[0][1])],
                                     builtin=True, disable=())
    assert key != cache.glossary_key([(files[0][0], b"entries: []\n\n")], builtin=True,
                                     disable=())
    assert key != cache.glossary_key(files * 2, builtin=True, disable=())


def test_a_new_spacy_or_plainspeak_makes_a_new_key(monkeypatch) -> None:
    from importlib import metadata

    before = cache.glossary_key([], builtin=True, disable=())
    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: "99.0" if name == "spacy" else real(name))
    cache._fingerprint.cache_clear()
    try:
        assert cache.glossary_key([], builtin=True, disable=()) != before
        monkeypatch.undo()
        cache._fingerprint.cache_clear()
        assert cache.glossary_key([], builtin=True, disable=()) == before
        monkeypatch.setattr("plainspeak.__version__", "99.0")
        cache._fingerprint.cache_clear()
        assert cache.glossary_key([], builtin=True, disable=()) != before
    finally:
        monkeypatch.undo()
        cache._fingerprint.cache_clear()


def corrupt(path: Path, how: str) -> None:
    data = path.read_bytes()
    document = json.loads(data)
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        path.write_bytes(b"\x80\x81 not json at all")
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "old-format":
        document["format"] = cache.FORMAT - 1
        path.write_text(json.dumps(document), "utf-8")
    elif how == "other-key":
        document["key"] = "0" * 40
        path.write_text(json.dumps(document), "utf-8")
    elif how == "wrong-type":
        document["compiled"]["entries"]["exact_case"][0] = "yes"   # as text
        path.write_text(json.dumps(document), "utf-8")
    elif how == "unknown-entry":
        document["compiled"]["lower"]["keys"][0] = "not-an-entry"
        path.write_text(json.dumps(document), "utf-8")
    elif how == "bad-severity":
        document["compiled"]["entries"]["severity"][0] = "fatal"
        path.write_text(json.dumps(document), "utf-8")
    elif how == "short-column":
        document["compiled"]["entries"]["term"].pop()
        path.write_text(json.dumps(document), "utf-8")
    elif how == "sizes":
        document["compiled"]["lower"]["sizes"][0] += 1
        path.write_text(json.dumps(document), "utf-8")
    elif how == "true-as-reach":
        document["compiled"]["screen"]["reaches"][0] = True
        path.write_text(json.dumps(document), "utf-8")
    elif how == "empty-token":
        document["compiled"]["lower"]["patterns"][0] += " "
        path.write_text(json.dumps(document), "utf-8")
    elif how == "pickle":
        import pickle

        path.write_bytes(pickle.dumps(document))
    elif how == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    elif how == "directory":
        path.unlink()
        path.mkdir()


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "old-format", "other-key",
                                 "wrong-type", "unknown-entry", "bad-severity", "short-column",
                                 "sizes", "true-as-reach", "empty-token", "pickle", "deep",
                                 "directory"])
def test_a_broken_cache_file_is_ignored(cache_dir: Path, checker: Checker, how: str) -> None:
    settings = Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                        builtin_glossary=False)
    Checker(settings).warm_up()   # the screen too
    assert Checker(settings)._compiled is not None
    [path] = cached_files(cache_dir)
    corrupt(path, how)
    again = Checker(settings)
    assert again._compiled is None
    texts = texts_for(checker)
    assert outcome(list(again.check_many(texts))) == outcome(list(checker.check_many(texts)))


def test_a_file_someone_else_owns_is_ignored(cache_dir: Path, monkeypatch) -> None:
    settings = Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                        builtin_glossary=False)
    _ = Checker(settings).matcher
    assert Checker(settings)._compiled is not None
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache_dir).st_uid + 1)
    assert Checker(settings)._compiled is None


def test_an_unusable_cache_folder_is_harmless(tmp_path: Path, monkeypatch,
                                              checker: Checker) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("PLAINSPEAK_CACHE_DIR", str(blocker / "cache"))
    settings = Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                        builtin_glossary=False)
    texts = texts_for(checker)
    for _ in range(2):
        fresh = Checker(settings)
        assert fresh._compiled is None
        assert outcome(list(fresh.check_many(texts))) == outcome(list(checker.check_many(texts)))


def test_a_full_disk_is_harmless(cache_dir: Path, monkeypatch, checker: Checker) -> None:
    import errno

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache, "_write_aside", full)
    fresh = Checker(Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                             builtin_glossary=False))
    texts = texts_for(checker)
    assert outcome(list(fresh.check_many(texts))) == outcome(list(checker.check_many(texts)))
    assert cached_files(cache_dir) == []
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(cache.TEMP_PREFIX)]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can write to a read-only folder")
def test_a_read_only_cache_folder_is_harmless(cache_dir: Path, checker: Checker) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        fresh = Checker(Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                                 builtin_glossary=False))
        texts = texts_for(checker)
        assert (outcome(list(fresh.check_many(texts)))
                == outcome(list(checker.check_many(texts))))
    finally:
        cache_dir.chmod(0o700)


def test_where_the_cache_lives(tmp_path: Path, monkeypatch) -> None:
    for name in ("PLAINSPEAK_CACHE_DIR", "PLAINSPEAK_NO_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "plainspeak"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "plainspeak"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "plainspeak"
    monkeypatch.setenv("PLAINSPEAK_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    for off in ("1", "true", "yes"):
        monkeypatch.setenv("PLAINSPEAK_NO_CACHE", off)
        assert cache.cache_dir() is None
    for on in ("", "0", "false"):
        monkeypatch.setenv("PLAINSPEAK_NO_CACHE", on)
        assert cache.cache_dir() == tmp_path / "mine"


def test_no_home_means_no_cache(monkeypatch, checker: Checker) -> None:
    for name in ("PLAINSPEAK_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: cls("")))
    assert cache.cache_dir() is None
    fresh = Checker(Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                             builtin_glossary=False))
    assert fresh._slot is None
    assert [f.text for f in fresh.check("We asked service users.").findings] == [
        "service users"]


def test_no_cache_writes_nothing(cache_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("PLAINSPEAK_NO_CACHE", "1")
    _ = Checker().matcher
    assert not cache_dir.exists()


def test_old_files_are_pruned(cache_dir: Path) -> None:
    cache_dir.mkdir()
    for i in range(cache.KEEP + 4):
        path = cache_dir / f"{cache.PREFIX}{i:040x}{cache.SUFFIX}"
        path.write_text("{}", "utf-8")
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    stale = cache_dir / f"{cache.TEMP_PREFIX}left-behind.tmp"
    stale.write_text("", "utf-8")
    os.utime(stale, (1_000_000, 1_000_000))
    other = cache_dir / "notes.txt"
    other.write_text("mine", "utf-8")
    cache.prune(cache_dir)
    kept = [int(p.name[len(cache.PREFIX):-len(cache.SUFFIX)], 16)
            for p in cached_files(cache_dir)]
    assert kept == list(range(4, cache.KEEP + 4))
    assert not stale.exists() and other.exists()


def test_a_hit_is_used_last_so_pruned_last(cache_dir: Path) -> None:
    settings = Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                        builtin_glossary=False)
    _ = Checker(settings).matcher
    [path] = cached_files(cache_dir)
    os.utime(path, (1_000_000, 1_000_000))
    assert Checker(settings)._compiled is not None
    assert path.stat().st_mtime > 1_000_000


BROKEN = {
    "bad-yaml.yaml": "entries:\n  - id: x\n    term: [unclosed\n",
    "bad-field.yaml": ("entries:\n  - id: x\n    term: x\n    category: officialese\n"
                       "    alternatives: [y]\n    explanation: z\n    colour: red\n"),
    "not-utf8.yaml": b"entries: \xff\n",
}


@pytest.mark.parametrize("name", [*BROKEN, "missing.yaml", "two-broken"])
def test_glossary_errors_are_the_same_with_a_cache(name: str, tmp_path: Path,
                                                   cache_dir: Path, monkeypatch) -> None:
    for file, text in BROKEN.items():
        path = tmp_path / file
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    paths = ((str(tmp_path / "bad-yaml.yaml"), str(tmp_path / "missing.yaml"))
             if name == "two-broken" else (str(tmp_path / name),))
    settings = Settings(glossaries=paths)
    messages = []
    for no_cache in ("1", "0", "0"):
        monkeypatch.setenv("PLAINSPEAK_NO_CACHE", no_cache)
        with pytest.raises(GlossaryError) as error:
            Checker(settings)
        messages.append(str(error.value))
    assert messages[0] == messages[1] == messages[2]
    assert cached_files(cache_dir) == []


def test_compiling_says_nothing(capsys, cache_dir: Path, tmp_path: Path) -> None:
    """A cache hit skips parsing and compiling, so anything they warned or printed would
    be lost on later runs; they must say nothing (errors are raised, and never cached)."""
    user = tmp_path / "user.yaml"
    user.write_text(USER_GLOSSARY, "utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _ = Checker(Settings(glossaries=(str(user),))).matcher.screen
    assert caught == []
    assert capsys.readouterr() == ("", "")


def test_the_cli_uses_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    page = tmp_path / "page.md"
    page.write_text("Our service users have a care package.\n", "utf-8")
    command = [sys.executable, "-m", "plainspeak", "check", "--format", "json", str(page)]
    env = {**os.environ, "PLAINSPEAK_CACHE_DIR": str(cache_dir)}
    first = subprocess.run(command, capture_output=True, text=True, env=env)
    assert len(cached_files(cache_dir)) == 1
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert first.returncode == second.returncode == 1, first.stderr + second.stderr
    assert first.stdout == second.stdout and second.stderr == ""


def test_the_screen_is_kept_with_the_compiled_glossary(cache_dir: Path) -> None:
    settings = Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                        builtin_glossary=False)
    first = Checker(settings)
    first.check("A short text about a budget.")
    [path] = cached_files(cache_dir)
    assert json.loads(path.read_text("utf-8"))["compiled"]["screen"] is not None
    second = Checker(settings)
    assert second._compiled is not None and second._compiled.screen is not None
    assert second.matcher.keywords == first.matcher.keywords


def test_a_text_the_cached_screen_passes_over_has_no_jargon(cache_dir: Path,
                                                            monkeypatch) -> None:
    _ = Checker().matcher                 # compile, and keep it with its screen
    cached = Checker()
    assert cached._compiled is not None and cached._compiled.screen is not None
    monkeypatch.setenv("PLAINSPEAK_NO_CACHE", "1")
    fresh = Checker()
    texts = texts_for(fresh) + ["The bins are emptied on Monday.", "", "   ", "Hello."]
    skipped = [t for t in texts if not cached._needs_spacy([t])]
    assert cached._matcher is None        # deciding never built the matcher
    assert "The bins are emptied on Monday." in skipped
    assert all(e.examples.flag == () or not set(e.examples.flag) & set(skipped)
               for e in fresh.glossary)
    for text in skipped:
        assert [f for f in fresh.check(text).findings if f.rule == "PS101"] == [], text


def test_a_clean_text_never_imports_spacy_once_the_cache_is_warm(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom plainspeak import check\n"
            "report = check(sys.argv[1])\n"
            "print([f.text for f in report.findings if f.rule == 'PS101'],"
            " 'spacy' in sys.modules)\n")
    env = {**os.environ, "PLAINSPEAK_CACHE_DIR": str(tmp_path / "cache")}

    def run(text: str) -> str:
        return subprocess.run([sys.executable, "-c", code, text], capture_output=True,
                              text=True, check=True, env=env).stdout.strip()

    clean, jargon = "The bins are emptied on Monday.", "We will signpost service users."
    assert run(clean) == "[] True"        # the first run compiles, with spaCy
    assert run(clean) == "[] False"
    assert run(jargon) == "['signpost', 'service users'] True"


def test_warming_up_keeps_the_screen(cache_dir: Path) -> None:
    settings = Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                        builtin_glossary=False)
    Checker(settings).warm_up()
    again = Checker(settings)
    assert again._compiled is not None and again._compiled.screen is not None


@pytest.mark.parametrize("command", ["check", "fix"])
def test_the_no_cache_option(command: str, cache_dir: Path, tmp_path: Path,
                             monkeypatch) -> None:
    from click.testing import CliRunner

    from plainspeak.cli import cli

    monkeypatch.setenv("NO_COLOR", "1")
    page = tmp_path / "page.md"
    for flag, written in (("--no-cache", 0), (None, 1)):
        glossary = tmp_path / f"{flag or 'cache'}.yaml"   # a glossary no run has seen
        glossary.write_text(USER_GLOSSARY, "utf-8")
        page.write_text("The NHS Trust wrote.\n", "utf-8")
        args = [command, *([flag] if flag else []), "--glossary", str(glossary), str(page)]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        assert len(cached_files(cache_dir)) == written
        assert "PLAINSPEAK_NO_CACHE" not in os.environ   # only for that command


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_cache_files_are_only_for_their_owner(cache_dir: Path) -> None:
    _ = Checker(Settings(glossaries=(str(DATA / "engine-glossary.yaml"),),
                         builtin_glossary=False)).matcher
    [path] = cached_files(cache_dir)
    assert path.stat().st_mode & 0o077 == 0
