"""spaCy in a second process, for ``--jobs 2``: one process reads, parses and reports
while the other loads spaCy, matches the glossary and scores readability.

Checking files in one process is serial: spaCy's import and the glossary matcher take
about 0.6 s before the first match, and reading files and parsing Markdown take a
quarter of a run, none of it needing spaCy.  Two processes that each check whole files
cannot overlap the two: both wait for spaCy (or one loads it and they fork after).
Split this way, the start-up runs beside the reading; the scoring goes with the
matching so that both processes have about the same to do.  Only prose and block spans
go across, and hits and scores come back as tuples, never documents or reports.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plainspeak.api import Checker, Prose, RemoteAnalyser, RemoteAnalyses
    from plainspeak.settings import Settings

# The matching process's Checkers, by key: inherited when forked, built from the
# settings when spawned.
_CHECKERS: list[Checker] = []


def _start(settings: list[Settings] | None) -> None:
    """In the matching process: ignore Ctrl-C (the parent stops the run and prints the
    one-line message), then load spaCy and the matchers at once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if settings is not None:
        from plainspeak.api import Checker

        _CHECKERS[:] = [Checker(s) for s in settings]
    for checker in _CHECKERS:
        checker.matcher.screen   # noqa: B018 (builds the matcher and its screen)


def _analyse(key: int, proses: list[Prose], score: bool) -> RemoteAnalyses:
    return [([(hit.start, hit.end, hit.entry.id) for hit in hits],
             None if scores is None else
             (scores[0], [(s.start, s.end, s.words, s.grade) for s in scores[1]]))
            for hits, scores in _CHECKERS[key].analyse(proses, score=score)]


class MatcherProcess:
    """A second process holding a matcher for each Checker (by their index in the list).

    It starts at once, so spaCy loads while the first files are read.  If it cannot
    start or dies, every batch it was given is matched in this process instead (see
    ``Checker.check_paths``): the output is the same either way."""

    def __init__(self, checkers: Sequence[Checker], start_method: str) -> None:
        context = multiprocessing.get_context(start_method)
        forked = context.get_start_method() == "fork"
        _CHECKERS[:] = checkers
        self._executor: ProcessPoolExecutor | None = None
        self._last: Future[Any] | None = None
        try:
            self._executor = ProcessPoolExecutor(
                1, mp_context=context, initializer=_start,
                initargs=(None if forked else [c.settings for c in checkers],))
            # start it now rather than at the first batch; busy until spaCy is loaded
            self._last = self._executor.submit(int)
        except (OSError, ImportError, RuntimeError):
            self._executor = None   # no processes here (some sandboxes): match locally

    def analyser(self, key: int) -> RemoteAnalyser:
        """Where Checker ``key`` sends its prose (see ``Checker.check_paths``)."""
        return _Analyser(self, key)

    def submit(self, key: int, proses: list[Prose], score: bool) -> Future[RemoteAnalyses]:
        future: Future[RemoteAnalyses]
        try:
            if self._executor is None:
                raise RuntimeError("no matching process")
            future = self._executor.submit(_analyse, key, proses, score)
        except Exception as error:   # cannot start, broken or shut down: fail this batch
            future = Future()
            future.set_exception(error)
        self._last = future
        return future

    def idle(self) -> bool:
        return self._last is None or self._last.done()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> MatcherProcess:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


class _Analyser:
    """One Checker's view of the matching process."""

    def __init__(self, process: MatcherProcess, key: int) -> None:
        self.process, self.key = process, key

    def submit(self, proses: list[Prose], score: bool) -> Future[RemoteAnalyses]:
        return self.process.submit(self.key, proses, score)

    def idle(self) -> bool:
        return self.process.idle()
