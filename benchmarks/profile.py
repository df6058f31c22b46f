"""Where a check's CPU time goes, stage by stage, in one process.

    python benchmarks/profile.py [PATH]

PATH is a Markdown file or a folder of them (default: the corpus,
../shared/corpus/service-explorer).  Each stage of the pipeline is timed in CPU seconds
by wrapping the function that does it; "the rest" is what the check spends outside
them (findings, fixes, suppressions).  The glossary comes from plainspeak's cache as in
a normal run (run it twice to see a warm cache; PLAINSPEAK_NO_CACHE=1 for none).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "service-explorer"
READ, MATCH, SCORE = ("read, extract prose (Markdown)", "screen, tokenise, match",
                      "readability, sentences")
TIMES: dict[str, float] = {}


def clock() -> float:
    return time.process_time()


def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            result = function(*args, **kwargs)
            if isinstance(result, Iterator):   # a generator works when it is consumed
                result = iter(list(result))
            return result
        finally:
            TIMES[label] = TIMES.get(label, 0.0) + clock() - start
    return wrapper


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    paths = [target] if target.is_file() else sorted(target.rglob("*.md"))
    start = clock()
    import plainspeak.api as api
    from plainspeak.nlp import pipeline
    from plainspeak.nlp.spacy_import import import_spacy

    TIMES["import plainspeak"] = clock() - start
    mark = clock()
    import_spacy()
    pipeline.english_tokenizer()
    TIMES["import spaCy, make its English tokenizer"] = clock() - mark
    # as the command line checks: a long file a section at a time (see read_sections)
    api.Checker.read = timed(READ, api.Checker.read)  # type: ignore[method-assign]
    api.Checker.read_sections = timed(  # type: ignore[method-assign]
        READ, api.Checker.read_sections)
    api.score_blocks = timed(SCORE, api.score_blocks)
    api.count_blocks = timed(SCORE, api.count_blocks)
    pipeline.GlossaryMatcher.hits = timed(  # type: ignore[method-assign]
        MATCH, pipeline.GlossaryMatcher.hits)
    mark = clock()
    checker = api.Checker()
    _ = checker.matcher
    TIMES["load the glossary, build the matcher"] = clock() - mark
    mark = clock()
    findings = sum(len(report.findings)
                   for report in checker.check_paths(paths, sections=True))
    checking = clock() - mark
    TIMES["the rest (findings, fixes, suppressions)"] = checking - sum(
        TIMES.get(k, 0.0) for k in (READ, MATCH, SCORE))
    for label, seconds in TIMES.items():
        print(f"{label:45s} {seconds:5.2f}")
    files = f"{len(paths):,} file{'' if len(paths) == 1 else 's'}"
    print(f"{'total CPU s':45s} {clock() - start:5.2f}  ({files}, {findings:,} findings)")


if __name__ == "__main__":
    main()
