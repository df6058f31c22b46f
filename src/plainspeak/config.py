"""Configuration: find the closest file, follow ``extend``, validate, say where values came from.

A project keeps its settings in ``.plainspeak.toml`` or in ``[tool.plainspeak]`` of
``pyproject.toml``; the closest file walking up from a checked file wins, and it
inherits from another only when it says ``extend = "path"`` (as ruff does), so a
setting never comes from a file nobody can see.  Unknown keys and wrong types are
errors naming the file, the key and what was expected: a misspelt setting that is
silently ignored is worse than no setting.  No click here; the CLI layers its flags on
top with ``apply_overrides``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from plainspeak.errors import ConfigError
from plainspeak.models import Severity
from plainspeak.settings import DEFAULT_SETTINGS, Settings

__all__ = [
    "CONFIG_FILES", "FAIL_LEVELS", "KEYS", "LoadedConfig", "ConfigResolver",
    "apply_overrides", "default_config", "find_config_file", "load_config",
]

CONFIG_FILES: tuple[str, ...] = (".plainspeak.toml", "pyproject.toml")
FAIL_LEVELS: tuple[str, ...] = ("error", "warning", "info", "never")
DEFAULT_LABEL = "default"
MAX_EXTEND_DEPTH = 10


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _severity_table(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(v, str) and v.lower() in ("error", "warning", "info")
        for v in value.values())


def _ignore_table(value: Any) -> bool:
    return isinstance(value, dict) and all(_text_list(v) for v in value.values())


@dataclass(frozen=True, slots=True)
class Key:
    """One setting a config file may hold: its check and the words used when it fails."""

    name: str
    check: Callable[[Any], bool]
    expected: str


KEYS: dict[str, Key] = {k.name: k for k in (
    Key("glossaries", _text_list, "a list of glossary file paths"),
    Key("builtin_glossary", lambda v: isinstance(v, bool), "true or false"),
    Key("disable", _text_list, "a list of glossary entry ids"),
    Key("allow", _text_list, "a list of terms"),
    Key("select", _text_list, "a list of rule codes, prefixes or names"),
    Key("ignore", _text_list, "a list of rule codes, names or glossary ids"),
    Key("fail_on", lambda v: isinstance(v, str) and v.lower() in FAIL_LEVELS,
        "one of " + ", ".join(f'"{x}"' for x in FAIL_LEVELS)),
    Key("exclude", _text_list, "a list of paths or glob patterns"),
    Key("severity", _severity_table,
        'a table like { PS201 = "error", acronym = "info" } (error, warning or info)'),
    Key("max_sentence_words", _positive_int, "a whole number above 0"),
    Key("max_grade", lambda v: _number(v) and v > 0, "a number above 0"),
    Key("per_file_ignores", _ignore_table,
        'a table of glob = [codes or ids], like { "legal/*.md" = ["PS201"] }'),
    Key("front_matter_fields", _text_list, "a list of front matter field names"),
    Key("max_file_mb", lambda v: _number(v) and v > 0, "a number of megabytes above 0"),
    Key("report_unused_suppressions", lambda v: isinstance(v, bool), "true or false"),
)}
EXTEND_KEY = "extend"
_PATH_LIST_KEYS = ("glossaries",)
_PATTERN_KEYS = ("exclude",)
ADDITIVE_KEYS = ("glossaries", "exclude", "ignore")


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """Settings in force plus where each came from ("default", a file path, "command line").

    ``path`` is the config file that was found (None when only defaults apply) and
    ``chain`` lists it and every file it extends, closest first.
    """

    settings: Settings
    sources: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    chain: tuple[Path, ...] = ()


def default_config() -> LoadedConfig:
    """Only the documented defaults: no config file was found."""
    return LoadedConfig(DEFAULT_SETTINGS, {f.name: DEFAULT_LABEL for f in fields(Settings)})


def _read_table(path: Path) -> dict[str, Any] | None:
    """The plainspeak table of a config file; None for a pyproject.toml without one."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: is not valid TOML ({error})") from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table.
        raise ConfigError(f"{path}: is nested too deeply to be a plainspeak config") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("plainspeak") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.plainspeak] must be a table of settings")
        return table
    return data


def _section(path: Path) -> str:
    return "[tool.plainspeak] " if path.name == "pyproject.toml" else ""


def _suggest(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, [*KEYS, EXTEND_KEY], n=1)
    return f" (did you mean '{close[0].replace('_', '-')}'?)" if close else ""


def _validate(path: Path, table: Mapping[str, Any]) -> dict[str, Any]:
    """Checked values under their Settings names (kebab-case and snake_case both work)."""
    out: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key == EXTEND_KEY:
            if not isinstance(value, str):
                raise ConfigError(f"{path}: {_section(path)}'{raw_key}' should be a path to "
                                  f"another config file, not {_kind(value)}")
            out[key] = value
            continue
        spec = KEYS.get(key)
        if spec is None:
            raise ConfigError(f"{path}: {_section(path)}unknown setting '{raw_key}'"
                              f"{_suggest(key)}")
        if key in ("severity", "per_file_ignores") and isinstance(value, dict):
            _validate_table(path, raw_key, key, value)
        if not spec.check(value):
            raise ConfigError(f"{path}: {_section(path)}'{raw_key}' should be {spec.expected},"
                              f" not {_kind(value)} {_show(value)}")
        if key == "select" and unknown_selectors(value):
            raise ConfigError(f"{path}: {_section(path)}'select' names no rule called "
                              f"'{unknown_selectors(value)[0]}' ({_rule_list()})")
        out[key] = value
    return out


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    """Selectors that name no rule (a typo would otherwise select nothing, silently)."""
    from plainspeak.rules import RULES, matches_selector

    return [s for s in selectors
            if not any(matches_selector(code, (s,)) for code in RULES)]


def _validate_table(path: Path, raw_key: str, key: str, table: dict[str, Any]) -> None:
    """Name the exact entry of a table that is wrong, not just the table."""
    for name, value in table.items():
        where = f"{path}: {_section(path)}'{raw_key}.{name}'"
        if key == "severity" and not (
                isinstance(value, str) and value.lower() in ("error", "warning", "info")):
            raise ConfigError(f"{where} should be \"error\", \"warning\" or \"info\", "
                              f"not {_kind(value)} {_show(value)}")
        if key == "per_file_ignores" and not _text_list(value):
            raise ConfigError(f"{where} should be a list of rule codes or glossary ids, "
                              f"not {_kind(value)} {_show(value)}")


def _rule_list() -> str:
    from plainspeak.rules import RULES

    return "rules: " + ", ".join(f"{r.code} {r.name}" for r in RULES.values())


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _to_settings_values(path: Path, values: dict[str, Any]) -> dict[str, Any]:
    """Raw TOML values turned into Settings values; paths and globs anchored to the file."""
    base = path.parent
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == EXTEND_KEY:
            continue
        if key in _PATH_LIST_KEYS:
            out[key] = tuple(str(base / os.path.expanduser(v)) for v in value)
        elif key in _PATTERN_KEYS:
            from plainspeak.discover import anchor_patterns

            out[key] = anchor_patterns(value, base)
        elif key == "per_file_ignores":
            from plainspeak.discover import anchor_patterns

            out[key] = {anchor_patterns([glob], base)[0]: tuple(codes)
                        for glob, codes in value.items() if anchor_patterns([glob], base)}
        elif key == "severity":
            out[key] = {k: Severity.parse(v) for k, v in value.items()}
        elif key == "fail_on":
            out[key] = value.lower()
        elif key in ("max_grade", "max_file_mb"):
            out[key] = float(value)
        elif isinstance(value, list):
            out[key] = tuple(value)
        else:
            out[key] = value
    return out


def load_config(path: str | os.PathLike[str]) -> LoadedConfig:
    """Load one config file and the files it extends (the nearer file wins per key;
    the ``severity`` and ``per_file_ignores`` tables merge key by key)."""
    first = Path(os.path.abspath(path))
    chain: list[tuple[Path, dict[str, Any]]] = []
    current: Path | None = first
    while current is not None:
        if any(current == seen for seen, _ in chain):
            raise ConfigError(f"{current}: 'extend' goes round in a circle back to this file")
        if len(chain) >= MAX_EXTEND_DEPTH:
            raise ConfigError(f"{first}: 'extend' goes more than {MAX_EXTEND_DEPTH} files deep")
        table = _read_table(current)
        if table is None:
            if current == first:
                raise ConfigError(f"{current}: has no [tool.plainspeak] section")
            raise ConfigError(f"{current}: has no [tool.plainspeak] section to extend")
        values = _validate(current, table)
        chain.append((current, values))
        extend = values.get(EXTEND_KEY)
        current = (current.parent / os.path.expanduser(extend)).resolve() if extend else None
        if current is not None and not current.exists():
            raise ConfigError(f"{chain[-1][0]}: 'extend' names {extend}, which does not exist")
    settings = DEFAULT_SETTINGS
    sources = {f.name: DEFAULT_LABEL for f in fields(Settings)}
    for file, values in reversed(chain):   # farthest first, so nearer files win
        converted = _to_settings_values(file, values)
        for key in ("severity", "per_file_ignores"):
            if key in converted:
                converted[key] = {**getattr(settings, key), **converted[key]}
        settings = replace(settings, **converted)
        for key in converted:
            sources[key] = str(file)
    return LoadedConfig(settings, sources, first, tuple(p for p, _ in chain))


def find_config_file(start: str | os.PathLike[str]) -> Path | None:
    """The closest config file at or above ``start`` (a file or a folder).

    In each folder ``.plainspeak.toml`` comes before ``pyproject.toml``, and a
    pyproject.toml without ``[tool.plainspeak]`` is passed over."""
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    while True:
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
        if folder.parent == folder:
            return None
        folder = folder.parent


def _has_tool_section(path: Path) -> bool:
    try:
        return _read_table(path) is not None
    except ConfigError:
        return True   # broken: let load_config report it rather than silently skip it


def apply_overrides(loaded: LoadedConfig, overrides: Mapping[str, Any],
                    label: str = "command line") -> LoadedConfig:
    """Settings from the command line on top of a loaded config (they always win)."""
    if not overrides:
        return loaded
    changes = dict(overrides)
    for key in ADDITIVE_KEYS:   # --glossary, --exclude, --ignore add to the file's
        if key in changes:
            changes[key] = (*getattr(loaded.settings, key), *changes[key])
    settings = replace(loaded.settings, **changes)
    sources = {**loaded.sources, **{key: label for key in overrides}}
    return LoadedConfig(settings, sources, loaded.path, loaded.chain)


class ConfigResolver:
    """Finds and loads the config for many files, each folder and file read only once.

    With ``explicit`` (``--config PATH``) every file uses that config and nothing is
    searched for."""

    def __init__(self, explicit: str | os.PathLike[str] | None = None,
                 overrides: Mapping[str, Any] | None = None) -> None:
        self.overrides = dict(overrides or {})
        self._explicit = Path(explicit) if explicit is not None else None
        self._by_folder: dict[str, Path | None] = {}
        self._loaded: dict[Path | None, LoadedConfig] = {}

    def config_file(self, path: str | os.PathLike[str], *, is_file: bool = False
                    ) -> Path | None:
        """The config file for ``path``; ``is_file`` saves a stat when the caller knows."""
        if self._explicit is not None:
            return Path(os.path.abspath(self._explicit))
        absolute = os.path.abspath(path)
        folder = (os.path.dirname(absolute) if is_file or not os.path.isdir(absolute)
                  else absolute)
        if folder not in self._by_folder:
            self._by_folder[folder] = find_config_file(folder)
        return self._by_folder[folder]

    def load(self, config_file: Path | None) -> LoadedConfig:
        if config_file not in self._loaded:
            base = default_config() if config_file is None else load_config(config_file)
            self._loaded[config_file] = apply_overrides(base, self.overrides)
        return self._loaded[config_file]

    def for_path(self, path: str | os.PathLike[str], *, is_file: bool = False
                 ) -> LoadedConfig:
        """The settings in force for one file or folder."""
        return self.load(self.config_file(path, is_file=is_file))
