"""Benchmark plainspeak against its peers on a real corpus, whole process, cold.

    python benchmarks/run.py [CORPUS_DIR] [--rounds 3] [--peers DIR] [--targets] [--api]

CORPUS_DIR defaults to ../shared/corpus/service-explorer (4,370 council pages in
Markdown).  Each tool runs over the corpus as one concatenated file and as the separate
files, tools alternating within each round; the table shows the median wall time, the
median CPU time (user + system: the fair number on a busy machine), words per second,
peak memory and the wall time relative to plainspeak.  ``--targets`` measures every
ratio issue 7 sets; ``--api`` measures ``Checker.check_paths`` in-process.

plainspeak keeps its compiled glossary in a cache (see docs/configuration.md); here the
cache is a fresh folder of the benchmark's own, filled by one untimed run before each
glossary is timed, so the medians are of warm runs, as a pre-commit hook's are.  Rows
marked "cache off" set PLAINSPEAK_NO_CACHE=1: every run compiles the glossary again.

Peers run only where installed.  Install them outside the repository, so that nothing
of theirs reaches the project's environment (the npm registry has no "retext-cli", so a
small script, benchmarks/peers/retext-check.mjs, runs retext instead):

    python -m venv /tmp/peers/proselint-venv
    /tmp/peers/proselint-venv/bin/pip install proselint==0.16.0
    mkdir -p /tmp/peers/npm && cd /tmp/peers/npm && npm install alex@11 write-good@1 \\
        retext@9 retext-english@5 retext-simplify@8 retext-readability@8 \\
        remark-parse@11 remark-retext@6 unified@11 vfile-reporter@8

``--peers DIR`` (default /tmp/peers) is where they are looked for; ``proselint``,
``alex`` and ``write-good`` on PATH are used too.  alex, write-good and retext are run
on the one file only unless ``--peers-on-files`` (they take minutes each).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "service-explorer"
DEFAULT_PEERS = Path("/tmp/peers")
ONE, MANY = "one file", "4,370 files"
QUIET = ("check", "--exit-zero", "--quiet", "--no-progress")


@dataclass
class Run:
    """Wall seconds, CPU seconds (user + system, children included) and peak MB."""

    wall: float
    cpu: float
    peak_mb: float


@dataclass
class Series:
    """The runs of one command."""

    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)


COLD = {"PLAINSPEAK_NO_CACHE": "1"}   # plainspeak compiles its glossary again


def run(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None
        ) -> Run:
    """One cold run of a command (a new process), its output thrown away; ``env`` is
    added to this process's environment."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, cwd=cwd,
                            env={**os.environ, **env} if env else None)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def series(cmd: Sequence[str], rounds: int, cwd: Path | None = None,
           env: dict[str, str] | None = None) -> Series:
    return Series([run(cmd, cwd, env) for _ in range(rounds)])


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.md") if p.is_file())


def count_words(files: Sequence[Path]) -> int:
    return sum(len(p.read_text("utf-8", errors="replace").split()) for p in files)


def plainspeak(*args: str) -> list[str]:
    return [sys.executable, "-m", "plainspeak", *args]


def compile_bytecode() -> None:
    """Compile plainspeak's modules to bytecode first, as pip does when it installs a
    package.  An editable install run where PYTHONDONTWRITEBYTECODE is set (some
    sandboxes and CI images set it) would otherwise compile every module on every run:
    about 0.08 s that an installed copy, and each peer here, never pays."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("plainspeak")
    if spec is not None and spec.origin is not None:
        compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def machine() -> str:
    """CPU model, cores and memory, for the table's caption."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal"))
        memory = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "unknown RAM"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{model}, {os.cpu_count()} CPUs, {memory}, Python {platform.python_version()}, "
            f"load average {load:.1f} at start, {time.strftime('%Y-%m-%d %H:%M %Z')}")


def find_peer(name: str, peers: Path) -> str | None:
    for candidate in (peers / "npm" / "node_modules" / ".bin" / name,
                      peers / f"{name}-venv" / "bin" / name):
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


def tools(single: Path, corpus: Path, files: Sequence[Path], peers: Path,
          peers_on_files: bool) -> dict[str, dict[str, tuple[list[str], Path | None]]]:
    """(command, working directory) per tool and input, for the tools installed."""
    many = [str(p) for p in files]
    found: dict[str, dict[str, tuple[list[str], Path | None]]] = {
        "plainspeak": {ONE: (plainspeak(*QUIET, str(single)), None),
                       MANY: (plainspeak(*QUIET, str(corpus)), None)},
        # one process: what the default does with under 256 KB, or on one CPU
        "plainspeak --jobs 1": {ONE: (plainspeak(*QUIET, "--jobs", "1", str(single)), None),
                                MANY: (plainspeak(*QUIET, "--jobs", "1", str(corpus)), None)},
    }
    proselint = find_peer("proselint", peers)
    if proselint:
        found["proselint 0.16"] = {ONE: ([proselint, "check", str(single)], None),
                                   MANY: ([proselint, "check", str(corpus)], None)}
    for name in ("alex", "write-good"):
        exe = find_peer(name, peers)
        if exe:
            found[name] = {ONE: ([exe, str(single)], None)}
            if peers_on_files:
                found[name][MANY] = ([exe, *many], None)
    script = peers / "npm" / "retext-check.mjs"
    if (peers / "npm" / "node_modules" / "retext-simplify").is_dir() and shutil.which("node"):
        shutil.copy(ROOT / "benchmarks" / "peers" / "retext-check.mjs", script)
        found["retext-simplify+readability"] = {ONE: (["node", str(script), str(single)], None)}
        if peers_on_files:
            found["retext-simplify+readability"][MANY] = (["node", str(script), *many], None)
    return found


def table(results: dict[tuple[str, str], Series], words: int) -> str:
    base = {kind: s.wall for (tool, kind), s in results.items() if tool == "plainspeak"}
    lines = ["| tool | input | median wall s | median CPU s | words/s (wall) | peak MB |"
             " wall x plainspeak |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for (tool, kind), s in sorted(results.items(), key=lambda kv: (kv[0][1], kv[1].wall)):
        ratio = s.wall / base[kind] if base.get(kind) else float("nan")
        lines.append(f"| {tool} | {kind} | {s.wall:.2f} | {s.cpu:.2f} | {words / s.wall:,.0f} |"
                     f" {s.peak_mb:.0f} | {ratio:.2f} |")
    return "\n".join(lines)


def concatenate(files: Sequence[Path], target: Path, copies: int = 1) -> None:
    body = "\n\n".join(p.read_text("utf-8") for p in files)
    target.write_text("\n\n".join([body] * copies), "utf-8")


def compare(corpus: Path, files: Sequence[Path], words: int, rounds: int, peers: Path,
            peers_on_files: bool, tmp: Path, only: Sequence[str] = ()
            ) -> dict[tuple[str, str], Series]:
    single = tmp / "corpus.md"
    concatenate(files, single)
    commands = tools(single, corpus, files, peers, peers_on_files)
    if only:
        commands = {t: c for t, c in commands.items() if t.split()[0] in only}
    results: dict[tuple[str, str], Series] = {}
    run(plainspeak(*QUIET, str(single)))   # compiles the glossary into the cache
    for _ in range(rounds):
        for tool, kinds in commands.items():  # alternate tools within each round
            for kind, (cmd, cwd) in kinds.items():
                results.setdefault((tool, kind), Series()).runs.append(run(cmd, cwd))
    print(f"corpus: {len(files):,} files, {words:,} words; {rounds} rounds, medians\n")
    print(table(results, words))
    missing = {"proselint 0.16", "alex", "write-good", "retext-simplify+readability"} - {
        t for t, _ in results}
    if missing:
        print(f"\nnot installed, so not run: {', '.join(sorted(missing))}")
    return results


def big_glossary(path: Path, factor: int) -> int:
    """A user glossary of made-up two-word terms, ``factor - 1`` times the built-in size,
    so that with the built-in one the glossary is ``factor`` times larger.  The words
    are letters only, so they are inflected like real terms (through lemminflect, as a
    user glossary's new words are), but never occur in the corpus."""
    from plainspeak.glossary.loader import builtin_glossary_file

    n = len(builtin_glossary_file().entries) * (factor - 1)
    syllables = ["ka", "lo", "mi", "ne", "pu", "ro", "si", "ta", "vu", "ze"]

    def word(i: int, salt: str) -> str:
        return salt + "".join(syllables[(i // 10 ** k) % 10] for k in range(4))

    lines = ["entries:"]
    for i in range(n):
        lines += [f"  - id: made-up-{i}", f"    term: {word(i, 'zq')} {word(i, 'qx')}",
                  "    category: officialese", "    alternatives: [plain words]",
                  "    explanation: A made-up term for the benchmark.",
                  "    examples:", f"      flag: [The {word(i, 'zq')} {word(i, 'qx')} is here.]",
                  "      pass: [Plain words are here.]"]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return n


def ten_copies(files: Sequence[Path], corpus: Path, target: Path) -> None:
    for copy in range(10):
        for path in files:
            out = target / f"copy{copy}" / path.relative_to(corpus)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(path.read_bytes())


def paired(a: Sequence[str], b: Sequence[str], rounds: int,
           env_a: dict[str, str] | None = None, env_b: dict[str, str] | None = None
           ) -> tuple[Series, Series]:
    """Two commands run in turns, so that a busy moment of a shared machine falls on
    both sides of a ratio rather than on one."""
    first, second = Series(), Series()
    for _ in range(rounds):
        first.runs.append(run(a, env=env_a))
        second.runs.append(run(b, env=env_b))
    return first, second


def targets(corpus: Path, files: Sequence[Path], rounds: int, tmp: Path,
            compared: dict[tuple[str, str], Series] | None) -> None:
    """Every ratio issue 7 sets; the two sides of each are run in turns (``paired``)."""
    rows: list[tuple[str, str, float, str]] = []

    def ratio(name: str, goal: str, a: Series, b: Series) -> None:
        rows.append((name, goal, a.wall / b.wall, f"{a.wall:.2f} s vs {b.wall:.2f} s wall "
                                                  f"(CPU {a.cpu:.2f} vs {b.cpu:.2f})"))

    def memory_ratio(name: str, a: Series, b: Series) -> None:
        rows.append((name, "<= 1.2", a.peak_mb / b.peak_mb,
                     f"{a.peak_mb:.0f} MB vs {b.peak_mb:.0f} MB"))

    if compared:
        for kind in (ONE, MANY):
            ours, theirs = compared.get(("plainspeak", kind)), compared.get(("proselint 0.16",
                                                                             kind))
            if ours and theirs:
                ratio(f"corpus as {kind}: plainspeak / proselint", "< 1 (aim 0.5)", ours, theirs)
    page = tmp / "page.md"
    words = " ".join(p.read_text("utf-8") for p in files[:40]).split()
    page.write_text(" ".join(words[:300]) + "\n", "utf-8")
    run(plainspeak(*QUIET, str(page)))   # the built-in glossary into the cache
    blank = [sys.executable, "-c", "import spacy; spacy.blank('en')"]
    ratio("300-word page, cold / spacy.blank('en')", "<= 1.5",
          *paired(plainspeak(*QUIET, str(page)), blank, rounds))
    ratio("  the same, glossary cache off", "-",
          *paired(plainspeak(*QUIET, str(page)), blank, rounds, env_a=COLD))
    # a twentieth of a second each: more rounds, or one busy moment decides the median
    quick = max(rounds, 15)
    click = [sys.executable, "-c", "import click"]
    for flag in ("--help", "--version"):
        ratio(f"plainspeak {flag} / import click", "<= 1.5",
              *paired(plainspeak(flag), click, quick))
    single = tmp / "corpus.md"
    if not single.exists():
        concatenate(files, single)
    one_cmd, many_cmd = plainspeak(*QUIET, str(single)), plainspeak(*QUIET, str(corpus))
    one_j1_cmd = plainspeak(*QUIET, "--jobs", "1", str(single))
    many_j1_cmd = plainspeak(*QUIET, "--jobs", "1", str(corpus))
    # Memory in one process (--jobs 1): the default's two processes are each measured
    # alone by the kernel's peak, which would hide what they hold together.
    one_j1, one = paired(one_j1_cmd, one_cmd, rounds)
    many_j1, many = paired(many_j1_cmd, many_cmd, rounds)
    rows.append(("peak memory, corpus as one file, --jobs 1 (MB)", "< 300", one_j1.peak_mb,
                 f"default: the larger of its two processes {one.peak_mb:.0f} MB"))
    rows.append(("peak memory, corpus as 4,370 files, --jobs 1 (MB)", "< 300",
                 many_j1.peak_mb,
                 f"default: the larger of its two processes {many.peak_mb:.0f} MB"))
    copies = tmp / "ten"
    ten_copies(files, corpus, copies)
    half = max(1, rounds // 2)
    ten_many, many_again = paired(plainspeak(*QUIET, str(copies)), many_cmd, half)
    ratio("10 copies as 43,700 files: time / 1 copy", "<= 11", ten_many, many_again)
    ten_many_j1, many_j1_again = paired(plainspeak(*QUIET, "--jobs", "1", str(copies)),
                                        many_j1_cmd, half)
    ratio("  the same, --jobs 1", "-", ten_many_j1, many_j1_again)
    memory_ratio("10 copies as 43,700 files: memory / 1 copy (--jobs 1)", ten_many_j1,
                 many_j1_again)
    ten_single = tmp / "corpus10.md"
    concatenate(files, ten_single, copies=10)
    ten_one, one_again = paired(plainspeak(*QUIET, str(ten_single)), one_cmd, half)
    ratio("10 copies in one file: time / 1 copy", "<= 11", ten_one, one_again)
    ten_one_j1, one_j1_again = paired(plainspeak(*QUIET, "--jobs", "1", str(ten_single)),
                                      one_j1_cmd, half)
    memory_ratio("10 copies in one file: memory / 1 copy (--jobs 1)", ten_one_j1,
                 one_j1_again)
    glossary = tmp / "big-glossary.yaml"
    added = big_glossary(glossary, 10)
    big = ("--glossary", str(glossary))
    run(plainspeak(*QUIET, *big, str(single)))   # into the cache
    ratio(f"10x glossary (+{added:,} entries), one file: time / built-in", "<= 1.3",
          *paired(plainspeak(*QUIET, *big, str(single)), one_cmd, rounds))
    ratio("10x glossary, 4,370 files: time / built-in", "<= 1.3",
          *paired(plainspeak(*QUIET, *big, str(corpus)), many_cmd, rounds))
    ratio("  the same, --jobs 1", "-",
          *paired(plainspeak(*QUIET, "--jobs", "1", *big, str(corpus)), many_j1_cmd, rounds))
    ratio("  the same, glossary cache off (both)", "-",
          *paired(plainspeak(*QUIET, *big, str(corpus)), many_cmd, rounds, COLD, COLD))
    # Two processes suffer most from a busy moment of a shared machine (it takes one of
    # their two cores), so this ratio gets more rounds, and the machine is measured
    # just before it.
    rows.append(("  this machine's parallel efficiency before the speed-up (2.0 = two free"
                 " cores)", "-", parallel_efficiency(), "two CPU-bound processes vs one"))
    j1, j2 = paired(many_j1_cmd, plainspeak(*QUIET, "--jobs", "2", str(corpus)),
                    max(rounds, 11))
    ratio("--jobs 1 / --jobs 2 on 4,370 files (speed-up)", ">= 1.6", j1, j2)
    ratio("  --jobs 1 / --jobs 2 on 43,700 files (speed-up)", "-",
          *paired(plainspeak(*QUIET, "--jobs", "1", str(copies)),
                  plainspeak(*QUIET, "--jobs", "2", str(copies)), half))
    ratio("  --jobs 1 / --jobs 2 on the corpus as one file (speed-up)", "-",
          *paired(one_j1_cmd, plainspeak(*QUIET, "--jobs", "2", str(single)), rounds))
    page_run, j1_again = paired(plainspeak(*QUIET, "--jobs", "1", str(page)), many_j1_cmd,
                                rounds)
    share = page_run.wall / j1_again.wall
    amdahl = 1 / (share + (1 - share) / 2)
    rows.append(("  start-up share of --jobs 1 (a 300-word page / the 4,370 files)", "-",
                 share, "Amdahl, were the start-up not overlapped (whole files per process, "
                 f"as --jobs 3 and more): best --jobs 2 speed-up {amdahl:.2f}"))
    rows.append(("  this machine's parallel efficiency at the end (2.0 = two free cores)", "-",
                 parallel_efficiency(), "two CPU-bound processes vs one"))
    print("\n| target | goal | measured | detail |\n|---|---|---:|---|")
    for name, goal, value, detail in rows:
        print(f"| {name} | {goal} | {value:.2f} | {detail} |")


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_efficiency() -> float:
    """How many cores two CPU-bound processes get right now: a --jobs speed-up cannot
    be judged on a machine whose other work leaves one core free."""
    import multiprocessing

    start = time.perf_counter()
    _burn(5_000_000)
    one = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_burn, [5_000_000, 5_000_000])
    return 2 * one / (time.perf_counter() - start)


def api(files: Sequence[Path]) -> None:
    """Words per second of Checker.check_paths, in-process, and peak memory."""
    import resource

    from plainspeak.api import Checker

    words = count_words(files)
    start = time.perf_counter()
    checker = Checker()
    checker.check("Warm up the matcher.")
    ready = time.perf_counter()
    findings = sum(len(r.findings) for r in checker.check_paths(files))
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nChecker.check_paths: {len(files):,} files, {words:,} words, {findings:,} findings"
          f" in {done - ready:.2f} s = {words / (done - ready):,.0f} words/s (building the"
          f" Checker took {ready - start:.2f} s); peak memory {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peers", type=Path, default=DEFAULT_PEERS,
                        help="where the peers were installed (default /tmp/peers)")
    parser.add_argument("--peers-on-files", action="store_true",
                        help="run alex, write-good and retext on the separate files too")
    parser.add_argument("--targets", action="store_true", help="measure issue 7's ratios")
    parser.add_argument("--api", action="store_true", help="measure Checker.check_paths")
    parser.add_argument("--no-compare", action="store_true", help="skip the peer table")
    parser.add_argument("--only", default="", help="comma-separated tools to run, e.g."
                        " plainspeak,proselint (default: all installed)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: no such corpus directory")
    files = corpus_files(args.corpus)
    compile_bytecode()
    print(f"machine: {machine()}\n")
    compared = None
    with tempfile.TemporaryDirectory(prefix="plainspeak-bench-") as tmp:
        # plainspeak's compiled-glossary cache starts empty and is the benchmark's own
        os.environ["PLAINSPEAK_CACHE_DIR"] = str(Path(tmp) / "cache")
        if not args.no_compare:
            compared = compare(args.corpus, files, count_words(files), args.rounds,
                               args.peers, args.peers_on_files, Path(tmp),
                               [t for t in args.only.split(",") if t])
        if args.targets:
            targets(args.corpus, files, args.rounds, Path(tmp), compared)
    if args.api:
        api(files)


if __name__ == "__main__":
    main()
