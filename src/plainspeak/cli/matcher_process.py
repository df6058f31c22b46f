"""spaCy in a second process, for ``--jobs 2``: one process finds, reads, parses and
reports while the other loads spaCy, matches the glossary and scores readability.

Checking files in one process is serial: spaCy's import and the glossary matcher take
about 0.6 s before the first match, and finding, reading and parsing files take a
quarter of a run, none of it needing spaCy.  Two processes that each check whole files
cannot overlap the two: both wait for spaCy (or one loads it and they fork after).
Split this way, the second process starts before the files are even found and loads
spaCy while the first finds and reads them; the scoring goes to whichever side is free.
Only prose and block spans go across, and hits and scores come back as tuples, never
documents or reports.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plainspeak.api import Prose, RemoteAnalyser, RemoteAnalyses, Scores
    from plainspeak.nlp.pipeline import Hit
    from plainspeak.settings import Settings


def _start() -> None:
    """In the second process: ignore Ctrl-C (the first stops the run and prints the
    one-line message), then load spaCy and its English tokenizer while the first finds
    the files."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from plainspeak.nlp.pipeline import english_tokenizer

        english_tokenizer()   # kept: the matchers use it
    except Exception:   # noqa: BLE001
        # Not here: an initializer's exception is printed as a traceback and breaks
        # the pool.  The same error comes back from the first batch instead, which is
        # then analysed in the first process, where it gets its one-line message.
        pass


def _serve(settings: list[Settings]) -> None:
    """In the second process: the run's Checkers (one per config, sharing glossaries as
    the first process's do), their matchers built at once."""
    from plainspeak.cli import runner

    runner.prepare(settings)
    for key in range(len(settings)):
        runner.checker_for(key).matcher.screen   # noqa: B018 (builds matcher and screen)


def _analyse(key: int, proses: list[Prose], score: bool) -> RemoteAnalyses:
    from plainspeak.cli import runner

    return wire(runner.checker_for(key).analyse(proses, score=score))


def wire(analyses: list[tuple[list[Hit], Scores | None]]) -> RemoteAnalyses:
    """``Checker.analyse``'s results as they cross to the first process: plain tuples,
    an entry by its id (see ``Checker._receive``)."""
    return [([(hit.start, hit.end, hit.entry.id) for hit in hits],
             None if scores is None else
             (scores[0], [(s.start, s.end, s.words, s.grade) for s in scores[1]]))
            for hits, scores in analyses]


class MatcherProcess:
    """The second process.  It starts at once; ``serve`` gives it the run's settings.

    If it cannot start or dies, every batch it was given is analysed in the first
    process instead (see ``Checker.check_paths``): the output is the same either way."""

    def __init__(self, start_method: str) -> None:
        context = multiprocessing.get_context(start_method)
        self._executor: ProcessPoolExecutor | None = None
        self._queue: deque[Future[Any]] = deque()   # submitted, oldest first
        try:
            self._executor = ProcessPoolExecutor(1, mp_context=context, initializer=_start)
            # start it now rather than at the first batch; busy until spaCy is loaded
            self._queue.append(self._executor.submit(int))
        except (OSError, ImportError, RuntimeError):
            self._executor = None   # no processes here (some sandboxes): all done here

    def serve(self, settings: list[Settings]) -> None:
        """Build the Checkers for ``settings`` there (their keys are indexes into it)."""
        self._submit(_serve, settings)

    def analyser(self, key: int) -> RemoteAnalyser:
        """Where Checker ``key`` sends its prose (see ``Checker.check_paths``)."""
        return _Analyser(self, key)

    def submit(self, key: int, proses: list[Prose], score: bool) -> Future[RemoteAnalyses]:
        return self._submit(_analyse, key, proses, score)

    def _submit(self, function: Any, *args: Any) -> Future[Any]:
        future: Future[Any]
        try:
            if self._executor is None:
                raise RuntimeError("no second process")
            future = self._executor.submit(function, *args)
        except Exception as error:   # cannot start, broken or shut down: fail this batch
            future = Future()
            future.set_exception(error)
        self._queue.append(future)
        return future

    def backlog(self) -> int:
        """How many of the things it was given are not done yet."""
        while self._queue and self._queue[0].done():   # one worker: done in order
            self._queue.popleft()
        return len(self._queue)

    def close(self) -> None:
        """Let it finish what it was given, then end it."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def stop(self) -> None:
        """End it now, without waiting for it: a run that turned out not to need it (a
        small folder) or that was stopped (Ctrl-C) would otherwise wait for it to finish
        loading spaCy, up to half a second, before it could exit."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        # Before Python 3.14 (terminate_workers) the pool has no public way to end its
        # workers; its table of them (there since 3.2) is what that method reads.
        workers = list((getattr(executor, "_processes", None) or {}).values())
        terminate = getattr(executor, "terminate_workers", None)
        if terminate is not None:
            terminate()
        else:
            executor.shutdown(wait=False, cancel_futures=True)
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
        for worker in workers:
            worker.join()   # a moment: it has no handler for SIGTERM

    def __enter__(self) -> MatcherProcess:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.stop()


class _Analyser:
    """One Checker's view of the second process."""

    def __init__(self, process: MatcherProcess, key: int) -> None:
        self.process, self.key = process, key

    def submit(self, proses: list[Prose], score: bool) -> Future[RemoteAnalyses]:
        return self.process.submit(self.key, proses, score)

    def backlog(self) -> int:
        return self.process.backlog()
