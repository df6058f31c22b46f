"""Every written form an entry can take: variants, hyphen spellings and inflections.

Inflections are generated at pattern-building time so that matching stays a plain
token lookup ("service users" -> "service user", "signposted" -> "signpost").  lemminflect
costs about 0.7 s to load, so the forms of the built-in glossary's words are shipped
precomputed in ``data/inflections.json`` and lemminflect is only loaded for words a user
glossary adds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from plainspeak.glossary.model import Entry

# Words never inflected inside a phrase: "in order to" must not become "in orders to".
FUNCTION_WORDS = frozenset((
    "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of",
    "on", "or", "per", "the", "to", "under", "upon", "via", "with", "your", "you", "our", "we",
    "us",
))
_HYPHEN_INSIDE = re.compile(r"(?<=[^\W_])-(?=[^\W_])")
_TABLE_NAME = "inflections.json"


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, list[str]]]:
    try:
        text = (resources.files("plainspeak") / "data" / _TABLE_NAME).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data: dict[str, dict[str, list[str]]] = json.loads(text)
    return data


def generate_inflections(word: str) -> dict[str, list[str]]:
    """Inflected forms of one lower-case word by Penn tag, from lemminflect (slow: it
    loads its tables on first use)."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    found: dict[str, list[str]] = {
        tag: [f.lower() for f in forms] for tag, forms in getAllInflections(word).items()
    }
    if not found and word.isalpha() and len(word) > 3:
        for upos in ("NOUN", "VERB"):
            for tag, forms in getAllInflectionsOOV(word, upos).items():
                found.setdefault(tag, [f.lower() for f in forms])
    return found


@lru_cache(maxsize=65536)
def inflection_tags(word: str) -> dict[str, tuple[str, ...]]:
    """A word's inflections by Penn tag (NNS, VBD, VBG, VBN, VBZ...), table first."""
    key = word.lower()
    if key in FUNCTION_WORDS or not key.isalpha():
        return {}
    table = _table()
    raw = table[key] if key in table else generate_inflections(key)
    return {tag: tuple(forms) for tag, forms in raw.items()}


def word_inflections(word: str) -> tuple[str, ...]:
    """Inflected forms of a word, not including the word itself."""
    key = word.lower()
    forms = {f for fs in inflection_tags(key).values() for f in fs}
    forms.discard(key)
    return tuple(sorted(forms))


def inflect(word: str, tag: str) -> str | None:
    """One form of ``word`` for a Penn tag ("person", "NNS" -> "people"), or None."""
    forms = inflection_tags(word).get(tag)
    return forms[0] if forms else None


def tag_of(base: str, form: str) -> str | None:
    """The Penn tag that turns ``base`` into ``form`` ("user", "users" -> "NNS")."""
    if base.lower() == form.lower():
        return None
    for tag, forms in inflection_tags(base).items():
        if form.lower() in forms:
            return tag
    return None


def _inflect_piece(word: str) -> list[str]:
    """Inflect a word, or the last part of a hyphenated word ("co-produce")."""
    head, sep, tail = word.rpartition("-")
    target = tail if sep else word
    forms = word_inflections(target)
    if target != target.lower():
        return []
    return [head + sep + f for f in forms]


def phrase_inflections(phrase: str) -> list[str]:
    """A phrase with its first or its last content word inflected (not both at once):
    nouns pluralise at the end ("care packages"), verbs at the start ("signposted to")."""
    words = phrase.split(" ")
    results: list[str] = []
    positions = {len(words) - 1, 0}
    for pos in sorted(positions):
        for form in _inflect_piece(words[pos]):
            results.append(" ".join([*words[:pos], form, *words[pos + 1:]]))
    return results


def spelling_variants(phrase: str) -> list[str]:
    """Hyphen and apostrophe spellings: "co-production", "co production", "coproduction";
    "carer's" and "carer’s"."""
    out = [phrase]
    if _HYPHEN_INSIDE.search(phrase):
        out.append(_HYPHEN_INSIDE.sub(" ", phrase))
        out.append(_HYPHEN_INSIDE.sub("", phrase))
    for text in list(out):
        if "'" in text:
            out.append(text.replace("'", "\u2019"))
        elif "\u2019" in text:
            out.append(text.replace("\u2019", "'"))
    return out


def base_phrases(entry: Entry) -> tuple[str, ...]:
    """The phrases an entry is matched on before inflection: its ``only_in`` phrases when
    it has them (the bare term never fires), else its term and variants."""
    return entry.only_in if entry.only_in else entry.surface_forms


def entry_forms(entry: Entry) -> list[str]:
    """Every surface form of an entry, deduplicated (lower case unless exact case)."""
    return expand(base_phrases(entry), inflect=entry.inflect and not entry.exact_case,
                  exact_case=entry.exact_case)


def expand(phrases: Iterable[str], *, inflect: bool, exact_case: bool) -> list[str]:
    """Spelling variants and inflections of phrases, deduplicated, in a stable order."""
    seen: dict[str, None] = {}
    for phrase in phrases:
        phrase = " ".join(phrase.split())
        if not phrase:
            continue
        base = phrase if exact_case else phrase.lower()
        candidates = [base]
        if inflect:
            candidates.extend(phrase_inflections(base))
        for candidate in candidates:
            for variant in spelling_variants(candidate):
                seen.setdefault(variant, None)
    return list(seen)


def words_needing_inflection(entries: Iterable[Entry]) -> set[str]:
    """The words whose inflections the shipped table must hold for these entries: every
    word a pattern or a fix may look up, so that checking the built-in glossary never
    loads lemminflect (about 0.5 s)."""
    words: set[str] = set()

    def add(text: str) -> None:
        for part in text.lower().replace("-", " ").split():
            if part.isalpha() and part not in FUNCTION_WORDS:
                words.add(part)

    for entry in entries:
        # any word of a written form: a fix compares what was written with each of them
        for phrase in (*base_phrases(entry), entry.term, *entry.variants, *entry.not_in):
            add(phrase)
        for alternative in entry.alternatives:
            add(alternative)
            # the stems a fix tries for a verb it makes agree ("uses" -> "use")
            for part in alternative.lower().split():
                if part.isalpha():
                    for stem in (part[:-1], part[:-2], part[:-3] + "y"):
                        if stem.isalpha() and stem not in FUNCTION_WORDS:
                            words.add(stem)
    return words


def build_table(entries: Iterable[Entry]) -> dict[str, dict[str, list[str]]]:
    """The precomputed inflection table for these entries (written by ``refresh``)."""
    return {w: generate_inflections(w) for w in sorted(words_needing_inflection(entries))}


def refresh() -> int:
    """Rewrite ``src/plainspeak/data/inflections.json`` for the built-in glossary.

    Run ``python -m plainspeak.nlp.forms`` after editing glossary.yaml; a test says when
    it is needed.  Returns the number of words written."""
    from pathlib import Path

    from plainspeak.glossary.loader import builtin_glossary_file

    table = build_table(builtin_glossary_file().entries)
    target = Path(__file__).resolve().parent.parent / "data" / _TABLE_NAME
    target.write_text(json.dumps(table, indent=0, sort_keys=True, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    return len(table)


if __name__ == "__main__":  # pragma: no cover - maintenance command
    print(f"wrote inflections for {refresh()} words")
