"""The library facade: plain data in, plain data out; never prints, never exits.

``Checker`` loads the glossary and builds the matcher once, then checks any number of
texts or files, batching the blocks of many documents through one ``nlp.pipe`` stream.
"""

from __future__ import annotations

import bisect
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from plainspeak.cache import CacheSlot, open_glossary
from plainspeak.checks.context import CheckContext
from plainspeak.checks.jargon import Remembered, jargon_findings
from plainspeak.checks.sentences import sentence_findings
from plainspeak.errors import InputError
from plainspeak.formats.base import Part, SourceDocument
from plainspeak.glossary.loader import load_glossary
from plainspeak.glossary.model import Entry, Glossary
from plainspeak.models import Readability, Report, SentenceScore, Severity
from plainspeak.nlp.compiled import CompiledGlossary, compile_glossary
from plainspeak.nlp.pipeline import (
    GlossaryMatcher,
    Hit,
    english_tokenizer,
    iter_chunks,
    normalise,
    open_long_runs,
)
from plainspeak.nlp.screen import Screen
from plainspeak.readability import Counts, count_blocks, score_blocks, scores_of
from plainspeak.rules import JARGON, RULES, UNUSED_SUPPRESSION, matches_selector
from plainspeak.settings import DEFAULT_SETTINGS, Settings
from plainspeak.suppress import Suppressions

if TYPE_CHECKING:
    from concurrent.futures import Future  # only for --jobs 2: its import costs 6 ms

__all__ = ["Checker", "check", "fix", "load_glossary"]

# spaCy refuses texts over 1,000,000 characters; blocks longer than this are split at
# paragraph, line or word boundaries before they reach it.
CHUNK_CHARS = 100_000
BATCH_DOCUMENTS = 32
BATCH_CHARS = 131_072   # ... or fewer, when they are long (sections of a long file)
# With matching in another process, documents read ahead of their hits, up to this many
# characters: enough to keep this process busy while the other loads spaCy, little
# enough that memory stays flat.
READ_AHEAD_CHARS = 4_000_000
# ... and this process scores a batch itself when more than this many wait over there.
REMOTE_BACKLOG = 2

_T = TypeVar("_T")
Prose = tuple[str, list[tuple[int, int]]]   # a prose view and its blocks' spans
Scores = tuple[Readability, list[SentenceScore]]
# What comes back from another process, per prose: hits as (start, end, entry id), and
# if asked for, the readability and the sentence scores as (start, end, words, grade).
RemoteAnalyses = list[tuple[list[tuple[int, int, str]],
                            tuple[Readability, list[tuple[int, int, int, float]]] | None]]


class RemoteAnalyser(Protocol):
    """``Checker.analyse`` in another process (see plainspeak.cli.matcher_process)."""

    def submit(self, proses: list[Prose], score: bool) -> Future[RemoteAnalyses]:
        """The future of ``analyse(proses, score=score)``, in the wire form."""

    def backlog(self) -> int:
        """How many submissions are not done yet."""


class Checker:
    """Checks many texts with one glossary and one set of settings.

    >>> checker = Checker()
    >>> [f.text for f in checker.check("Your care package starts on Monday.").findings]
    ['care package']
    """

    def __init__(self, settings: Settings = DEFAULT_SETTINGS, *,
                 glossary: Glossary | None = None) -> None:
        self.settings = settings
        # What the compiled-glossary cache holds for this glossary (see plainspeak.cache):
        # only for glossary files named in the settings; a Glossary given is compiled.
        self._compiled: CompiledGlossary | None = None
        self._slot: CacheSlot | None = None
        if glossary is None:
            loaded = open_glossary(settings.glossaries, builtin=settings.builtin_glossary,
                                   disable=settings.disable)
            glossary, self._compiled, self._slot = loaded.glossary, loaded.compiled, loaded.slot
        self.glossary = glossary
        self._matcher: GlossaryMatcher | None = None
        self._prescreen: Screen | None = None
        self._twin: Checker | None = None   # whose matcher this one uses (see like())
        self._by_id: dict[str, Entry] | None = None

    @classmethod
    def like(cls, other: Checker, settings: Settings) -> Checker:
        """A Checker with other settings and ``other``'s glossary, sharing its compiled
        glossary and, once either needs it, its matcher (most of a run's start-up): one
        run over folders with different configs but the same glossary builds it once."""
        checker = cls(settings, glossary=other.glossary)
        checker._compiled, checker._slot, checker._twin = other._compiled, other._slot, other
        return checker

    @property
    def matcher(self) -> GlossaryMatcher:
        """Built on first use, so that making a Checker for --help costs nothing."""
        if self._matcher is None and self._twin is not None:
            self._matcher = self._twin.matcher
        if self._matcher is None:
            compiled = self._compiled or compile_glossary(self.glossary,
                                                          english_tokenizer())
            self._matcher = GlossaryMatcher(compiled)
            if self._slot is not None and compiled.screen is None:
                # kept with the compiled glossary, so that later runs can tell a text
                # without any glossary word before importing spaCy (see _needs_spacy)
                _ = self._matcher.screen
            self._keep_compiled()
        return self._matcher

    def _keep_compiled(self) -> None:
        """Hand the cache what this Checker worked out: the compiled glossary once built,
        and again with its keyword screen once a long run of text has built that too (a
        short run never needs the screen, so it does not pay for one)."""
        if self._slot is None or self._matcher is None:
            return
        compiled = self._matcher.compiled
        if self._compiled is None or (compiled.screen is not None
                                      and self._compiled.screen is None):
            self._slot.store(compiled)
            self._compiled = compiled

    def warm_up(self) -> None:
        """Build everything a check needs (matcher, keyword screen, word tables) now.

        Call it before forking workers, so that each inherits them instead of building
        its own; a single process need not call it."""
        from plainspeak.readability import easy_words
        from plainspeak.syllables import count

        _ = self.matcher.screen
        self._keep_compiled()
        easy_words()
        count("warm")
        self.check("Warm up. A short text.")

    # -- strings -------------------------------------------------------------------
    def check(self, text: str, *, format: str = "text", path: str | None = None) -> Report:
        """Check one string written in ``format`` (text, markdown or html)."""
        from plainspeak.formats import read_text

        document = read_text(text, format=format, path=path,
                             front_matter_fields=self.settings.front_matter_fields)
        return self.check_document(document)

    def check_many(self, texts: Iterable[str], *, format: str = "text") -> Iterator[Report]:
        """Check many strings, batching them through spaCy together."""
        from plainspeak.formats import read_text

        fields = self.settings.front_matter_fields
        return self.check_documents(
            read_text(t, format=format, front_matter_fields=fields) for t in texts)

    # -- files ---------------------------------------------------------------------
    def read(self, path: str | os.PathLike[str], *, format: str | None = None,
             on_part: Callable[[Part], None] | None = None) -> SourceDocument:
        """Read a file into a document; raises InputError with a one-line message.

        ``on_part`` receives a long Markdown file's prose in parts while it is read."""
        from plainspeak.formats import read_path

        return read_path(path, format=format,
                         front_matter_fields=self.settings.front_matter_fields,
                         max_bytes=int(self.settings.max_file_mb * 1024 * 1024),
                         on_part=on_part)

    def check_path(self, path: str | os.PathLike[str], *, format: str | None = None
                   ) -> Report:
        """Check one file.  A file that cannot be read gives a Report with ``error``."""
        return next(self.check_paths([path], format=format))

    def read_sections(self, path: str | os.PathLike[str], *, format: str | None = None,
                      on_part: Callable[[Part], None] | None = None
                      ) -> Iterator[SourceDocument]:
        """Read a file whole, or a long Markdown or plain-text file a section at a time
        (see ``plainspeak.formats.read_path_sections``)."""
        from plainspeak.formats import read_path_sections

        return read_path_sections(path, format=format,
                                  front_matter_fields=self.settings.front_matter_fields,
                                  max_bytes=int(self.settings.max_file_mb * 1024 * 1024),
                                  on_part=on_part)

    def check_paths(self, paths: Iterable[str | os.PathLike[str]], *,
                    format: str | None = None, remote: RemoteAnalyser | None = None,
                    sections: bool = False) -> Iterator[Report]:
        """Check files in order, reading and batching them a few at a time (streaming:
        memory stays flat however many files there are).

        ``sections``: a long Markdown or plain-text file is read, checked and reported a
        section at a time (see ``Report.more``), so that memory stays flat however long
        it is.

        ``remote`` runs ``analyse`` in another process (``plainspeak check --jobs 2``):
        this process goes on reading and parsing while the other loads spaCy, matches
        and scores.  A long file goes over in sections or in parts as it is parsed, so
        that its matching starts before its parsing ends."""
        carry = _Carry()
        if remote is None:
            def read_here(path: str | os.PathLike[str]) -> Iterable[SourceDocument]:
                if sections:
                    return self.read_sections(path, format=format)
                return [self.read(path, format=format)]

            for items in self._read_batches(paths, read_here):
                readable = [d for d in items if isinstance(d, SourceDocument)]
                yield from _in_order(items, self._check_batch(readable, carry))
            return
        parted: dict[int, _Parts] = {}   # id of a document read in parts: the parts sent

        def read(path: str | os.PathLike[str]) -> Iterable[SourceDocument]:
            parts = _Parts(remote)
            if sections:
                documents = self.read_sections(path, format=format, on_part=parts.send)
            else:
                documents = iter([self.read(path, format=format, on_part=parts.send)])
            for document in documents:
                if parts.sent:
                    parted[id(document)] = parts
                yield document

        pending: deque[_Sent] = deque()
        ahead = 0
        for items, last in _with_last(self._read_batches(paths, read)):
            # Score here while the other process is behind (loading spaCy, or slower),
            # and the last batch, which this process would otherwise only wait for; while
            # the other keeps up, it scores, so that neither waits for the other.
            here = last or remote.backlog() > REMOTE_BACKLOG
            sent = self._send(items, remote, parted, score=here)
            pending.append(sent)
            ahead += sent.chars
            # finish whatever is ready; wait only when too much is read ahead
            while pending and (pending[0].ready() or ahead > READ_AHEAD_CHARS):
                done = pending.popleft()
                ahead -= done.chars
                yield from self._receive(done, carry)
        while pending:
            yield from self._receive(pending.popleft(), carry)

    def _read_batches(self, paths: Iterable[str | os.PathLike[str]],
                      read: Callable[[str | os.PathLike[str]], Iterable[SourceDocument]]
                      ) -> Iterator[list[SourceDocument | Report]]:
        """Documents a batch at a time (a long file's sections are documents too); a file
        that cannot be read is a Report with its error, in its place, after any of its
        sections read before the error."""
        batch: list[SourceDocument | Report] = []
        chars = 0
        for path in paths:
            try:
                for document in read(path):
                    batch.append(document)
                    chars += len(document.source)
                    if len(batch) >= BATCH_DOCUMENTS or chars >= BATCH_CHARS:
                        yield batch
                        batch, chars = [], 0
            except InputError as exc:
                batch.append(Report(path=str(path), error=str(exc)))
                if len(batch) >= BATCH_DOCUMENTS:
                    yield batch
                    batch, chars = [], 0
        if batch:
            yield batch

    def _send(self, items: list[SourceDocument | Report], remote: RemoteAnalyser,
              parted: dict[int, _Parts], *, score: bool) -> _Sent:
        """Send a batch's prose to be matched (see ``analyse``), and scored there too
        unless ``score``: then it is scored here, as are batches with a document whose
        parts went already (they were sent to be matched only)."""
        documents = [d for d in items if isinstance(d, SourceDocument)]
        parts = {i: parted.pop(id(d)) for i, d in enumerate(documents) if id(d) in parted}
        # a section's counts are added up here, so sections are scored here too
        score = score or bool(parts) or any(_section(d) for d in documents)
        proses = [_prose(d) for d in documents]
        whole = [prose for i, prose in enumerate(proses) if i not in parts]
        future = remote.submit(whole, not score) if whole else _done([])
        return _Sent(items, documents, future, parts,
                     [None if _section(d) else score_blocks(*prose)
                      for d, prose in zip(documents, proses, strict=True)]
                     if score else None)

    def _receive(self, sent: _Sent, carry: _Carry) -> Iterator[Report]:
        entries = self._entries_by_id()
        try:
            analysed = _from_wire(sent.future.result(), entries)
        except Exception:   # the other process died or could not start: work here
            analysed = self.analyse([_prose(d) for i, d in enumerate(sent.documents)
                                     if i not in sent.parts])
        results = iter(analysed)
        reports = []
        for index, document in enumerate(sent.documents):
            runs: Iterable[list[Hit]]
            if index in sent.parts:   # (its batch was scored here)
                runs, scores = sent.parts[index].runs(document, entries, self.analyse), None
            else:
                hits, scores = next(results)
                runs = [hits]
            if sent.scores is not None:
                scores = sent.scores[index]
            reports.append(self._report(document, runs, scores, carry))
        yield from _in_order(sent.items, reports)

    def _entries_by_id(self) -> dict[str, Entry]:
        if self._by_id is None:
            self._by_id = {entry.id: entry for entry in self.glossary}
        return self._by_id

    def analyse(self, proses: Sequence[Prose], *, score: bool = True
                ) -> list[tuple[list[Hit], Scores | None]]:
        """Each prose's glossary hits and (if ``score``) readability scores: the part of
        a check that needs spaCy, with the scoring that can go beside it (``--jobs 2``
        runs this in the second process).  A prose is its text and its blocks' spans."""
        pieces: list[tuple[int, int, str]] = []
        for index, (prose, spans) in enumerate(proses):
            for start, end in spans:
                for offset, chunk in iter_chunks(prose[start:end], CHUNK_CHARS):
                    pieces.append((index, start + offset, chunk))
        texts = [text for _, _, text in pieces]
        hits: list[list[Hit]] = [[] for _ in proses]
        if self._wants(JARGON.code) and len(self.glossary) and self._needs_spacy(texts):
            for (index, offset, _), piece_hits in zip(pieces, self.matcher.hits(texts),
                                                      strict=True):
                hits[index].extend(Hit(h.start + offset, h.end + offset, h.entry)
                                   for h in piece_hits)
            self._keep_compiled()
        return [(found, score_blocks(prose, spans) if score else None)
                for found, (prose, spans) in zip(hits, proses, strict=True)]

    # -- documents -----------------------------------------------------------------
    def check_document(self, document: SourceDocument) -> Report:
        return self._check_batch([document], _Carry())[0]

    def check_documents(self, documents: Iterable[SourceDocument]) -> Iterator[Report]:
        """Check documents in order; the sections of a long file must come in order."""
        iterator = iter(documents)
        carry = _Carry()
        while batch := list(islice(iterator, BATCH_DOCUMENTS)):
            yield from self._check_batch(batch, carry)

    def _check_batch(self, documents: Sequence[SourceDocument], carry: _Carry
                     ) -> list[Report]:
        # sections are counted, not scored (see _report): then so is the whole batch
        score = not any(_section(d) for d in documents)
        analyses = self.analyse([_prose(d) for d in documents], score=score)
        return [self._report(d, [hits], scores, carry)
                for d, (hits, scores) in zip(documents, analyses, strict=True)]

    def _needs_spacy(self, texts: Sequence[str]) -> bool:
        """False when no text holds a word any glossary pattern needs, so spaCy need not
        even be imported (a third of a short run's time).  Known only before the matcher
        is built and when the cache brought the keyword screen: the screen's windows hold
        every match, so a text without one has no hit (the tests compare)."""
        if self._matcher is not None or self._compiled is None:
            return True
        if self._prescreen is None:
            if self._compiled.screen is None:
                return True
            self._prescreen = Screen.from_state(None, self._compiled.screen)
        screen = self._prescreen
        return any(screen.may_match(normalise(open_long_runs(t)).text) for t in texts)

    def _wants(self, code: str) -> bool:
        s = self.settings
        return matches_selector(code, s.select) and not matches_selector(code, s.ignore)

    def _report(self, document: SourceDocument, runs: Iterable[list[Hit]],
                scores: Scores | None, carry: _Carry) -> Report:
        """The document's report from its hits (in runs: see ``jargon_findings``) and
        scores (worked out here if None).  The runs are taken last, so a long document's
        parts can still be on their way back from the other process.  A section of a
        long file adds its counts and what it settled to ``carry``, for the next."""
        remembered = None
        readability: Readability | None
        if _section(document):
            remembered = carry.start() if document.offset == 0 else carry.remembered
            counts, sentences = count_blocks(*_prose(document))
            carry.counts.add(counts)
            readability = None if document.more else scores_of(carry.counts)
        else:
            readability, sentences = scores if scores is not None else score_blocks(
                *_prose(document))
        ctx = CheckContext(document, self.settings, sentences)
        findings = list(sentence_findings(ctx))
        findings.extend(jargon_findings(ctx, runs, remembered))
        ignored = {i for i in self.settings.ignore if i not in RULES}
        findings = [f for f in findings if self._wants(f.rule)
                    and (f.entry_id is None or f.entry_id not in ignored)]
        suppressions = Suppressions.of(document)
        findings, suppressed = suppressions.filter(findings)
        if self.settings.report_unused_suppressions and self._wants(UNUSED_SUPPRESSION.code):
            for directive in suppressions.unused():
                findings.append(ctx.finding(
                    UNUSED_SUPPRESSION.code, directive.start, directive.end,
                    f"This plainspeak-{directive.kind} comment did not suppress anything.",
                    ctx.severity(UNUSED_SUPPRESSION.code, Severity.INFO)))
        findings.sort(key=lambda f: (f.start, f.rule))
        return Report(
            findings=tuple(findings), readability=readability,
            sentences=() if remembered is not None else tuple(sentences),
            path=document.path, format=document.format, source=document.source,
            suppressed=suppressed, first_line=document.first_line, more=document.more,
        )


def _prose(document: SourceDocument) -> Prose:
    return document.prose, [(b.start, b.end) for b in document.blocks]


def _section(document: SourceDocument) -> bool:
    """Is this one of several sections of a long file (see ``read_sections``)?"""
    return document.more or document.offset > 0


class _Carry:
    """What the sections of one long file hand on, one to the next, while it is checked:
    the readability counts so far and the terms it settled (see ``Remembered``)."""

    __slots__ = ("counts", "remembered")

    def __init__(self) -> None:
        self.start()

    def start(self) -> Remembered:
        """Begin a new file."""
        self.counts = Counts()
        self.remembered = Remembered()
        return self.remembered


def _in_order(items: Sequence[SourceDocument | Report], reports: Iterable[Report]
              ) -> Iterator[Report]:
    """The reports of the documents among ``items``, with the other items (unreadable
    files' reports) in their places."""
    checked = iter(reports)
    for item in items:
        yield next(checked) if isinstance(item, SourceDocument) else item


def _with_last(items: Iterable[_T]) -> Iterator[tuple[_T, bool]]:
    """Each item, and whether it is the last."""
    iterator = iter(items)
    for item in iterator:
        for following in iterator:
            yield item, False
            item = following
        yield item, True


class _Sent:
    """A batch whose prose went to be analysed elsewhere, waiting for the results."""

    __slots__ = ("items", "documents", "future", "parts", "scores", "chars")

    def __init__(self, items: list[SourceDocument | Report],
                 documents: list[SourceDocument], future: Future[RemoteAnalyses],
                 parts: dict[int, _Parts], scores: list[Scores | None] | None) -> None:
        self.items, self.documents, self.future = items, documents, future
        self.parts = parts     # by index in documents: those sent in parts as read
        self.scores = scores   # scored here, or None: scored there
        self.chars = sum(len(d.source) for d in documents)

    def ready(self) -> bool:
        return self.future.done() and all(p.done() for p in self.parts.values())


class _Parts:
    """The parts of one long document, each sent to be matched as soon as it was read."""

    __slots__ = ("remote", "sent")

    def __init__(self, remote: RemoteAnalyser) -> None:
        self.remote = remote
        self.sent: list[tuple[int, Future[RemoteAnalyses]]] = []

    def send(self, part: Part) -> None:
        self.sent.append((part.start, self.remote.submit([(part.prose, part.blocks)],
                                                         False)))

    def done(self) -> bool:
        return all(future.done() for _, future in self.sent)

    def runs(self, document: SourceDocument, entries: dict[str, Entry],
             analyse: Callable[..., list[tuple[list[Hit], Scores | None]]]
             ) -> Iterator[list[Hit]]:
        """The document's hits part by part, each waited for only when asked for; a part
        the other process could not match (it died) is matched here."""
        ends = [start for start, _ in self.sent[1:]] + [len(document.prose)]
        block_starts = [b.start for b in document.blocks]
        for (start, future), end in zip(self.sent, ends, strict=True):
            try:
                wire = future.result()
            except Exception:   # noqa: BLE001 (as in Checker._receive)
                first = bisect.bisect_left(block_starts, start)
                last = bisect.bisect_left(block_starts, end)
                spans = [(b.start - start, b.end - start)
                         for b in document.blocks[first:last]]
                ((hits, _),) = analyse([(document.prose[start:end], spans)], score=False)
                yield [Hit(start + h.start, start + h.end, h.entry) for h in hits]
            else:
                ((hits, _),) = _from_wire(wire, entries, start)
                yield hits


def _from_wire(wire: RemoteAnalyses, entries: dict[str, Entry], offset: int = 0
               ) -> list[tuple[list[Hit], Scores | None]]:
    """What ``analyse`` returned in the other process, back from its wire form (see
    ``plainspeak.cli.matcher_process.wire``), hits moved by ``offset``."""
    return [([Hit(offset + start, offset + end, entries[id_]) for start, end, id_ in hits],
             None if scores is None else
             (scores[0], [SentenceScore(*s) for s in scores[1]]))
            for hits, scores in wire]


def _done(result: RemoteAnalyses) -> Future[RemoteAnalyses]:
    """A future that is already done (a batch with nothing left to send)."""
    from concurrent.futures import Future

    future: Future[RemoteAnalyses] = Future()
    future.set_result(result)
    return future


_DEFAULT: Checker | None = None


def _checker(options: dict[str, Any]) -> Checker:
    global _DEFAULT
    glossary = options.pop("glossary", None)
    if not options and glossary is None:
        if _DEFAULT is None:
            _DEFAULT = Checker()
        return _DEFAULT
    if isinstance(options.get("severity"), dict):
        options["severity"] = {k: Severity.parse(v) for k, v in options["severity"].items()}
    for key in ("select", "ignore", "allow", "disable", "glossaries", "front_matter_fields"):
        if isinstance(options.get(key), str):
            options[key] = (options[key],)
        elif key in options:
            options[key] = tuple(options[key])
    if isinstance(glossary, (str, os.PathLike)):
        # a path joins the glossary files of the settings, so ``disable`` and the
        # compiled-glossary cache apply to it as to any other
        options["glossaries"] = (*options.get("glossaries", ()), os.fspath(glossary))
        glossary = None
    return Checker(replace(DEFAULT_SETTINGS, **options), glossary=glossary)


def check(text: str, *, format: str = "text", **options: Any) -> Report:
    """Check one string.  ``options`` are Settings fields (``max_sentence_words=20``,
    ``allow=["reablement"]``...) or ``glossary=`` a Glossary or a path.

    >>> report = check("We will signpost service users to the right team.")
    >>> [(f.text, f.start, f.end) for f in report.findings if f.rule == "PS101"]
    [('signpost', 8, 16), ('service users', 17, 30)]
    """
    return _checker(dict(options)).check(text, format=format)


def fix(text: str, *, unsafe: bool = False, format: str = "text", **options: Any) -> str:
    """The text with each fixable finding replaced by its first suggestion, case kept,
    everything else unchanged.  Only ``safe`` suggestions unless ``unsafe=True``."""
    from plainspeak.fix import apply_edits, plan_edits

    report = check(text, format=format, **options)
    return apply_edits(text, plan_edits(report, unsafe=unsafe))
