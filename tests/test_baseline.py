"""Baselines: findings are matched by file, rule, term and sentence, never by line number;
the file is replaced whole or not at all, and anything that is not a baseline is one line."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plainspeak.baseline import Baseline, Key, finding_key
from plainspeak.cli import cli
from plainspeak.errors import ConfigError, PlainspeakError
from plainspeak.fileio import TEMP_PREFIX
from plainspeak.models import Finding, Report, Severity

JARGON = "Service users said the care package was fine.\n"


def report(checker, path: str, text: str) -> Report:
    from dataclasses import replace

    return replace(checker.check(text), path=path)


def test_old_findings_are_hidden_when_lines_move(builtin_checker, tmp_path: Path) -> None:
    before = report(builtin_checker, str(tmp_path / "a.md"), "Your care package is ready.\n")
    baseline = Baseline.from_reports([before], base=str(tmp_path))
    baseline.write(tmp_path / "baseline.json")
    known = Baseline.read(tmp_path / "baseline.json")
    after = report(builtin_checker, str(tmp_path / "a.md"),
                   "A new first line.\n\nYour care package is ready.\nWe will signpost you.\n")
    [left] = known.filter([after])
    assert [f.entry_id for f in left.findings] == ["signpost"]


def test_counts_matter(builtin_checker, tmp_path: Path) -> None:
    text = "Your care package is ready."
    baseline = Baseline.from_reports([report(builtin_checker, "a.md", text)],
                                     base=str(tmp_path))
    [left] = baseline.filter([report(builtin_checker, "a.md", f"{text} {text}")])
    # a second identical sentence is a new finding
    assert [f.entry_id for f in left.findings] == ["care-package"]


def test_other_files_are_not_covered(builtin_checker, tmp_path: Path) -> None:
    text = "Your care package is ready."
    baseline = Baseline.from_reports([report(builtin_checker, "a.md", text)],
                                     base=str(tmp_path))
    [left] = baseline.filter([report(builtin_checker, "b.md", text)])
    assert len(left.findings) == 1


def test_file_format_is_readable_json(builtin_checker, tmp_path: Path) -> None:
    baseline = Baseline.from_reports(
        [report(builtin_checker, str(tmp_path / "docs" / "a.md"), "A care package.")],
        base=str(tmp_path))
    baseline.write(tmp_path / "b.json")
    data = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert data["baseline_version"] == 1
    assert data["findings"][0] == {"path": "docs/a.md", "rule": "PS101",
                                   "term": "care-package", "context": "A care package.",
                                   "count": 1}


@pytest.mark.parametrize("text", ["", "[]", '{"baseline_version": 99, "findings": []}',
                                  '{"baseline_version": 1, "findings": [{"path": 1}]}'])
def test_a_broken_baseline_is_a_config_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "b.json").write_text(text, "utf-8")
    with pytest.raises(ConfigError, match="is not a plainspeak baseline"):
        Baseline.read(tmp_path / "b.json")


def test_one_report_at_a_time_is_the_same_as_all_at_once(builtin_checker, tmp_path: Path) -> None:
    """check --baseline filters each report as it comes; the counts left over carry from
    one report to the next, so standard input named like a file shares that file's."""
    text = "Your care package is ready. Your care package is ready."
    old = [report(builtin_checker, "a.md", text), report(builtin_checker, "b.md", text)]
    baseline = Baseline.from_reports(old, base=str(tmp_path))
    new = [report(builtin_checker, "a.md", f"{text} {text}"),
           report(builtin_checker, "a.md", text),          # stdin shown as a.md
           report(builtin_checker, "b.md", "We will signpost you."),
           report(builtin_checker, "c.md", text)]
    keep = baseline.filterer()
    one_by_one = [keep(r) for r in new]
    assert one_by_one == baseline.filter(new)
    assert [len(r.findings) for r in one_by_one] == [2, 2, 1, 2]
    assert baseline.filter(new) == one_by_one               # filter leaves the counts as they were


def test_add_counts_as_from_reports(builtin_checker, tmp_path: Path) -> None:
    reports = [report(builtin_checker, "a.md", "A care package. A care package."),
               report(builtin_checker, "b.md", "Service users.")]
    grown = Baseline(base=str(tmp_path))
    for r in reports:
        grown.add(r)
    assert grown == Baseline.from_reports(reports, base=str(tmp_path)) and grown.count == 3



# --- any text a report can hold is written as UTF-8 JSON and read back equal -----------

# Lone surrogates (what os.fsdecode makes of a file name that is not UTF-8, and what a
# str handed to the API may hold), surrogate pairs split in two, characters beyond the
# BMP, NUL, quotes, backslashes, control characters and whitespace of every kind.
_AWKWARD = ["\udcff", "\udc80", "\ud800", "\udfff", "\ud83d", "\ude00", "\U0001f600",
            "\U0010ffff", "\x00", "\\", '"', "\\udcff", "\n", "\u2028", "\ufeff", "\x7f"]
_TEXT = st.lists(st.one_of(st.sampled_from(_AWKWARD),
                           st.characters(exclude_categories=())),   # surrogates too
                 max_size=12).map("".join)
_SETTINGS = settings(max_examples=300, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


def _utf16(text: str) -> str:
    """What JSON can keep of ``text``: a high surrogate followed by a low one is the one
    character the pair spells (``\\ud83d\\ude00`` is 😀 in any JSON reader)."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _finding(text: str, sentence: str, entry_id: str | None) -> Finding:
    return Finding(rule="PS101", name="jargon", severity=Severity.WARNING, message="m", start=0,
                   end=len(text), line=1, column=1, end_line=1, end_column=1, text=text,
                   sentence=sentence, entry_id=entry_id)


@_SETTINGS
@given(keys=st.dictionaries(st.tuples(_TEXT, _TEXT, _TEXT, _TEXT),
                            st.integers(1, 10**12), max_size=6))
def test_write_then_read_gives_the_same_baseline(tmp_path: Path, keys: dict[Key, int]) -> None:
    path = tmp_path / "b.json"
    Baseline(Counter(keys), base=str(tmp_path)).write(path)
    raw = path.read_bytes()
    json.loads(raw.decode("utf-8"))   # strict UTF-8 and valid JSON, for any other reader
    expected: Counter[Key] = Counter()
    for (where, rule, term, context), n in keys.items():
        expected[(_utf16(where), _utf16(rule), _utf16(term), _utf16(context))] += n
    assert Baseline.read(path) == Baseline(expected, base=str(tmp_path))
    if expected == Counter(keys):
        assert Baseline.read(path).counts == Counter(keys)   # exactly, surrogates and all


@_SETTINGS
@given(files=st.lists(st.tuples(_TEXT, st.lists(st.tuples(_TEXT, _TEXT, st.none() | _TEXT),
                                                min_size=1, max_size=3)),
                      min_size=1, max_size=3))
def test_a_recorded_finding_matches_itself_after_a_round_trip(
        tmp_path: Path, files: list[tuple[str, list[tuple[str, str, str | None]]]]) -> None:
    """Whatever the file name, term or sentence, a baseline written from reports and read
    back hides every one of those findings, and still counts them."""
    reports = [Report(findings=tuple(_finding(*f) for f in found),
                      path=str(tmp_path / "site" / name))
               for name, found in files]
    Baseline.from_reports(reports, base=str(tmp_path)).write(tmp_path / "b.json")
    known = Baseline.read(tmp_path / "b.json")
    assert known.count == sum(len(found) for _, found in files)
    assert all(r.findings == () for r in known.filter(reports))
    assert known.counts == Baseline.from_reports(reports, base=str(tmp_path)).counts


def test_finding_key_joins_a_split_surrogate_pair() -> None:
    finding = _finding("care package", "A care package \ud83d\ude00 \udcff.", "care-package")
    assert finding_key(finding, "a\udcff.md") == (
        "a\udcff.md", "PS101", "care-package", "A care package \U0001f600 \udcff.")


# --- through the command line ---------------------------------------------------------

Run = Callable[..., Result]


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one page of jargon; the working directory is the project."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.md").write_text(JARGON, "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


@pytest.fixture()
def run() -> Run:
    """``plainspeak ARGS`` in this process; exceptions are never swallowed."""
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def _one_line_error(result: Result, name: str) -> str:
    """The run failed with exit 2 and one line on stderr naming ``name``; that line."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"plainspeak: {name}: "), line
    return line


def _fail_replacing(monkeypatch: pytest.MonkeyPatch, name: str, error: BaseException) -> None:
    """Make the one ``os.replace`` that would put ``name`` in place fail with ``error``
    (other files, such as a cache, are replaced as usual)."""
    real = os.replace

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if os.path.basename(os.fspath(dst)) == name:
            raise error
        real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   OSError(errno.EROFS, "Read-only file system"),
                                   KeyboardInterrupt()], ids=["full", "read-only", "ctrl-c"])
def test_a_failing_update_leaves_the_old_baseline_byte_identical(
        site: Path, run: Run, monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    assert run("check", "--baseline", "b.json", "--update-baseline", "site").exit_code == 0
    old = (site / "b.json").read_bytes()
    (site / "site" / "a.md").write_text(JARGON + "We will signpost you.\n", "utf-8")
    _fail_replacing(monkeypatch, "b.json", error)
    result = run("check", "--baseline", "b.json", "--update-baseline", "site")
    if isinstance(error, KeyboardInterrupt):
        assert result.exit_code == 130 and "Traceback" not in result.stderr
    else:
        line = _one_line_error(result, "b.json")
        assert "the old file is unchanged" in line
        assert result.stdout == ""   # nothing was shown as if the baseline had been written
    assert (site / "b.json").read_bytes() == old and _leftovers(site) == []


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_failing_write_raises_one_line_and_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b"the old baseline\n")

    def enospc(*args: object, **kwargs: object) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, where, enospc)
    with pytest.raises(PlainspeakError) as info:
        Baseline(Counter({("a.md", "PS101", "care-package", "x"): 1})).write(path)
    monkeypatch.undo()
    assert str(info.value).startswith(f"{path}: cannot write the ")
    assert "the disk is full" in str(info.value) and "\n" not in str(info.value)
    assert path.read_bytes() == b"the old baseline\n" and _leftovers(tmp_path) == []


def test_a_write_cut_short_keeps_the_old_file(tmp_path: Path) -> None:
    """A real short write: the file size limit stops the new baseline half way."""
    resource = pytest.importorskip("resource")
    signal = pytest.importorskip("signal")
    path = tmp_path / "b.json"
    path.write_bytes(b"the old baseline\n")
    big = Baseline(Counter({("a.md", "PS101", "care-package", "x" * 100_000): 1}))
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # EFBIG instead of a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, limits[1]))
    try:
        with pytest.raises(ConfigError) as info:
            big.write(path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    assert str(info.value) == (f"{path}: cannot write the baseline (File too large); "
                               "the old file is unchanged")
    assert path.read_bytes() == b"the old baseline\n" and _leftovers(tmp_path) == []


def test_an_update_keeps_the_mode_and_a_symlink(site: Path, run: Run) -> None:
    real = site / "baselines" / "plainspeak.json"
    real.parent.mkdir()
    assert run("check", "--baseline", str(real), "--update-baseline", "site").exit_code == 0
    real.chmod(0o640)
    (site / "b.json").symlink_to(real)
    (site / "site" / "a.md").write_text("We will signpost you.\n", "utf-8")
    assert run("check", "--baseline", "b.json", "--update-baseline", "site").exit_code == 0
    assert (site / "b.json").is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert Baseline.read(real).count == 1
    assert _leftovers(site) == [] and _leftovers(real.parent) == []


def test_a_baseline_is_never_written_into_a_folder_or_a_device(tmp_path: Path) -> None:
    baseline = Baseline(Counter({("a.md", "PS101", "care-package", "x"): 1}))
    with pytest.raises(ConfigError, match="is a directory, not a baseline file"):
        baseline.write(tmp_path)
    if os.path.exists(os.devnull) and not stat.S_ISREG(os.stat(os.devnull).st_mode):
        with pytest.raises(ConfigError, match="is not a regular file"):
            baseline.write(os.devnull)


def test_a_missing_folder_is_one_line(site: Path, run: Run) -> None:
    result = run("check", "--baseline", "no/such/b.json", "--update-baseline", "site")
    _one_line_error(result, "no/such/b.json")
    assert not (site / "no").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="file names are bytes only on Linux (and most other Unixes)")
def test_a_file_name_that_is_not_utf8_end_to_end(site: Path, run: Run) -> None:
    raw_name = os.fsencode(site / "site") + b"/caf\xe9-\xff.md"   # Latin-1, not UTF-8
    try:
        with open(raw_name, "wb") as handle:
            handle.write(b"We will signpost you.\n")
    except OSError as error:   # a file system that insists on UTF-8 names
        pytest.skip(f"cannot make a non-UTF-8 file name here ({error})")
    first = run("check", "--baseline", "b.json", "--update-baseline", "site")
    assert first.exit_code == 0, first.output
    text = (site / "b.json").read_bytes().decode("utf-8")   # strict: it is UTF-8
    assert '"path": "site/caf\\udce9-\\udcff.md"' in text
    assert Baseline.read(site / "b.json").count == 3
    again = run("check", "--baseline", "b.json", "site")
    assert again.exit_code == 0, again.output
    with open(raw_name, "ab") as handle:
        handle.write(b"\nThe service users are here.\n")
    new = run("check", "--quiet", "--baseline", "b.json", "site")
    assert new.exit_code == 1
    [line] = new.stdout.splitlines()
    assert line.startswith("site/caf\\udce9-\\udcff.md:3:5: PS101") and "service users" in line


_ITEM = '{"path": "site/a.md", "rule": "PS101", "term": "care-package", "context": "x"'
_BAD_BASELINES = {
    "empty": (b"", "not valid JSON: Expecting value at line 1 column 1"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "it looks like a binary file, not JSON"),
    "latin-1": ('{"x": "caf\xe9"}'.encode("latin-1"), "not UTF-8 text: byte 11 is 0xe9"),
    "truncated": (b'{"baseline_version": 1, "findings": [', "not valid JSON"),
    "a list": (b"[]", "it is a list, not an object"),
    "text": (b'"baseline"', "it is the text 'baseline', not an object"),
    "no version": (b'{"findings": []}', "it has no 'baseline_version'"),
    "newer version": (b'{"baseline_version": 2, "findings": []}',
                      "its 'baseline_version' is the number 2; this plainspeak reads version 1"),
    "version true": (b'{"baseline_version": true, "findings": []}',
                     "its 'baseline_version' is true"),
    "no findings": (b'{"baseline_version": 1}', "'findings' is null, not a list"),
    "findings object": (b'{"baseline_version": 1, "findings": {}}',
                        "'findings' is an object, not a list"),
    "finding a list": (b'{"baseline_version": 1, "findings": [[]]}',
                       "finding 1 is a list, not an object"),
    "path null": (('{"baseline_version": 1, "findings": [' + _ITEM + '}, '
                   + _ITEM.replace('"site/a.md"', "null") + "}]}").encode(),
                  "finding 2 has null as its 'path', not text"),
    "path a number": (b'{"baseline_version": 1, "findings": [{"path": 1}]}',
                      "finding 1 has the number 1 as its 'path', not text"),
    "no context": (('{"baseline_version": 1, "findings": ['
                    + _ITEM.replace(', "context": "x"', "") + "}]}").encode(),
                   "finding 1 has no 'context'"),
    "unknown field": (('{"baseline_version": 1, "findings": [' + _ITEM
                       + ', "cuont": 2}]}').encode(), "finding 1 has an unknown field 'cuont'"),
    "count zero": (('{"baseline_version": 1, "findings": [' + _ITEM + ', "count": 0}]}').encode(),
                   "finding 1 has the number 0 as its 'count', not a whole number above 0"),
    "count text": (('{"baseline_version": 1, "findings": [' + _ITEM
                    + ', "count": "2"}]}').encode(), "the text '2' as its 'count'"),
    "count 1.5": (('{"baseline_version": 1, "findings": [' + _ITEM
                   + ', "count": 1.5}]}').encode(), "the number 1.5 as its 'count'"),
    "count 1e400": (('{"baseline_version": 1, "findings": [' + _ITEM
                     + ', "count": 1e400}]}').encode(), "the number inf as its 'count'"),
    "count NaN": (('{"baseline_version": 1, "findings": [' + _ITEM
                   + ', "count": NaN}]}').encode(), "'NaN' is not a number plainspeak writes"),
    "5000 digits": (('{"baseline_version": 1, "findings": [' + _ITEM + ', "count": '
                     + "9" * 5000 + "}]}").encode(), "it holds a number too long to read"),
    "nested": (b"[" * 200_000 + b"]" * 200_000, "it is nested too deeply"),
}


@pytest.mark.parametrize("name", list(_BAD_BASELINES))
def test_a_bad_baseline_is_one_line_naming_it(site: Path, run: Run, name: str) -> None:
    content, reason = _BAD_BASELINES[name]
    (site / "b.json").write_bytes(content)
    line = _one_line_error(run("check", "--baseline", "b.json", "site"), "b.json")
    assert line.startswith("plainspeak: b.json: is not a plainspeak baseline (")
    assert reason in line and len(line) < 300
    assert line.endswith("; write a new one with --baseline FILE --update-baseline")
    # --update-baseline never reads the old file: it is the way out
    assert run("check", "--baseline", "b.json", "--update-baseline", "site").exit_code == 0
    assert Baseline.read(site / "b.json").count == 2


def test_a_byte_order_mark_from_an_editor_is_harmless(site: Path, run: Run) -> None:
    assert run("check", "--baseline", "b.json", "--update-baseline", "site").exit_code == 0
    (site / "b.json").write_bytes(b"\xef\xbb\xbf" + (site / "b.json").read_bytes())
    assert run("check", "--baseline", "b.json", "site").exit_code == 0


def test_a_huge_baseline_is_refused_without_reading_it(site: Path, run: Run) -> None:
    with open(site / "b.json", "wb") as handle:   # sparse: no disk space, no reading
        handle.truncate(600 * 1024 * 1024)
    line = _one_line_error(run("check", "--baseline", "b.json", "site"), "b.json")
    assert line == "plainspeak: b.json: is 600 MB, over the 512 MB limit for a baseline"


def test_a_baseline_too_big_to_read_back_is_not_written(
        site: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "b.json").write_bytes(b"the old baseline\n")
    monkeypatch.setattr("plainspeak.baseline.MAX_BASELINE_BYTES", 100)
    line = _one_line_error(run("check", "--baseline", "b.json", "--update-baseline", "site"),
                           "b.json")
    assert re.fullmatch(r"plainspeak: b\.json: cannot write the baseline: it would be "
                        r"\d+ bytes, over the 100 bytes limit for reading one back", line)
    assert (site / "b.json").read_bytes() == b"the old baseline\n" and _leftovers(site) == []


def test_a_folder_as_the_baseline_is_refused(site: Path, run: Run) -> None:
    (site / "b.json").mkdir()
    result = run("check", "--baseline", "b.json", "site")   # click.Path(dir_okay=False)
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(ConfigError, match=r"b\.json: is a directory, not a baseline file$"):
        Baseline.read(site / "b.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_or_device_as_the_baseline_is_refused_without_blocking(
        site: Path, run: Run) -> None:
    os.mkfifo(site / "b.json")   # opening it for reading would wait for a writer
    line = _one_line_error(run("check", "--baseline", "b.json", "site"), "b.json")
    assert line == "plainspeak: b.json: is not a regular file, so it cannot be a baseline"
    assert _one_line_error(run("check", "--baseline", "b.json", "--update-baseline", "site"),
                           "b.json").endswith("is not a regular file, so it cannot hold a baseline")
    if os.path.exists("/dev/zero"):   # endless: reading it would fill memory
        line = _one_line_error(run("check", "--baseline", "/dev/zero", "site"), "/dev/zero")
        assert line.endswith("is not a regular file, so it cannot be a baseline")


def test_an_unreadable_baseline_is_one_line(
        site: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated: the tests run as root, who may read anything."""
    assert run("check", "--baseline", "b.json", "--update-baseline", "site").exit_code == 0
    real = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.path.basename(os.fspath(path)) == "b.json":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    line = _one_line_error(run("check", "--baseline", "b.json", "site"), "b.json")
    assert line == "plainspeak: b.json: cannot read the baseline (permission denied)"
