"""Config files: discovery walking up, extend, validation messages and where values came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from plainspeak.config import (
    ConfigResolver,
    apply_overrides,
    default_config,
    find_config_file,
    load_config,
)
from plainspeak.errors import ConfigError
from plainspeak.models import Severity
from plainspeak.settings import DEFAULT_SETTINGS


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_no_config_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    loaded = ConfigResolver().for_path(tmp_path)
    if loaded.path is None:   # nothing above tmp_path either
        assert loaded.settings == DEFAULT_SETTINGS
        assert set(loaded.sources.values()) == {"default"}
    assert default_config().settings == DEFAULT_SETTINGS


def test_closest_file_wins_and_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    top = write(tmp_path / ".plainspeak.toml", "max-grade = 9\n")
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")
    nested = write(tmp_path / "a" / "b" / "pyproject.toml",
                   "[tool.plainspeak]\nmax_sentence_words = 20\n")
    write(tmp_path / "a" / "b" / "c" / "doc.md", "Hello.\n")
    assert find_config_file(tmp_path / "a" / "doc.md") == top
    assert find_config_file(tmp_path / "a" / "b" / "c" / "doc.md") == nested
    loaded = ConfigResolver().for_path(tmp_path / "a" / "b" / "c" / "doc.md")
    assert loaded.settings.max_sentence_words == 20
    assert loaded.settings.max_grade == 12.0         # no inheritance without extend
    assert loaded.sources["max_sentence_words"] == str(nested)
    assert loaded.sources["max_grade"] == "default"


def test_dot_file_comes_before_pyproject_in_one_folder(tmp_path: Path) -> None:
    dot = write(tmp_path / ".plainspeak.toml", "")
    write(tmp_path / "pyproject.toml", "[tool.plainspeak]\n")
    assert find_config_file(tmp_path) == dot


def test_extend_inherits_and_nearer_wins(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "base.toml",
          'max-sentence-words = 30\nallow = ["reablement"]\nglossaries = ["terms.yaml"]\n'
          '[severity]\nPS201 = "error"\nacronym = "warning"\n')
    child = write(tmp_path / "site" / ".plainspeak.toml",
                  'extend = "../shared/base.toml"\nmax-sentence-words = 20\n'
                  '[severity]\nacronym = "info"\n')
    loaded = load_config(child)
    s = loaded.settings
    assert s.max_sentence_words == 20
    assert s.allow == ("reablement",)
    assert s.severity == {"PS201": Severity.ERROR, "acronym": Severity.INFO}
    # paths are relative to the file that names them
    assert s.glossaries == (str(tmp_path / "shared" / "terms.yaml"),)
    assert loaded.sources["allow"] == str(tmp_path / "shared" / "base.toml")
    assert loaded.sources["max_sentence_words"] == str(child)
    assert loaded.chain == (child, (tmp_path / "shared" / "base.toml").resolve())


def test_extend_loops_and_missing_targets_are_errors(tmp_path: Path) -> None:
    a = write(tmp_path / "a.toml", 'extend = "b.toml"\n')
    write(tmp_path / "b.toml", 'extend = "a.toml"\n')
    with pytest.raises(ConfigError, match="circle"):
        load_config(a)
    c = write(tmp_path / "c.toml", 'extend = "nowhere.toml"\n')
    with pytest.raises(ConfigError, match="nowhere.toml, which does not exist"):
        load_config(c)


@pytest.mark.parametrize(("text", "message"), [
    ("fail-onn = 'error'\n", "unknown setting 'fail-onn' (did you mean 'fail-on'?)"),
    ("max-grade = 'hard'\n", "'max-grade' should be a number above 0, not text 'hard'"),
    ("max-sentence-words = 2.5\n", "'max-sentence-words' should be a whole number above 0"),
    ("fail-on = 'sometimes'\n", "'fail-on' should be one of \"error\", \"warning\""),
    ("allow = 'reablement'\n", "'allow' should be a list of terms, not text"),
    ("builtin-glossary = 'no'\n", "'builtin-glossary' should be true or false"),
    ("[severity]\nPS201 = 'fatal'\n", "'severity.PS201' should be \"error\""),
    ("[per-file-ignores]\n'a/*.md' = 'PS201'\n", "'per-file-ignores.a/*.md' should be a list"),
    ("extend = 3\n", "'extend' should be a path to another config file"),
    ("select = ['PS1', 'jargn']\n", "'select' names no rule called 'jargn' (rules: PS101"),
    ("max-grade = \n", "is not valid TOML"),
])
def test_validation_names_file_key_and_expectation(tmp_path: Path, text: str,
                                                   message: str) -> None:
    path = write(tmp_path / ".plainspeak.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_pyproject_errors_name_the_section(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.plainspeak]\nmax_grades = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool.plainspeak\] unknown setting 'max_grades'"):
        ConfigResolver().for_path(tmp_path / "x.md")


def test_patterns_are_anchored_to_the_config_folder(tmp_path: Path) -> None:
    path = write(tmp_path / ".plainspeak.toml",
                 'exclude = ["drafts/", "old/*.md"]\n'
                 '[per-file-ignores]\n"legal/*.md" = ["PS201"]\n')
    s = load_config(path).settings
    root = tmp_path.as_posix()
    assert s.exclude == ("drafts/", f"{root}/old/*.md")
    assert s.per_file_ignores == {f"{root}/legal/*.md": ("PS201",)}


def test_command_line_overrides_and_adds(tmp_path: Path) -> None:
    path = write(tmp_path / ".plainspeak.toml",
                 'glossaries = ["a.yaml"]\nmax-grade = 9\nexclude = ["x/"]\n')
    loaded = apply_overrides(load_config(path), {
        "max_grade": 14.0, "glossaries": ("/b.yaml",), "exclude": ("y/",),
        "ignore": ("PS202",)})
    assert loaded.settings.ignore == ("PS202",)
    assert loaded.settings.max_grade == 14.0
    assert loaded.settings.glossaries == (str(tmp_path / "a.yaml"), "/b.yaml")
    assert loaded.settings.exclude == ("x/", "y/")
    assert loaded.sources["max_grade"] == "command line"


def test_explicit_config_is_used_for_every_file(tmp_path: Path) -> None:
    chosen = write(tmp_path / "ci.toml", "max-grade = 8\n")
    write(tmp_path / "docs" / ".plainspeak.toml", "max-grade = 10\n")
    resolver = ConfigResolver(chosen)
    assert resolver.for_path(tmp_path / "docs" / "a.md").settings.max_grade == 8.0
    with pytest.raises(ConfigError, match="config file not found"):
        ConfigResolver(tmp_path / "missing.toml").for_path(tmp_path)


def test_every_setting_can_be_configured() -> None:
    """A field added to Settings needs a config key (and a line in docs/configuration.md)."""
    from dataclasses import fields

    from plainspeak.config import KEYS
    from plainspeak.settings import Settings

    names = {f.name for f in fields(Settings)}
    assert set(KEYS) == names
    docs = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text("utf-8")
    for name in names:
        assert f"`{name.replace('_', '-')}`" in docs, name
