"""``plainspeak check`` and ``plainspeak readability``: check files and show what was found."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from plainspeak.cli.options import handles_errors, overrides_from, settings_options
from plainspeak.cli.output import FORMATS

if TYPE_CHECKING:
    from plainspeak.models import Report
    from plainspeak.settings import Settings

PROGRESS_MIN_FILES = 20

CHECK_EPILOG = """\b
Examples:
  plainspeak check                         check the current folder
  plainspeak check letter.md docs/         files and folders (.txt .md .html .docx)
  plainspeak check --format json -o report.json site/
  plainspeak check --fail-on error --statistics docs/
  plainspeak check --select PS101 --ignore care-package docs/
  cat draft.md | plainspeak check - --stdin-filename draft.md
  plainspeak check --baseline .plainspeak-baseline.json site/

\b
Exit codes:
  0  no problem at or above --fail-on (default: warning)
  1  problems at or above --fail-on
  2  usage, configuration, glossary or input error (a file that cannot be read)
"""


@click.command(epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True,
              help="Output format. auto means github inside GitHub Actions, else text.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the output to this file instead of the screen.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when problems are found (errors reading files still exit 2).")
@settings_options
@click.option("--report-unused-suppressions", is_flag=True,
              help="Report plainspeak-disable comments that did not suppress anything.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Report only problems not in this baseline file "
                   "(create it with --update-baseline).")
@click.option("--update-baseline", is_flag=True,
              help="With --baseline: write the current problems to the baseline file, creating it.")
@click.option("--stdin-filename", metavar="NAME",
              help="With '-': the name (and so the format) of the text on standard input.")
@click.option("-q", "--quiet", is_flag=True,
              help="Only one line per problem: no excerpts, no summary, no progress bar.")
@click.option("--statistics", is_flag=True,
              help="Add counts of problems per rule and per glossary term.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None, metavar="N",
              help="Processes to use.  1: all in this one.  2: this one reads, parses "
                   "and scores while a second loads spaCy and matches.  3 or more: the "
                   "files are shared out.  0: one per CPU.  [default: one per CPU for "
                   "256 KB of files or more, else 1]")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@click.option("--color", "color_choice", type=click.Choice(["auto", "always", "never"]),
              default="auto", show_default=True,
              help="Colour in text output; auto means on a terminal unless NO_COLOR is set.")
@handles_errors
def check(paths: tuple[str, ...], output_format: str, output: str | None,
          exit_zero: bool, baseline: str | None, update_baseline: bool,
          stdin_filename: str | None, quiet: bool, statistics: bool, jobs: int | None,
          no_progress: bool, color_choice: str, **options: Any) -> None:
    """Check files and folders for jargon, long sentences and hard sentences.

    PATHS are files, folders (searched for .txt, .md, .html and .docx files, honouring
    .gitignore) or - for standard input.  With no PATHS, the current folder is checked.
    """
    from plainspeak.cli import runner
    from plainspeak.cli.output import opened_output, resolve_format, wants_color
    from plainspeak.config import ConfigResolver
    from plainspeak.render import STREAMING

    fmt = resolve_format(output_format)
    if update_baseline and not baseline:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    outcome = runner.Outcome()
    # with two processes, the second loads spaCy while the files are found
    with runner.second_process(jobs, paths) as second:
        resolver = ConfigResolver(options.pop("config_path"), overrides_from(options))
        plan = runner.plan(list(paths) or ["."], resolver, stdin_filename=stdin_filename)
        show = (not (quiet or no_progress or output == "-")
                and len(plan.targets) >= PROGRESS_MIN_FILES and stderr_is_terminal())
        color = fmt == "text" and (color_choice == "always" or (
            color_choice == "auto" and not output and wants_color()))
        # Lines would break up a progress bar on the same terminal; a new baseline must be
        # written (or fail) before anything is shown, as the output is measured against it.
        defer = (show and stdout_is_terminal()) or update_baseline
        with opened_output(output, defer=defer) as out, _progress(len(plan.targets), show) as bar:
            # a line format shows a long file's findings a section at a time, so that
            # checking it holds one section, not the whole file
            results = runner.stream(plan, jobs=jobs, on_report=bar, second=second,
                                    sections=fmt in STREAMING)
            if baseline:
                results = _against_baseline(results, baseline, update=update_baseline)
            if fmt in STREAMING:
                from plainspeak.render import line_renderer

                lines = line_renderer(fmt, color=color, statistics=statistics, quiet=quiet)
                for report, settings in results:
                    outcome.add(report, settings)
                    out.write_lines(lines.report(report))
                out.write_lines(lines.footer())
            else:
                from plainspeak.render import render, slim

                reports = []
                for report, settings in results:
                    outcome.add(report, settings)
                    reports.append(slim(fmt, report))
                glossary = runner.checker_for(0).glossary if len(plan.settings) == 1 else None
                text = render(fmt, reports, color=color, statistics=statistics, quiet=quiet,
                              glossary=glossary)
                out.write_lines([text] if text else [])
    sys.exit(outcome.exit_code(exit_zero=exit_zero))


def _against_baseline(results: Iterator[tuple[Report, Settings]], path: str, *,
                      update: bool) -> Iterator[tuple[Report, Settings]]:
    """The results with the findings already in the baseline at ``path`` taken out.

    With ``update`` the baseline becomes every finding of this run, so none is left to
    show; only the baseline's entries are kept until it is written, after the last file.
    """
    from dataclasses import replace

    from plainspeak.baseline import Baseline
    from plainspeak.errors import ConfigError

    if not update:
        if not os.path.exists(path):
            # A missing baseline is an error, not a cue to write one: a hook or CI run
            # that lost its baseline would otherwise pass and record only the files it saw.
            raise ConfigError(f"{path}: no such baseline file; create it once over the "
                              "whole site with --baseline FILE --update-baseline")
        keep = Baseline.read(path).filterer()
        for report, settings in results:
            yield keep(report), settings
        return
    written = Baseline(base=os.path.dirname(os.path.abspath(path)))
    for report, settings in results:
        written.add(report)
        yield (replace(report, findings=()) if report.findings else report), settings
    written.write(path)
    click.echo(f"plainspeak: wrote {written.count} problem"
               f"{'' if written.count == 1 else 's'} to {path}; later runs "
               "with --baseline report only new ones", err=True)


def stderr_is_terminal() -> bool:
    """A person is watching standard error (a progress bar would not garble a log)."""
    return _is_terminal(sys.stderr)


def stdout_is_terminal() -> bool:
    """Standard output is a screen (where lines would break up a progress bar)."""
    return _is_terminal(sys.stdout)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def _progress(files: int, show: bool) -> Iterator[Callable[[Any], None] | None]:
    """A progress bar on stderr for a person waiting on many files: yields what to call
    for each report checked (None when no bar is shown)."""
    if not show:
        yield None
        return
    with click.progressbar(length=files, label="Checking", file=sys.stderr,
                           show_pos=True) as bar:
        yield lambda _: bar.update(1)


READABILITY_EPILOG = """\b
Examples:
  plainspeak readability letter.md
  plainspeak readability --format json docs/

\b
The reading age is the UK school age at which most children could read the text.
Exit codes: 0 all files read, 2 a file could not be read or a usage error.
"""


@click.command(epilog=READABILITY_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="A table for people or JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the output to this file instead of the screen.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Use this config file instead of looking for the closest one.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching this pattern.")
@click.option("--stdin-filename", metavar="NAME",
              help="With '-': the name (and so the format) of the text on standard input.")
@handles_errors
def readability(paths: tuple[str, ...], output_format: str, output: str | None,
                config_path: str | None, exclude: tuple[str, ...],
                stdin_filename: str | None) -> None:
    """Show readability scores for each file: reading age, grade and sentence length.

    PATHS are files, folders or - for standard input; with none, the current folder.
    """
    from dataclasses import replace

    from plainspeak.cli import runner
    from plainspeak.cli.output import write_output
    from plainspeak.config import ConfigResolver

    overrides: dict[str, Any] = {"select": ("PS2",)}   # scores only: skip the glossary
    if exclude:
        from plainspeak.discover import anchor_patterns

        overrides["exclude"] = anchor_patterns(exclude, os.getcwd())
    resolver = ConfigResolver(config_path, overrides)
    plan = runner.plan(list(paths) or ["."], resolver, stdin_filename=stdin_filename)
    # Only the scores are shown: the text and findings of each file can go at once.
    reports = [replace(report, source="", sentences=(), findings=())
               for report, _ in runner.stream(plan)]
    if output_format == "json":
        from plainspeak.render import to_json

        rows = [{"path": r.path, "error": r.error,
                 "readability": r.readability.to_dict() if r.readability else None}
                for r in reports]
        write_output(to_json({"tool": "plainspeak", "files": rows}), output)
    else:
        write_output(_table(reports), output)
    sys.exit(2 if any(r.error for r in reports) else 0)


def _table(reports: list[Any]) -> str:
    from plainspeak.render.text import escape_terminal

    header = ("File", "Words", "Sentences", "Words/sentence", "Grade", "Reading age")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for r in reports:
        path = escape_terminal(r.path or "<stdin>")
        if r.error:
            notes.append(f"{path}: error: {r.error}")
            continue
        s = r.readability
        if s is None or not s.words:
            rows.append((path, "0", "0", "-", "-", "no words to score"))
            continue
        rows.append((path, str(s.words), str(s.sentences), f"{s.average_sentence_length:.1f}",
                     f"{s.flesch_kincaid_grade:.1f}", s.reading_age_words))
    if not rows:
        return "\n".join(notes or ["No files were checked."])
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    lines = []
    for row in (header, *rows):
        cells = [cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                 for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join([*lines, *notes])
