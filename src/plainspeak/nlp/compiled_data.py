"""A compiled glossary as plain JSON data and back, checking the shape of every value.

The cache keeps this data in files that anyone able to write to the cache folder could
edit, so reading it builds nothing but strings, numbers, lists, entries and screen
reaches (no format that runs code while loading, no class named by the data), and
anything not exactly the shape written here raises ValueError: the caller then compiles
the glossary afresh.

The data is laid out in columns (one list per entry field, one flat list of patterns,
parallel lists for the screen) rather than a small list per item: a large glossary is
then read back with a few checks per column instead of several per value, which made
reading it three times quicker.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from typing import Any

from plainspeak.glossary.model import Entry, Examples, Glossary
from plainspeak.models import Severity
from plainspeak.nlp.compiled import CompiledGlossary, PatternGroup
from plainspeak.nlp.screen import ScreenState

__all__ = ["ENTRY_FIELDS", "from_data", "to_data"]

# Every Entry field in declaration order, with the kind of its value (a test checks
# that none is missing).  ``examples`` is written as two columns of lists.
ENTRY_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "str"), ("term", "str"), ("category", "str"), ("alternatives", "strs"),
    ("explanation", "str"), ("variants", "strs"), ("exact_case", "bool"),
    ("inflect", "bool"), ("severity", "severity"), ("safe_fix", "bool"), ("keep", "bool"),
    ("only_in", "strs"), ("not_in", "strs"), ("only_near", "strs"), ("tags", "strs"),
    ("note", "optional str"), ("examples", "examples"), ("source", "str"), ("line", "int"),
)


def _only(kinds: set[type], values: list[Any]) -> bool:
    """Every value is exactly of one of these types (True is no number here)."""
    return set(map(type, values)) <= kinds


def _list(value: Any, kinds: set[type] | None = None) -> list[Any]:
    if type(value) is not list or (kinds is not None and not _only(kinds, value)):
        raise ValueError("not a list of the expected kind")
    return value


def _str_lists(value: Any) -> list[tuple[str, ...]]:
    column = _list(value, {list})
    _list(list(chain.from_iterable(column)), {str})
    return list(map(tuple, column))


def _column(kind: str, value: Any) -> list[Any]:
    """One entry field for every entry, checked as a whole."""
    if kind == "str":
        return _list(value, {str})
    if kind == "strs":
        return _str_lists(value)
    if kind == "bool":
        return _list(value, {bool})
    if kind == "int":
        return _list(value, {int})
    if kind == "optional str":
        return _list(value, {str, type(None)})
    if kind == "severity":
        return [None if v is None else Severity(v) for v in _list(value, {str, type(None)})]
    raise ValueError(f"no column of kind {kind}")


def _write_column(kind: str, values: list[Any]) -> list[Any]:
    if kind == "strs":
        return [list(v) for v in values]
    if kind == "severity":
        return [None if v is None else v.value for v in values]
    return values


def _entries_data(entries: tuple[Entry, ...]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {}
    for name, kind in ENTRY_FIELDS:
        values = [getattr(e, name) for e in entries]
        if kind == "examples":
            columns["examples.flag"] = [list(v.flag) for v in values]
            columns["examples.pass"] = [list(v.pass_) for v in values]
        else:
            columns[name] = _write_column(kind, values)
    return columns


def _entries(value: Any) -> tuple[Entry, ...]:
    names = {name for name, kind in ENTRY_FIELDS if kind != "examples"}
    if type(value) is not dict or set(value) != names | {"examples.flag", "examples.pass"}:
        raise ValueError("the entries are not a table of fields")
    columns = []
    for name, kind in ENTRY_FIELDS:
        if kind == "examples":
            flags, passes = _str_lists(value["examples.flag"]), _str_lists(value["examples.pass"])
            if len(flags) != len(passes):
                raise ValueError("examples of different lengths")
            columns.append([Examples(f, p) for f, p in zip(flags, passes, strict=True)])
        else:
            columns.append(_column(kind, value[name]))
    if len({len(c) for c in columns}) > 1:
        raise ValueError("entry fields of different lengths")
    # positional: ENTRY_FIELDS is in the order Entry declares its fields
    return tuple(map(Entry, *columns))


def _groups_data(groups: tuple[PatternGroup, ...]) -> dict[str, list[Any]]:
    """Keys, how many patterns each has, and every pattern as its tokens joined by
    spaces: no token holds whitespace (the tokenizer cuts there, and forms are
    normalised to single spaces)."""
    patterns = []
    for group in groups:
        for pattern in group.patterns:
            text = " ".join(pattern)
            if text.split() != list(pattern):
                raise ValueError(f"a token that cannot be joined by spaces in {pattern!r}")
            patterns.append(text)
    return {"keys": [g.key for g in groups], "sizes": [len(g.patterns) for g in groups],
            "patterns": patterns}


def _groups(value: Any, keys: set[str]) -> tuple[PatternGroup, ...]:
    if type(value) is not dict or set(value) != {"keys", "sizes", "patterns"}:
        raise ValueError("the patterns are not a table")
    names, sizes = _list(value["keys"], {str}), _list(value["sizes"], {int})
    texts = _list(value["patterns"], {str})
    if (len(names) != len(sizes) or sum(sizes) != len(texts) or not set(names) <= keys
            or (sizes and min(sizes) < 1)):
        raise ValueError("patterns that do not add up")
    if any(not t or t[0] == " " or t[-1] == " " or "  " in t for t in texts):
        raise ValueError("an empty pattern or token")
    patterns = [tuple(text.split(" ")) for text in texts]
    groups = []
    at = 0
    for name, size in zip(names, sizes, strict=True):
        groups.append(PatternGroup(name, tuple(patterns[at:at + size])))
        at += size
    return tuple(groups)


def _screen_data(state: ScreenState | None) -> Any:
    if state is None:
        return None
    plain = sorted(state.plain.items())
    cond = [(word, need) for word, needs in sorted(state.cond.items()) for need in needs]
    substrings = sorted(state.substrings.items())
    return {
        "words": [word for word, _ in plain],
        "reaches": [n for _, reach in plain for n in reach],
        "cond.words": [word for word, _ in cond],
        "cond.nears": [near for _, (near, _, _) in cond],
        "cond.reaches": [n for _, (_, left, right) in cond for n in (left, right)],
        "substrings": [text for (text, _), _ in substrings],
        "substrings.exact": [exact for (_, exact), _ in substrings],
        "substrings.reaches": [n for _, reach in substrings for n in reach],
        "everything": state.everything,
    }


def _reaches(value: Any, count: int) -> list[tuple[int, int]]:
    flat = _list(value, {int})
    if len(flat) != 2 * count:
        raise ValueError("a keyword without its reach")
    return list(zip(flat[0::2], flat[1::2], strict=True))


def _screen(value: Any) -> ScreenState | None:
    if value is None:
        return None
    names = {"words", "reaches", "cond.words", "cond.nears", "cond.reaches", "substrings",
             "substrings.exact", "substrings.reaches", "everything"}
    if type(value) is not dict or set(value) != names or type(value["everything"]) is not bool:
        raise ValueError("the screen is not a table of reaches")
    words = _list(value["words"], {str})
    plain = dict(zip(words, _reaches(value["reaches"], len(words)), strict=True))
    cond_words = _list(value["cond.words"], {str})
    nears = _list(value["cond.nears"], {str})
    if (len(nears) != len(cond_words) or not set(cond_words) <= plain.keys()
            or cond_words != sorted(cond_words)):
        raise ValueError("second words that do not add up")
    needs = [(near, left, right) for near, (left, right) in zip(
        nears, _reaches(value["cond.reaches"], len(nears)), strict=True)]
    # written sorted by keyword, so each keyword's needs are one run of the list
    cond: dict[str, tuple[tuple[str, int, int], ...]] = {}
    at = 0
    for word, count in Counter(cond_words).items():
        cond[word] = tuple(needs[at:at + count])
        at += count
    texts = _list(value["substrings"], {str})
    exact = _list(value["substrings.exact"], {bool})
    if len(exact) != len(texts):
        raise ValueError("substrings that do not add up")
    substrings = dict(zip(zip(texts, exact, strict=True),
                          _reaches(value["substrings.reaches"], len(texts)), strict=True))
    return ScreenState(plain, cond, substrings, value["everything"])


def to_data(compiled: CompiledGlossary) -> dict[str, Any]:
    """Plain data (dicts, lists, text, numbers) that ``json.dumps`` can write."""
    glossary = compiled.glossary
    return {
        "sources": list(glossary.sources),
        "entries": _entries_data(glossary.entries),
        "lower": _groups_data(compiled.lower),
        "orth": _groups_data(compiled.orth),
        "veto": _groups_data(compiled.veto),
        "screen": _screen_data(compiled.screen),
    }


def from_data(data: Any) -> CompiledGlossary:
    """The compiled glossary ``to_data`` wrote; ValueError when anything is off."""
    names = {"sources", "entries", "lower", "orth", "veto", "screen"}
    if type(data) is not dict or set(data) != names:
        raise ValueError("not a compiled glossary")
    entries = _entries(data["entries"])
    ids = {e.id for e in entries}
    if len(ids) != len(entries):
        raise ValueError("two entries with one id")
    glossary = Glossary(entries, tuple(_list(data["sources"], {str})))
    return CompiledGlossary(glossary, _groups(data["lower"], ids), _groups(data["orth"], ids),
                            _groups(data["veto"], ids), _screen(data["screen"]))
