"""Benchmark plainspeak against its peers on a real corpus, whole process, cold.

    python benchmarks/run.py [CORPUS_DIR] [--rounds 3] [--targets] [--api]

CORPUS_DIR defaults to ../shared/corpus/service-explorer (4,370 council pages in
Markdown).  Each tool runs over the corpus as one concatenated file and as the separate
files, tools alternating, several rounds; the table shows the median wall time, words
per second, peak memory (of the process tree's largest process) and the time relative
to plainspeak.  Peers run only where installed:

    pip install proselint==0.16.0
    npm install -g alex write-good retext-cli retext-simplify retext-readability

``--targets`` also measures the ratios issue 7 sets (start-up, scaling, glossary size,
--jobs); ``--api`` measures ``Checker.check_many`` words per second in-process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "service-explorer"


def run(cmd: Sequence[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one command (output discarded)."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=cwd)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.md") if p.is_file())


def count_words(files: Sequence[Path]) -> int:
    return sum(len(p.read_text("utf-8", errors="replace").split()) for p in files)


def plainspeak_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "plainspeak", *args]


def peers(single: Path, files: Path) -> dict[str, dict[str, list[str]]]:
    """Commands per tool for (single file, many files), for those installed."""
    tools: dict[str, dict[str, list[str]]] = {
        "plainspeak": {
            "one file": plainspeak_cmd("check", "--exit-zero", "--quiet", "--no-progress",
                                       str(single)),
            "4,370 files": plainspeak_cmd("check", "--exit-zero", "--quiet", "--no-progress",
                                          str(files)),
        }
    }
    if shutil.which("proselint"):
        tools["proselint 0.16"] = {"one file": ["proselint", "check", str(single)],
                                   "4,370 files": ["proselint", "check", str(files)]}
    for name in ("alex", "write-good"):
        if shutil.which(name):
            tools[name] = {"one file": [name, str(single)]}
    if shutil.which("retext"):
        tools["retext-simplify+readability"] = {"one file": [
            "retext", "--use", "retext-simplify", "--use", "retext-readability", str(single)]}
    return tools


def table(rows: list[tuple[str, str, float, float, int]], base: dict[str, float]) -> str:
    lines = ["| tool | input | median s | words/s | peak MB | x plainspeak |",
             "|---|---|---:|---:|---:|---:|"]
    for tool, kind, wall, mem, words in rows:
        ratio = wall / base[kind] if base.get(kind) else float("nan")
        lines.append(f"| {tool} | {kind} | {wall:.2f} | {words / wall:,.0f} | {mem:.0f} |"
                     f" {ratio:.2f} |")
    return "\n".join(lines)


def compare(corpus: Path, rounds: int) -> None:
    files = corpus_files(corpus)
    words = count_words(files)
    with tempfile.TemporaryDirectory() as tmp:
        single = Path(tmp) / "corpus.md"
        single.write_text("\n\n".join(p.read_text("utf-8") for p in files), "utf-8")
        tools = peers(single, corpus)
        times: dict[tuple[str, str], list[float]] = {}
        mems: dict[tuple[str, str], float] = {}
        for _ in range(rounds):
            for tool, kinds in tools.items():  # alternate tools within each round
                for kind, cmd in kinds.items():
                    wall, mem = run(cmd)
                    times.setdefault((tool, kind), []).append(wall)
                    mems[(tool, kind)] = max(mems.get((tool, kind), 0), mem)
    rows = [(t, k, statistics.median(v), mems[(t, k)], words) for (t, k), v in times.items()]
    base = {k: w for t, k, w, _, _ in rows if t == "plainspeak"}
    print(f"corpus: {len(files)} files, {words:,} words; {rounds} rounds, median shown\n")
    print(table(rows, base))


def median_of(cmd: Sequence[str], rounds: int) -> tuple[float, float]:
    walls, mems = zip(*(run(cmd) for _ in range(rounds)), strict=True)
    return statistics.median(walls), max(mems)


def big_glossary(path: Path, factor: int) -> None:
    """A glossary ``factor`` times the built-in size, of made-up terms that never match
    (so only the cost of size is measured)."""
    from plainspeak.glossary.loader import builtin_glossary_file

    n = len(builtin_glossary_file().entries) * (factor - 1)
    lines = ["version: 1", "entries:"]
    for i in range(n):
        word = "".join(chr(97 + (i // 26 ** k) % 26) for k in range(4))
        lines += [f"  - id: made-up-{i}", f"    term: zq{word} term{i}",
                  "    category: officialese", "    alternatives: [plain]",
                  "    explanation: A made-up word for testing."]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def targets(corpus: Path, rounds: int) -> None:
    files = corpus_files(corpus)
    out: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        page = tmpdir / "page.md"
        text = " ".join(" ".join(p.read_text("utf-8") for p in files[:40]).split()[:300])
        page.write_text(text + "\n", "utf-8")
        spacy_t, _ = median_of([sys.executable, "-c", "import spacy; spacy.blank('en')"], rounds)
        page_t, _ = median_of(plainspeak_cmd("check", "--exit-zero", "--quiet", str(page)), rounds)
        out.append(("300-word page vs spacy.blank (<= 1.5)", page_t / spacy_t,
                    f"{page_t:.2f}s vs {spacy_t:.2f}s"))
        click_t, _ = median_of([sys.executable, "-c", "import click"], rounds)
        for flag in ("--help", "--version"):
            t, _ = median_of(plainspeak_cmd(flag), rounds)
            out.append((f"plainspeak {flag} vs import click (<= 1.5)", t / click_t,
                        f"{t:.2f}s vs {click_t:.2f}s"))
        single = tmpdir / "corpus.md"
        body = "\n\n".join(p.read_text("utf-8") for p in files)
        single.write_text(body, "utf-8")
        ten = tmpdir / "corpus10.md"
        ten.write_text("\n\n".join([body] * 10), "utf-8")
        one_t, one_m = median_of(plainspeak_cmd("check", "--exit-zero", "--quiet", str(single)),
                                 rounds)
        ten_t, ten_m = median_of(plainspeak_cmd("check", "--exit-zero", "--quiet", str(ten)),
                                 max(1, rounds // 2))
        out.append(("10x corpus time (<= 11)", ten_t / one_t, f"{ten_t:.2f}s vs {one_t:.2f}s"))
        out.append(("10x corpus memory (<= 1.2)", ten_m / one_m, f"{ten_m:.0f} MB vs {one_m:.0f} MB"))
        out.append(("corpus peak memory MB (< 300)", one_m, ""))
        glossary = tmpdir / "big.yaml"
        big_glossary(glossary, 10)
        big_t, _ = median_of(plainspeak_cmd("check", "--exit-zero", "--quiet", "--glossary",
                                            str(glossary), str(single)), rounds)
        out.append(("10x glossary time (<= 1.3)", big_t / one_t, f"{big_t:.2f}s vs {one_t:.2f}s"))
        j1, _ = median_of(plainspeak_cmd("check", "--exit-zero", "--quiet", "--no-progress",
                                         "--jobs", "1", str(corpus)), rounds)
        j2, _ = median_of(plainspeak_cmd("check", "--exit-zero", "--quiet", "--no-progress",
                                         "--jobs", "2", str(corpus)), rounds)
        out.append(("--jobs 2 speed-up on 4,370 files (>= 1.6)", j1 / j2,
                    f"{j2:.2f}s vs {j1:.2f}s"))
    print("\n| target | measured | detail |\n|---|---:|---|")
    for name, value, detail in out:
        print(f"| {name} | {value:.2f} | {detail} |")


def api(corpus: Path) -> None:
    """Words per second of Checker.check_many, in-process, and peak memory."""
    import resource

    from plainspeak.api import Checker

    files = corpus_files(corpus)
    texts = [p.read_text("utf-8") for p in files]
    words = sum(len(t.split()) for t in texts)
    checker = Checker()
    checker.check("warm up the matcher")
    start = time.perf_counter()
    findings = sum(len(r.findings) for r in checker.check_many(texts, format="markdown"))
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nChecker.check_many: {len(texts)} texts, {words:,} words, {findings:,} findings in "
          f"{wall:.2f}s = {words / wall:,.0f} words/s; peak memory {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--targets", action="store_true", help="measure issue 7's ratios")
    parser.add_argument("--api", action="store_true", help="measure Checker.check_many")
    parser.add_argument("--no-compare", action="store_true", help="skip the peer table")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: no such corpus directory")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d')}")
    if not args.no_compare:
        compare(args.corpus, args.rounds)
    if args.targets:
        targets(args.corpus, args.rounds)
    if args.api:
        api(args.corpus)


if __name__ == "__main__":
    main()
