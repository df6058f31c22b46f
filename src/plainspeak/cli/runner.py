"""Run checks over many files: settings per file, a Checker per settings, optional processes.

Each file is checked with the settings of its closest config file, so files are grouped
by config (keeping their order) and each group gets one Checker.  With ``--jobs 2`` this
process reads, parses and scores while a second loads spaCy and matches (see
matcher_process); with ``--jobs 3`` or more, files go to a pool of processes in ordered
chunks, each worker checking whole files.  Either way reports come in the order the files
were found, so output never depends on timing.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from plainspeak.config import ConfigResolver, LoadedConfig
from plainspeak.discover import Excluder
from plainspeak.models import Report
from plainspeak.settings import Settings

if TYPE_CHECKING:
    from plainspeak.api import Checker
    from plainspeak.cli.matcher_process import MatcherProcess

STDIN = "-"
FAIL_RANKS = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True, slots=True)
class Target:
    """One thing to check: a file path, or standard input shown under ``path``."""

    path: str
    key: int            # index into Plan.settings
    stdin: bool = False


@dataclass(slots=True)
class Plan:
    """What to check and with which settings; ``settings[i]`` serves targets with key i."""

    targets: list[Target]
    settings: list[Settings]
    configs: list[LoadedConfig]


def _per_file_ignores(settings: Settings, path: str) -> tuple[str, ...]:
    """Codes and ids a ``per_file_ignores`` glob switches off for this file."""
    if not settings.per_file_ignores:
        return ()
    extra: list[str] = []
    for glob, codes in settings.per_file_ignores.items():
        if _excluder((glob,)).excluded(path):
            extra.extend(codes)
    return tuple(extra)


_EXCLUDERS: dict[tuple[str, ...], Excluder] = {}


def _excluder(patterns: tuple[str, ...]) -> Excluder:
    """Compiled once per set of patterns: a big site has thousands of files to test."""
    if patterns not in _EXCLUDERS:
        _EXCLUDERS[patterns] = Excluder(patterns)
    return _EXCLUDERS[patterns]


def _excluded_by_own_config(loaded: LoadedConfig, path: str) -> bool:
    """A file found under a folder whose own config (deeper down) excludes it."""
    patterns = loaded.settings.exclude
    return bool(patterns) and _excluder(patterns).excluded(path)


def plan(paths: Sequence[str], resolver: ConfigResolver, *,
         stdin_filename: str | None = None) -> Plan:
    """Discover the files under ``paths`` and give each the settings in force for it.

    Per-file ignores become extra ``ignore`` entries, so the engine applies them in
    ``check`` and ``fix`` alike."""
    from plainspeak.discover import discover

    keys: dict[tuple[int, tuple[str, ...]], int] = {}
    settings: list[Settings] = []
    configs: list[LoadedConfig] = []
    targets: list[Target] = []

    def key_for(path: str, is_file: bool = True) -> int:
        loaded = resolver.for_path(path, is_file=is_file)
        config_id = id(loaded)
        extra = _per_file_ignores(loaded.settings, path)
        if (config_id, extra) not in keys:
            keys[(config_id, extra)] = len(settings)
            base = loaded.settings
            settings.append(replace(base, ignore=(*base.ignore, *extra)) if extra else base)
            configs.append(loaded)
        return keys[(config_id, extra)]

    # Excludes are per config; discovery takes those of each starting path's config.
    for given in paths:
        if given == STDIN:
            shown = stdin_filename or STDIN
            targets.append(Target(shown, key_for(stdin_filename or os.getcwd(),
                                                 is_file=bool(stdin_filename)), stdin=True))
            continue
        exclude = resolver.for_path(given).settings.exclude
        for path in discover([given], exclude=exclude):
            if not _excluded_by_own_config(resolver.for_path(path, is_file=True), path):
                targets.append(Target(path, key_for(path)))
    return Plan(_dedupe(targets), settings, configs)


def _dedupe(targets: list[Target]) -> list[Target]:
    seen: set[str] = set()
    out: list[Target] = []
    for target in targets:
        key = f"stdin:{target.path}" if target.stdin else os.path.abspath(target.path)
        if key not in seen:
            seen.add(key)
            out.append(target)
    return out


# -- checkers ------------------------------------------------------------------------
# Module globals so that forked workers inherit Checkers the parent already built.
_SETTINGS: list[Settings] = []
_CHECKERS: dict[int, Checker] = {}


def _glossary_key(settings: Settings) -> tuple[object, ...]:
    """What a glossary and its matcher depend on, file times included (tests and editors
    change glossary files between runs in one process)."""
    times = []
    for name in settings.glossaries:
        try:
            times.append(os.stat(name).st_mtime_ns)
        except OSError:
            times.append(-1)
    return (settings.glossaries, tuple(times), settings.builtin_glossary, settings.disable)


# glossary key -> a Checker whose glossary and matcher others with that key can share
_SHARED: dict[tuple[object, ...], Checker] = {}


def checker_for(key: int) -> Checker:
    """The Checker for settings ``key``.  Checkers with the same glossary share it and its
    matcher (building the matcher is most of the start-up time)."""
    if key not in _CHECKERS:
        from plainspeak.api import Checker

        settings = _SETTINGS[key]
        twin = _SHARED.get(_glossary_key(settings))
        if twin is None:
            checker = Checker(settings)
            _SHARED[_glossary_key(settings)] = checker
        else:
            checker = Checker.like(twin, settings)   # same glossary, same patterns
        _CHECKERS[key] = checker
    return _CHECKERS[key]


def prepare(settings: Sequence[Settings]) -> None:
    """Make the settings known and build every Checker now, so a broken glossary or
    config stops the run before any output (exit 2) rather than inside a worker."""
    _SETTINGS[:] = list(settings)
    _CHECKERS.clear()
    for key in range(len(settings)):
        checker_for(key)


def _init_worker(settings: list[Settings]) -> None:
    # Ctrl-C is the parent's to handle (it stops the pool); workers printing their own
    # tracebacks would bury the one-line message.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if settings != _SETTINGS:   # spawned, not forked: nothing was inherited
        _SETTINGS[:] = settings
        _CHECKERS.clear()


def _check_chunk(task: tuple[int, list[str], bool]) -> list[Report]:
    key, paths, sections = task
    return list(checker_for(key).check_paths(paths, sections=sections))


def _check_stdin(target: Target) -> Report:
    from plainspeak.errors import InputError
    from plainspeak.formats import format_for_path, read_bytes

    checker = checker_for(target.key)
    data = sys.stdin.buffer.read()
    path = None if target.path == STDIN else target.path
    try:
        document = read_bytes(data, format=format_for_path(target.path) or "text", path=path,
                              front_matter_fields=checker.settings.front_matter_fields)
    except InputError as error:
        return Report(path=path, error=str(error))
    return checker.check_document(document)


def _tidy(report: Report) -> Report:
    """Readers start messages with the path; the report already carries it."""
    if report.error and report.path and report.error.startswith(f"{report.path}: "):
        return replace(report, error=report.error[len(report.path) + 2:])
    return report


def _chunks(targets: list[Target], size: int) -> Iterator[tuple[int, list[str]]]:
    chunk: list[str] = []
    key = -1
    for target in targets:
        if chunk and (target.key != key or len(chunk) >= size):
            yield key, chunk
            chunk = []
        key = target.key
        chunk.append(target.path)
    if chunk:
        yield key, chunk


# With less than this much to read, ``--jobs`` defaults to one process: a commit's few
# files take less time to read than a second process takes to start.
AUTO_BYTES = 256 * 1024


def jobs_for(requested: int | None, files: Sequence[Target]) -> int:
    """Processes to use: 0 means one per CPU; None (no --jobs) means one per CPU when
    there are AUTO_BYTES of files or more, else one; never more than twice the CPUs."""
    cpus = os.cpu_count() or 1
    if requested is None:
        requested = 0 if _bytes_at_least(files, AUTO_BYTES) else 1
    jobs = cpus if requested <= 0 else requested
    return max(1, min(jobs, cpus * 2))


def _bytes_at_least(files: Sequence[Target], limit: int) -> bool:
    total = 0
    for target in files:
        try:
            total += os.stat(target.path).st_size
        except OSError:
            continue   # reported when it is read
        if total >= limit:
            return True
    return False


# None: fork on Linux (workers inherit the built Checkers), spawn elsewhere (fork is
# unsafe on macOS and missing on Windows).  Tests set it to try the other path.
START_METHOD: str | None = None


def start_method() -> str:
    if START_METHOD is not None:
        return START_METHOD
    return "fork" if sys.platform.startswith("linux") else "spawn"


def stream(checks: Plan, *, jobs: int | None = 1,
           on_report: Callable[[Report], None] | None = None,
           second: MatcherProcess | None = None,
           sections: bool = False) -> Iterator[tuple[Report, Settings]]:
    """Check every target (standard input first, then files in order), yielding each
    report with its settings as soon as it is ready, so nothing piles up however many
    files there are; ``on_report`` sees each file's last report as it arrives (a
    progress bar).  ``second`` is a second process already started (see
    ``second_process``), used if the run is split in two.  With ``sections`` a long
    file comes as several reports, a section at a time (see ``Report.more``)."""
    prepare(checks.settings)
    stdin = [t for t in checks.targets if t.stdin]
    files = [t for t in checks.targets if not t.stdin]
    keys = iter([t.key for t in stdin] + [t.key for t in files])
    key: list[int] = []   # the settings of the file whose sections are coming

    def done(report: Report) -> tuple[Report, Settings]:
        report = _tidy(report)
        if not key:
            key.append(next(keys))
        settings = checks.settings[key[0] if report.more else key.pop()]
        if on_report is not None and not report.more:
            on_report(report)
        return report, settings

    for target in stdin:
        yield done(_check_stdin(target))
    workers = jobs_for(jobs, files)
    if second is not None and not (workers == 2 and files):
        second.stop()   # started on a guess that proved wrong: not needed after all
    if workers >= 3 and len(files) >= 3:
        try:
            for report in _parallel(files, min(workers, len(files)), sections):
                yield done(report)
            return
        except _NoPool:
            pass   # no process support here (some sandboxes): check in this process
    elif workers >= 2 and files:
        for report in _split(files, second, sections):
            yield done(report)
        return
    for chunk_key, paths in _chunks(files, 256):
        for report in checker_for(chunk_key).check_paths(paths, sections=sections):
            yield done(report)


def run(checks: Plan, *, jobs: int | None = 1,
        on_report: Callable[[Report], None] | None = None) -> list[tuple[Report, Settings]]:
    """Every report of ``stream`` at once, for callers that need them all together."""
    return list(stream(checks, jobs=jobs, on_report=on_report))


def _split(files: list[Target], second: MatcherProcess | None, sections: bool
           ) -> Iterator[Report]:
    """Reports checked here, with spaCy's matching and the scoring in a second process."""
    from plainspeak.cli.matcher_process import MatcherProcess

    # the caller ends a second process it started; this one ends its own
    with (nullcontext(second) if second is not None
          else MatcherProcess(start_method())) as process:
        process.serve(list(_SETTINGS))
        for key, paths in _chunks(files, len(files)):
            yield from checker_for(key).check_paths(paths, remote=process.analyser(key),
                                                    sections=sections)


@contextmanager
def second_process(jobs: int | None, paths: Sequence[str]) -> Iterator[MatcherProcess | None]:
    """The second process of a run split in two (see matcher_process), started now, if
    ``jobs`` and ``paths`` make a split likely, so that spaCy loads while the files are
    found and their configs read; else None.  Ended when the block ends: at once if it
    ends with an error or Ctrl-C."""
    if not _likely_split(jobs, paths):
        yield None
        return
    from plainspeak.cli.matcher_process import MatcherProcess

    with MatcherProcess(start_method()) as process:
        yield process


def _likely_split(jobs: int | None, paths: Sequence[str]) -> bool:
    """What ``jobs_for`` will say, guessed before the files are found: a folder is taken
    to hold AUTO_BYTES or more."""
    named = [p for p in paths if p != STDIN]
    if jobs is None and (not paths or any(os.path.isdir(p) for p in named)):
        jobs = 0
    return jobs_for(jobs, [Target(p, 0) for p in named]) == 2


class _NoPool(Exception):
    """Worker processes cannot be started on this system."""


def _parallel(files: list[Target], workers: int, sections: bool) -> Iterator[Report]:
    """Reports from a pool of processes, in the order of ``files``."""
    # Enough chunks to keep every worker busy to the end, big enough to batch well.
    size = max(8, min(64, len(files) // (workers * 8) or 1))
    # imported here: a run in one process never needs it (about 6 ms)
    import multiprocessing

    context = multiprocessing.get_context(start_method())
    if context.get_start_method() == "fork":
        # Build and warm every Checker here so forked workers inherit them instead of each
        # paying the start-up; freeze the heap so the workers' garbage collector does not
        # touch (and so copy) every inherited page.
        for key in sorted({t.key for t in files}):
            checker_for(key).warm_up()
        gc.freeze()
    try:
        try:
            pool = context.Pool(workers, initializer=_init_worker,
                                initargs=(list(_SETTINGS),))
        except (OSError, ImportError) as error:
            raise _NoPool(str(error)) from None
        with pool:
            tasks = ((key, paths, sections) for key, paths in _chunks(files, size))
            for chunk in pool.imap(_check_chunk, tasks):
                yield from chunk
    finally:
        gc.unfreeze()


def fails(report: Report, level: str) -> bool:
    """True when the report has a finding at or above ``level`` (never for "never")."""
    if level == "never":
        return False
    return any(f.severity.rank >= FAIL_RANKS[level] for f in report.findings)


@dataclass(slots=True)
class Outcome:
    """What the exit code needs from a run, kept as reports go by: any unreadable file,
    any finding at or above its file's fail level."""

    errors: bool = False
    failures: bool = False

    def add(self, report: Report, settings: Settings) -> None:
        self.errors = self.errors or bool(report.error)
        self.failures = self.failures or fails(report, settings.fail_on)

    def exit_code(self, *, exit_zero: bool = False) -> int:
        """0, 1 or 2 as README's table says: an unreadable file makes it 2 whatever else
        happened; otherwise 1 when a finding is at or above its file's fail level."""
        if self.errors:
            return 2
        return 1 if self.failures and not exit_zero else 0


def exit_code(results: Iterable[tuple[Report, Settings]], *, exit_zero: bool = False) -> int:
    """The exit code of a whole run (see ``Outcome.exit_code``)."""
    outcome = Outcome()
    for report, settings in results:
        outcome.add(report, settings)
    return outcome.exit_code(exit_zero=exit_zero)
