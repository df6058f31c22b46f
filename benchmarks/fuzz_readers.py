"""Fuzz the readers: any bytes in, an InputError or a document that keeps every invariant out.

    python benchmarks/fuzz_readers.py [-max_total_time=300] [CORPUS_DIR ...]   # atheris
    python benchmarks/fuzz_readers.py --hypothesis [--examples 20000]          # no atheris
    python benchmarks/fuzz_readers.py --check                                  # + the engine

With atheris installed (``pip install atheris``) this is a coverage-guided libFuzzer run
over the readers, markdown-it and the standard HTML parser; any libFuzzer flag works
(``-max_total_time``, ``-runs``, ``-jobs``).  Without it, the same target runs under
hypothesis with many examples.  It is not part of the test suite (it runs for minutes);
``tests/reliability/test_fuzz_target.py`` runs the target briefly so it cannot rot.

The first input byte picks the format; the rest is the file.  Invariants checked:

* the only exception is InputError, with a one-line message naming the input;
* the prose view has the source's length, and newlines in exactly the same places;
* blocks and comments lie inside the text, blocks in order and not overlapping;
* for text formats, encoding the source again gives back the very bytes read, so a fix
  can never change a byte it did not mean to;
* with ``--check``, every finding's offsets slice the source to the finding's text.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("text", "markdown", "html", "docx")
NAME = "<fuzz>"

_checker: Any = None


def _seed_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("Help for service users", 1)
    d.add_paragraph("Your care package starts on Monday.")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "service users"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def seeds() -> list[bytes]:
    """Starting inputs: the golden fixtures in every format, and a small Word file."""
    fixtures = ROOT / "tests" / "formats" / "fixtures"
    out: list[bytes] = []
    for index in range(3):
        for path in sorted(fixtures.glob("golden.*")):
            out.append(bytes([index]) + path.read_bytes())
    out.append(bytes([3]) + _seed_docx())
    out.append(b"\x01> > > - [a](b) `c` <!-- plainspeak-disable -->\r\n&amp; *x*")
    out.append(b"\x02<p title='Service users'>care&nbsp;package<script>x</script>")
    return out


def target(data: bytes) -> None:
    """One fuzz input: read it and check every invariant; raise AssertionError on a bug."""
    from plainspeak.errors import InputError
    from plainspeak.formats import read_bytes
    from plainspeak.formats.encoding import encode

    if not data:
        return
    fmt = FORMATS[data[0] % len(FORMATS)]
    body = data[1:]
    try:
        doc = read_bytes(body, format=fmt, path=NAME)
    except InputError as error:
        message = str(error)
        assert message.startswith(f"{NAME}: "), message
        assert "\n" not in message and "\r" not in message, message
        return
    source, prose = doc.source, doc.prose
    n = len(source)
    assert len(prose) == n, (fmt, len(prose), n)
    nl_source = [i for i, ch in enumerate(source) if ch == "\n"]
    nl_prose = [i for i, ch in enumerate(prose) if ch == "\n"]
    assert nl_source == nl_prose, fmt
    last = 0
    for block in doc.blocks:
        assert last <= block.start < block.end <= n, (fmt, block)
        last = block.end
    for comment in doc.comments:
        assert 0 <= comment.start <= comment.end <= n, (fmt, comment)
    for offset in (0, n // 2, n):
        line, column = doc.position(offset)
        assert line >= 1 and column >= 1
    if fmt != "docx":
        assert encode(source, doc.encoding, doc.bom) == body, (fmt, doc.encoding)
    if _checker is not None:
        report = _checker.check_document(doc)
        for f in report.findings:
            assert 0 <= f.start <= f.end <= n, f
            if f.rule == "PS101":
                assert source[f.start:f.end] == f.text, (f.text, source[f.start:f.end])


def run_atheris(argv: list[str]) -> None:
    import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

    with atheris.instrument_imports():
        import html.parser  # noqa: F401

        import markdown_it  # noqa: F401

        import plainspeak.formats  # noqa: F401
        import plainspeak.formats.docx  # noqa: F401
        import plainspeak.formats.encoding  # noqa: F401
        import plainspeak.formats.html  # noqa: F401
        import plainspeak.formats.markdown  # noqa: F401
        import plainspeak.formats.plaintext  # noqa: F401
    corpus = [a for a in argv[1:] if not a.startswith("-")]
    if not corpus:
        folder = tempfile.mkdtemp(prefix="plainspeak-fuzz-")
        for i, seed in enumerate(seeds()):
            Path(folder, f"seed-{i}").write_bytes(seed)
        argv = [*argv, folder]
        print(f"corpus: {folder}", file=sys.stderr)
    atheris.Setup(argv, target)
    atheris.Fuzz()


def run_hypothesis(examples: int) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from([
        "service users", " ", "\n", "\r\n", "\t", "> ", "- ", "1. ", "#", "`", "```",
        "*", "_", "[", "](", ")", "<", ">", "</", "p", "div", "script", "<!--", "-->",
        "&", "&amp;", "&#", ";", "\\", "|", "---", "+++", "http://x.y/a", "a@b.c",
        "\x00", "\u202e", "\u200d", "\u0301", "\U0001f642", "\ufeff", "\u2028",
    ])
    text = st.one_of(st.text(), st.lists(pieces, max_size=60).map("".join))
    encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])

    @st.composite
    def inputs(draw: Callable[..., Any]) -> bytes:
        if draw(st.booleans()):
            data: bytes = draw(st.binary(max_size=400))
            return data
        fmt = draw(st.integers(0, 2))
        s: str = draw(text)
        encoding: str = draw(encodings)
        return bytes([fmt]) + s.encode(encoding, errors="surrogatepass"
                                       if encoding.startswith("utf") else "replace")

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(inputs())
    def fuzz(data: bytes) -> None:
        target(data)

    for seed in seeds():
        target(seed)
    fuzz()
    print(f"hypothesis: {examples} examples, no failure", file=sys.stderr)


def main() -> None:
    global _checker
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--hypothesis", action="store_true")
    parser.add_argument("--examples", type=int, default=20_000)
    parser.add_argument("--check", action="store_true")
    known, rest = parser.parse_known_args()
    sys.path.insert(0, str(ROOT / "src"))
    if known.check:
        from plainspeak.api import Checker

        _checker = Checker()
    try:
        import atheris  # noqa: F401
    except ImportError:
        known.hypothesis = True
    if known.hypothesis:
        run_hypothesis(known.examples)
    else:
        run_atheris([sys.argv[0], *rest])


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
