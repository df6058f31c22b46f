"""Read glossary YAML into entries, keeping line numbers so every message can point at one.

The YAML is written by people in a web editor, so every mistake gets a one-sentence
message naming the file, line and entry.  Only the safe loader's node graph is used, and
anchors/aliases are refused outright: a glossary never needs them and they are the
"billion laughs" door.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plainspeak.errors import GlossaryError
from plainspeak.glossary.model import CATEGORIES, Entry, Examples, Glossary, slugify
from plainspeak.models import Severity

if TYPE_CHECKING:
    import yaml

MAX_GLOSSARY_BYTES = 50 * 1024 * 1024
BUILTIN_NAME = "glossary.yaml"

ENTRY_FIELDS: dict[str, str] = {
    "id": "str", "term": "str", "category": "str", "alternatives": "list",
    "explanation": "str", "variants": "list", "exact_case": "bool", "inflect": "bool",
    "severity": "str", "safe_fix": "bool", "keep": "bool", "only_in": "list",
    "not_in": "list", "only_near": "list", "tags": "list", "note": "str",
    "examples": "map",
}
TOP_FIELDS = ("version", "entries", "disable")
_BOOL_TAG = "tag:yaml.org,2002:bool"
EXPECTED = {"str": "a piece of text", "list": "a list", "bool": "true or false",
            "map": "a set of named fields"}


@dataclass(frozen=True, slots=True)
class GlossaryFile:
    """One parsed glossary file: its entries and the built-in ids it switches off."""

    path: str
    entries: tuple[Entry, ...]
    disable: tuple[str, ...]


def builtin_path() -> Path:
    """Where the shipped glossary lives inside the installed package."""
    return Path(str(resources.files("plainspeak") / "data" / BUILTIN_NAME))


@lru_cache(maxsize=1)
def _loaders() -> tuple[Any, Any]:
    """libyaml's safe loader (None without libyaml), and the pure-Python safe loader
    minus anchors and aliases.  Made on first use: a run whose glossary comes from the
    cache parses no YAML, and never imports PyYAML (about 12 ms)."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise GlossaryError(
                    f"line {event.start_mark.line + 1}: YAML aliases (*name) are not "
                    "allowed in a glossary; write the text out in full"
                )
            return super().compose_node(parent, index)

    return getattr(yaml, "CSafeLoader", None), NoAliasLoader


# A glossary needs five levels (file, entries, entry, examples, list).  Composing
# recurses once per level, and libyaml's composer overflows the C stack (a segfault,
# not an error) at about 30,000, so depth is refused while scanning, which is flat.
MAX_YAML_DEPTH = 50


def _refuse_aliases(text: str) -> None:
    """Scan the event stream (aliases are never expanded here, and the scan does not
    recurse) and refuse any alias, and nesting deeper than MAX_YAML_DEPTH."""
    import yaml

    loader = (_loaders()[0] or yaml.SafeLoader)(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            if isinstance(event, yaml.AliasEvent):
                raise GlossaryError(
                    f"line {line}: YAML aliases (*name) are not allowed"
                    " in a glossary; write the text out in full"
                )
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise GlossaryError(f"line {line}: lists and fields are nested more "
                                        f"than {MAX_YAML_DEPTH} levels deep")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml when present (ten times faster), else the pure-Python loader
    that refuses aliases as it goes; either way after a flat scan for aliases and depth."""
    _refuse_aliases(text)
    fast, no_alias = _loaders()
    loader = fast(text) if fast is not None else no_alias(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def parse_yaml(text: str, path: str) -> yaml.Node | None:
    """Compose YAML into nodes (with line marks) or raise a one-line GlossaryError.

    Shared by the config loader; only nodes are built, never Python objects from tags."""
    import yaml

    try:
        return _compose(text)
    except GlossaryError as exc:
        raise GlossaryError(f"{path}: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        problem = exc.problem or exc.context or "broken YAML"
        raise GlossaryError(f"{where}: this is not valid YAML ({problem})") from None
    except yaml.YAMLError as exc:
        raise GlossaryError(f"{path}: this is not valid YAML ({exc})") from None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar(node: yaml.Node) -> Any:
    import yaml

    return yaml.SafeLoader.construct_scalar(yaml.SafeLoader(""), node)  # type: ignore[arg-type]


def _value(node: yaml.Node, kind: str, where: str, key: str) -> Any:
    """Turn a node into a plain value of the expected kind, or explain what is wrong."""
    import yaml

    if kind == "list":
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise GlossaryError(f"{where}: '{key}' must be {EXPECTED['list']}, like [a, b]")
        items = []
        for item in node.value:
            if (not isinstance(item, yaml.ScalarNode)
                    or item.tag in ("tag:yaml.org,2002:null", _BOOL_TAG)):
                raise GlossaryError(
                    f"{where}: every item in '{key}' must be a piece of text "
                    f"(line {_line(item)}; put it in quotes if it is yes, no, true or false)"
                )
            items.append(str(item.value).strip())
        return tuple(items)
    if kind == "map":
        if not isinstance(node, yaml.MappingNode):
            raise GlossaryError(f"{where}: '{key}' must be {EXPECTED['map']}")
        return node
    if not isinstance(node, yaml.ScalarNode):
        raise GlossaryError(f"{where}: '{key}' must be {EXPECTED[kind]}")
    if kind == "str" and node.tag in (_BOOL_TAG, "tag:yaml.org,2002:int",
                                      "tag:yaml.org,2002:float"):
        raise GlossaryError(f"{where}: '{key}' must be {EXPECTED['str']}, not "
                            f"{node.value!r} (put it in quotes if you mean the text)")
    if kind == "bool":
        if node.tag != "tag:yaml.org,2002:bool":
            raise GlossaryError(f"{where}: '{key}' must be true or false, not {node.value!r}")
        return node.value.lower() in ("true", "yes", "on")
    if node.tag == "tag:yaml.org,2002:null":
        raise GlossaryError(f"{where}: '{key}' is empty")
    return str(node.value).strip()


def _suggest(key: str, options: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _entry(node: yaml.Node, path: str, index: int) -> Entry:
    import yaml

    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        raise GlossaryError(f"{path}:{line}: entry {index} must be a set of fields starting "
                            "with '- id:' or '- term:'")
    raw: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in raw:
            raise GlossaryError(f"{path}:{_line(key_node)}: '{key}' appears twice in one entry")
        raw[key] = (key_node, value_node)
    label = raw["id"][1].value if "id" in raw else raw["term"][1].value if "term" in raw else ""
    where = f"{path}:{line}: entry '{label}'" if label else f"{path}:{line}: entry {index}"
    for key, (key_node, _) in raw.items():
        if key not in ENTRY_FIELDS:
            raise GlossaryError(f"{path}:{_line(key_node)}: entry '{label}': unknown field "
                                f"'{key}'{_suggest(key, ENTRY_FIELDS)}")
    values: dict[str, Any] = {
        key: _value(value_node, ENTRY_FIELDS[key], where, key)
        for key, (_, value_node) in raw.items()
    }
    for required in ("term", "category", "explanation"):
        if not values.get(required):
            raise GlossaryError(f"{where}: '{required}' is missing")
    if "alternatives" not in values:
        raise GlossaryError(f"{where}: 'alternatives' is missing (use [] only with keep: true)")
    category = values["category"]
    if category not in CATEGORIES:
        raise GlossaryError(f"{where}: category '{category}' is not one of "
                            f"{', '.join(CATEGORIES)}{_suggest(category, CATEGORIES)}")
    severity = None
    if "severity" in values:
        try:
            severity = Severity.parse(values["severity"])
        except ValueError as exc:
            raise GlossaryError(f"{where}: {exc}") from None
    examples = Examples()
    if "examples" in values:
        ex: dict[str, tuple[str, ...]] = {}
        for key_node, value_node in values["examples"].value:
            key = str(key_node.value)
            if key not in ("flag", "pass"):
                raise GlossaryError(f"{path}:{_line(key_node)}: entry '{label}': examples can "
                                    f"only have 'flag' and 'pass', not '{key}'")
            ex[key] = _value(value_node, "list", where, f"examples: {key}")
        examples = Examples(flag=ex.get("flag", ()), pass_=ex.get("pass", ()))
    term = values["term"]
    return Entry(
        id=values.get("id") or slugify(term),
        term=term,
        category=category,
        alternatives=values["alternatives"],
        explanation=" ".join(values["explanation"].split()),
        variants=values.get("variants", ()),
        exact_case=values.get("exact_case", False),
        inflect=values.get("inflect", True),
        severity=severity,
        safe_fix=values.get("safe_fix", False),
        keep=values.get("keep", False),
        only_in=values.get("only_in", ()),
        not_in=values.get("not_in", ()),
        only_near=values.get("only_near", ()),
        tags=values.get("tags", ()),
        note=values.get("note"),
        examples=examples,
        source=path,
        line=line,
    )


_ENTRY_START = re.compile(r"^\s*-\s+(?:id|term):\s*(.+?)\s*$")


def _entry_before(text: str, line: int) -> str | None:
    """The id (or term) of the last entry starting on or before ``line``: broken YAML
    cannot be parsed into entries, but a person still wants to know which one to fix."""
    label = None
    for raw in text.splitlines()[:line]:
        found = _ENTRY_START.match(raw)
        if found:
            label = found.group(1).strip("'\"")
    return label


def _name_entry(error: GlossaryError, text: str, path: str) -> GlossaryError:
    """Add "entry 'x':" to a YAML error that has a line but no entry."""
    message = str(error)
    found = re.match(rf"{re.escape(path)}:(\d+): (.*)", message, re.DOTALL)
    if not found or "entry '" in message:
        return error
    label = _entry_before(text, int(found.group(1)))
    if label is None:
        return error
    return GlossaryError(f"{path}:{found.group(1)}: entry '{label}': {found.group(2)}")


def parse_glossary(text: str, path: str = "<glossary>") -> GlossaryFile:
    """Parse one glossary's text.  Raises GlossaryError with file, line and entry."""
    import yaml

    try:
        root = parse_yaml(text, path)
    except GlossaryError as exc:
        raise _name_entry(exc, text, path) from None
    if root is None:
        return GlossaryFile(path, (), ())
    if not isinstance(root, yaml.MappingNode):
        raise GlossaryError(f"{path}:{_line(root)}: a glossary starts with 'version: 1' and "
                            "'entries:', followed by a list of entries")
    top: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key not in TOP_FIELDS:
            raise GlossaryError(f"{path}:{_line(key_node)}: unknown top-level key "
                                f"'{key}'{_suggest(key, TOP_FIELDS)}")
        top[key] = value_node
    if "version" in top and str(top["version"].value) != "1":
        raise GlossaryError(f"{path}:{_line(top['version'])}: glossary version "
                            f"{top['version'].value!r} is not supported (use 1)")
    disable = _value(top["disable"], "list", path, "disable") if "disable" in top else ()
    entries_node = top.get("entries")
    entries: list[Entry] = []
    if entries_node is not None and not (
        isinstance(entries_node, yaml.ScalarNode) and entries_node.tag.endswith("null")
    ):
        if not isinstance(entries_node, yaml.SequenceNode):
            raise GlossaryError(f"{path}:{_line(entries_node)}: 'entries' must be a list, "
                                "each entry starting with '- id:'")
        entries = [_entry(node, path, i + 1) for i, node in enumerate(entries_node.value)]
        seen: dict[str, Entry] = {}
        for entry in entries:
            if entry.id in seen:
                raise GlossaryError(f"{path}:{entry.line}: entry '{entry.id}': the id is already "
                                    f"used by the entry on line {seen[entry.id].line}")
            seen[entry.id] = entry
    return GlossaryFile(path, tuple(entries), tuple(disable))


def read_glossary_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of one glossary file, with one-line errors for unreadable files."""
    name = str(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_GLOSSARY_BYTES:
            raise GlossaryError(f"{name}: glossary is {size / 1e6:.1f} MB, over the "
                                f"{MAX_GLOSSARY_BYTES // 1024 // 1024} MB limit")
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise GlossaryError(f"{name}: glossary file not found") from None
    except IsADirectoryError:
        raise GlossaryError(f"{name}: is a directory, not a glossary file") from None
    except PermissionError:
        raise GlossaryError(f"{name}: permission denied") from None
    except OSError as exc:
        raise GlossaryError(f"{name}: cannot read ({exc.strerror or exc})") from None


def parse_glossary_bytes(data: bytes, name: str) -> GlossaryFile:
    """Parse the bytes read from the glossary file ``name``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"{name}: glossary must be UTF-8 text (bad byte at offset "
                            f"{exc.start})") from None
    return parse_glossary(text, name)


def read_glossary_file(path: str | os.PathLike[str]) -> GlossaryFile:
    """Read and parse one glossary file, with one-line errors for unreadable files."""
    return parse_glossary_bytes(read_glossary_bytes(path), str(path))


_BUILTIN_CACHE: GlossaryFile | None = None


def builtin_glossary_file() -> GlossaryFile:
    """The shipped glossary, parsed once per process."""
    global _BUILTIN_CACHE
    if _BUILTIN_CACHE is None:
        parsed = read_glossary_file(builtin_path())
        _BUILTIN_CACHE = GlossaryFile("glossary.yaml", tuple(
            _relabel(e) for e in parsed.entries), parsed.disable)
    return _BUILTIN_CACHE


def _relabel(entry: Entry) -> Entry:
    from dataclasses import replace

    return replace(entry, source="glossary.yaml")


def merge(files: Sequence[GlossaryFile], disable: Iterable[str] = ()) -> Glossary:
    """Later files add entries and override earlier ones with the same id; ``disable`` ids
    (from any file or the caller) are dropped."""
    by_id: dict[str, Entry] = {}
    off = set(disable)
    for gfile in files:
        off.update(gfile.disable)
        for entry in gfile.entries:
            by_id.pop(entry.id, None)  # an override moves to the end, after what it shadows
            by_id[entry.id] = entry
    entries = tuple(e for e in by_id.values() if e.id not in off)
    return Glossary(entries, tuple(f.path for f in files))


def load_glossary(
    *paths: str | os.PathLike[str],
    builtin: bool = True,
    disable: Sequence[str] = (),
) -> Glossary:
    """The built-in glossary (unless ``builtin=False``) merged with the given files."""
    files = [builtin_glossary_file()] if builtin else []
    files.extend(read_glossary_file(p) for p in paths)
    return merge(files, disable)
