"""A keyword screen that finds the few windows of a text spaCy needs to tokenise.

Tokenising is the dearest step of a check (about 3 microseconds a word even with
spaCy's cache), and most words of a page are far from any glossary term.  The screen
looks for each pattern's rarest word, and (for phrases) a second word close enough to
it, and hands spaCy only the windows of text around the places where both occur.

Why the windows give exactly the matches of the whole text:

* spaCy's tokenizer cuts a text at spaces and tokenises each space-free chunk on its
  own (prefixes, suffixes, infixes, special cases), so a window made of whole chunks
  gets the same tokens as the same chunks inside the whole text.  The one pass that
  looks across chunks (special cases found after affix splitting) can differ only in a
  window's first or last chunk, so matches touching those are dropped unless that chunk
  is also the text's own edge; a real match never reaches them (see ``Screen.windows``).
* A match of a pattern of n tokens covers at most n chunks, and contains the token
  holding the pattern's keyword, so it lies within n - 1 chunks of the keyword's chunk.
* A keyword is found as a whole word (a run of letters and digits) of the lower-cased
  text.  That is only safe when the tokenizer never cuts that word out of a longer run
  of letters and digits (it does for "can|not", "do|n't", "10|km", "1|am"), so words
  the tokenizer can glue to a neighbour are never keywords; a pattern made only of such
  words is screened by plain substring search instead.
* A veto phrase (``not_in``) contains the hit it vetoes, so the window of a keyword of
  an entry with vetoes is widened by the longest veto's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

_WORD = re.compile(r"[^\W_]+")
# What may stand before a suffix or after a prefix that the tokenizer cuts off.  English
# cuts letters off only after a digit (units: "10km", "5pm"); prefix tests are cheap, so
# both are tried there.
_SUFFIX_CONTEXTS = ("1",)
_PREFIX_CONTEXTS = ("1", "a")
# Poor keywords, in nearly every sentence: chosen only when a pattern has nothing else.
_COMMON = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "per", "that", "the", "their", "them",
    "they", "this", "to", "under", "upon", "via", "was", "we", "were", "what", "when", "where",
    "which", "who", "will", "with", "you", "your"
})


@dataclass(frozen=True, slots=True)
class Need:
    """What one pattern needs around its keyword: how many chunks the match (or a veto
    around it) can reach to the left and right, and optionally a second word that must
    occur between the keyword's chunk and ``near_span`` chunks away (negative: before)."""

    left: int
    right: int
    near: str | None = None
    near_span: int = 0


def _glued_pieces(tokenizer: Tokenizer) -> frozenset[str]:
    """Lower-case pieces that the tokenizer's special cases cut out of a longer run of
    letters and digits ("ca" and "n't" from "can't", "gon" and "na" from "gonna")."""
    glued: set[str] = set()
    for key, pieces in tokenizer.rules.items():
        orths = [str(piece.get(65, piece.get("ORTH", ""))) for piece in pieces]  # 65 = ORTH
        if len(orths) < 2 or "".join(orths) != key:
            if len(orths) >= 2:  # a rule that rewrites its text: trust none of its pieces
                glued.update(o.lower() for o in orths)
            continue
        pos = 0
        for orth in orths:
            end = pos + len(orth)
            before = pos > 0 and key[pos - 1].isalnum() and key[pos].isalnum()
            after = end < len(key) and key[end].isalnum() and key[end - 1].isalnum()
            if before or after:
                glued.add(orth.lower())
            pos = end
    return frozenset(glued)


@lru_cache(maxsize=8)
def _suffix_at(tokenizer: Any) -> Callable[[str, int], bool] | None:
    """A test that a suffix the tokenizer would cut off can start at ``pos`` and run to
    the end of the text.  spaCy's suffix regex is one big alternation ending in ``$``,
    which ``search`` tries at every position; ``match`` at the one position that
    matters is several times faster, and never says no where ``search`` would cut there."""
    search = tokenizer.suffix_search
    if search is None:
        return None
    pattern = getattr(search, "__self__", None)
    if isinstance(pattern, re.Pattern):
        def at(text: str, pos: int) -> bool:
            m = pattern.match(text, pos)
            return m is not None and m.end() == len(text)
        return at

    def fallback(text: str, pos: int) -> bool:
        m = search(text)
        return m is not None and m.start() == pos
    return fallback


@lru_cache(maxsize=8)
def _glued_for(tokenizer: Any) -> frozenset[str]:
    return _glued_pieces(tokenizer)


def can_glue(tokenizer: Tokenizer, token: str) -> bool:
    """Can this token text be cut from a longer run of letters and digits?  By a special
    case, or as a prefix or suffix touching a letter or digit ("10km" -> "10", "km")."""
    lower = token.lower()
    if lower in _glued_for(tokenizer) or token in _glued_for(tokenizer):
        return True
    # what is left when a unit is cut off after a number ("13" of "13km")
    if token[:1].isdigit() or token[-1:].isdigit():
        return True
    suffix = _suffix_at(tokenizer)
    prefix = tokenizer.prefix_search
    for text in {token, lower, token.upper()}:
        if suffix is not None and any(suffix(ctx + text, len(ctx)) for ctx in _SUFFIX_CONTEXTS):
            return True
        if prefix is not None:
            for ctx in _PREFIX_CONTEXTS:
                m = prefix(text + ctx)
                if m is not None and m.end() == len(text):
                    return True
    return False


@dataclass(frozen=True, slots=True)
class ScreenState:
    """A screen ready to use, as plain data (the compiled-glossary cache keeps it).

    ``plain``: per keyword, the chunks a match can reach to the left and right whatever
    else the text holds (-1, -1 when every pattern keyed on it needs a second word).
    ``cond``: per keyword, (second word, left, right) reaches that count only when the
    second word is in the text too.  ``substrings``: per (substring, exact case), the
    reach of patterns screened by substring.  ``everything``: some pattern has no letter
    or digit at all, so every text is let through whole."""

    plain: dict[str, tuple[int, int]]
    cond: dict[str, tuple[tuple[str, int, int], ...]]
    substrings: dict[tuple[str, bool], tuple[int, int]]
    everything: bool = False


class Screen:
    """Keyword needs for a set of token patterns; finds the windows worth tokenising."""

    def __init__(self, tokenizer: Tokenizer | None, *, common: Iterable[str] = ()) -> None:
        self._tokenizer = tokenizer
        self._common = _COMMON | frozenset(common)
        self._needs: dict[str, set[Need]] = {}
        self._substrings: dict[tuple[str, bool], set[Need]] = {}
        self._glue: dict[str, bool] = {}
        self._everything = False
        self._state: ScreenState | None = None   # the needs compiled; None after an add
        self._fixed = False                       # made from a state: nothing to add to
        self._keyset: frozenset[str] = frozenset()
        self._substring_res: list[tuple[bool, re.Pattern[str], int, int]] = []

    # -- building --------------------------------------------------------------------
    def _glues(self, token: str) -> bool:
        found = self._glue.get(token)
        if found is None:
            if self._tokenizer is None:
                raise ValueError("a screen without a tokenizer takes no patterns")
            found = self._glue[token] = can_glue(self._tokenizer, token)
        return found

    def add(self, tokens: Sequence[str], reach: int = 0, *, exact_case: bool = False) -> None:
        """Screen for one pattern, given as its token texts.  ``reach`` is the token
        length of the longest veto phrase that could contain a match of it (0 when it has
        none); an ``exact_case`` pattern screened by substring is looked for in the text
        as written."""
        if self._fixed:
            raise ValueError("a screen made from a ScreenState takes no more patterns")
        n = len(tokens)
        if not n:
            return
        self._state = None
        extra = max(reach - 1, 0)
        words = [(i, w.group().lower()) for i, text in enumerate(tokens)
                 for w in _WORD.finditer(text)]
        if not words:   # no letter or digit at all: cannot be screened
            self._everything = True
            return
        # best first; the glue test is dear, so it runs only until two words are found
        words.sort(key=lambda iw: (iw[1] in self._common, -len(iw[1]), iw[0]))
        chosen: list[tuple[int, str]] = []
        for i, word in words:
            if chosen and word == chosen[0][1]:
                continue
            if not self._glues(tokens[i]):
                chosen.append((i, word))
                if len(chosen) == 2:
                    break
        if not chosen:
            i = max(range(n), key=lambda k: len(tokens[k]) if _WORD.search(tokens[k]) else -1)
            text = tokens[i] if exact_case else tokens[i].lower()
            need = Need(max(i, extra), max(n - 1 - i, extra))
            self._substrings.setdefault((text, exact_case), set()).add(need)
            return
        i, word = chosen[0]
        near, span = (chosen[1][1], chosen[1][0] - i) if len(chosen) == 2 else (None, 0)
        self._needs.setdefault(word, set()).add(
            Need(max(i, extra), max(n - 1 - i, extra), near, span))

    def state(self) -> ScreenState:
        """Per keyword: the reach needed whatever else the text holds, and the reaches
        that need a second word; per substring, its widest reach."""
        if self._state is not None:
            return self._state
        plain: dict[str, tuple[int, int]] = {}
        conditional: dict[str, tuple[tuple[str, int, int], ...]] = {}
        for word, needs in self._needs.items():
            left = right = -1
            cond: dict[str, tuple[int, int]] = {}
            for need in needs:
                if need.near is None:
                    left, right = max(left, need.left), max(right, need.right)
                else:
                    l0, r0 = cond.get(need.near, (-1, -1))
                    cond[need.near] = (max(l0, need.left), max(r0, need.right))
            plain[word] = (left, right)
            kept = tuple((near, l1, r1) for near, (l1, r1) in sorted(cond.items())
                         if l1 > left or r1 > right)
            if kept:
                conditional[word] = kept
        substrings = {key: (max(n.left for n in needs), max(n.right for n in needs))
                      for key, needs in self._substrings.items()}
        self._state = ScreenState(plain, conditional, substrings, self._everything)
        self._use(self._state)
        return self._state

    @classmethod
    def from_state(cls, tokenizer: Tokenizer | None, state: ScreenState) -> Screen:
        """A screen ready to use, from what ``state()`` gave; it takes no more patterns,
        so it needs no tokenizer (None: screening before spaCy is imported)."""
        screen = cls(tokenizer)
        screen._state, screen._fixed, screen._everything = state, True, state.everything
        screen._use(state)
        return screen

    def _use(self, state: ScreenState) -> None:
        """What ``windows`` looks things up in: the keywords, and one regex per case
        rule for the substrings (overlapping substrings lie in one chunk, so the widest
        reach covers them all)."""
        self._keyset = frozenset(state.plain)
        self._substring_res = []
        for exact in (False, True):
            found = {s: reach for (s, e), reach in state.substrings.items() if e == exact}
            if not found:
                continue
            pattern = re.compile("|".join(
                re.escape(s) for s in sorted(found, key=len, reverse=True)))
            self._substring_res.append((exact, pattern, max(a for a, _ in found.values()),
                                        max(b for _, b in found.values())))

    @property
    def keywords(self) -> frozenset[str]:
        """The words (and substrings) the screen looks for."""
        state = self.state()
        return frozenset(state.plain) | frozenset(s for s, _ in state.substrings)

    # -- screening -------------------------------------------------------------------
    def may_match(self, text: str) -> bool:
        """True unless no window of ``text`` can hold a match."""
        return bool(self.windows(text))

    def windows(self, text: str) -> list[tuple[int, int, bool, bool]]:
        """(start, end, open_left, open_right) character ranges of ``text`` (normalised:
        single spaces) that hold every match, merged where they overlap.  ``open_left``
        says the window starts inside the text, so a match touching its first chunk is
        not to be trusted (likewise ``open_right`` for the last chunk)."""
        n = len(text)
        if not n:
            return []
        low = text.lower()
        state = self.state()
        if state.everything or len(low) != n:
            return [(0, n, False, False)]
        plain, conditional = state.plain, state.cond
        words = set(_WORD.findall(low))
        spans: list[tuple[int, int]] = []
        for word in words & self._keyset:
            # the second word of a phrase is looked for in the whole text: cheap, and
            # tight enough, since most texts are a paragraph
            left, right = plain[word]
            for near, l1, r1 in conditional.get(word, ()):
                if near in words:
                    left, right = max(left, l1), max(right, r1)
            if left < 0:
                continue
            size = len(word)
            at = low.find(word)
            while at != -1:
                end = at + size
                # a whole word only: str.isalnum is exactly the [^\W_] of _WORD
                if not ((at and low[at - 1].isalnum()) or (end < n and low[end].isalnum())):
                    spans.append((_chunks_left(text, at, left + 1),
                                  _chunks_right(text, end, right + 1)))
                at = low.find(word, end)
        for exact, pattern, left, right in self._substring_res:
            # overlapping substrings lie in one chunk, so the widest need covers them all
            for m in pattern.finditer(text if exact else low):
                spans.append((_chunks_left(text, m.start(), left + 1),
                              _chunks_right(text, m.end(), right + 1)))
        if not spans:
            return []
        spans.sort()
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start < merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1][1] = end
            else:
                merged.append([start, end])
        return [(a, b, a > 0, b < n) for a, b in merged]


def _chunks_left(text: str, pos: int, count: int) -> int:
    """Start of the chunk ``count`` chunks before the one holding ``pos``."""
    start = text.rfind(" ", 0, pos) + 1
    for _ in range(count):
        if start == 0:
            return 0
        start = text.rfind(" ", 0, start - 1) + 1
    return start


def _chunks_right(text: str, pos: int, count: int) -> int:
    """End of the chunk ``count`` chunks after the one holding ``pos - 1``."""
    end = text.find(" ", pos)
    for _ in range(count):
        if end == -1:
            return len(text)
        end = text.find(" ", end + 1)
    return len(text) if end == -1 else end


def edge_chunks(text: str, start: int, end: int) -> tuple[int, int]:
    """End of the first chunk and start of the last chunk of ``text[start:end]``."""
    first = text.find(" ", start, end)
    last = text.rfind(" ", start, end)
    return (end if first == -1 else first), (start if last == -1 else last + 1)


def spans_of(windows: Sequence[tuple[int, int, bool, bool]]) -> list[tuple[int, int]]:
    """Just the (start, end) of each window."""
    return [(a, b) for a, b, _, _ in windows]
