"""``plainspeak fix``: replace jargon with plainer words in place, show a diff, or ask each time."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from plainspeak.cli.options import handles_errors, overrides_from, settings_options

if TYPE_CHECKING:
    from plainspeak.fix import FilePlan
    from plainspeak.glossary.model import Glossary
    from plainspeak.models import Finding

FIX_EPILOG = """\b
Examples:
  plainspeak fix letter.md              use the plainer words marked safe
  plainspeak fix --diff docs/           show what would change; write nothing
  plainspeak fix --unsafe letter.md     also use suggestions a person should check
  plainspeak fix --interactive docs/    choose the words for each finding
  plainspeak fix - < draft.md > plain.md  fix standard input, print the result

\b
Exit codes:
  0  nothing needed fixing
  1  files were changed (or, with --diff, would be changed)
  2  usage, configuration, glossary or input error, or a file changed while it was
     being fixed
"""


@click.command(epilog=FIX_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--diff", is_flag=True, help="Print a unified diff of the changes; write nothing.")
@click.option("-i", "--interactive", is_flag=True,
              help="Ask, finding by finding, which words to use or whether to skip it "
                   "(every suggestion, not only the safe ones).")
@click.option("--unsafe", is_flag=True,
              help="Also apply suggestions not marked safe (check the result reads well).")
@settings_options
@click.option("--stdin-filename", metavar="NAME",
              help="With '-': the name (and so the format) of the text on standard input.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handles_errors
def fix(paths: tuple[str, ...], diff: bool, interactive: bool, unsafe: bool, quiet: bool,
        stdin_filename: str | None, **options: Any) -> None:
    """Replace jargon with plainer words in files, changing only the words themselves.

    Only suggestions marked safe are used unless you add --unsafe.  Each file keeps its
    encoding, line endings and everything not matched; Word files are edited in place.
    With no PATHS, the current folder is fixed.
    """
    from plainspeak.cli import runner
    from plainspeak.config import ConfigResolver
    from plainspeak.errors import FixConflictError, InputError

    resolver = ConfigResolver(options.pop("config_path"), overrides_from(options))
    if "-" in paths:
        if len(paths) > 1 or diff or interactive:
            raise click.UsageError("'-' (standard input) must be the only path, without "
                                   "--diff or --interactive")
        sys.exit(_fix_stdin(resolver, unsafe=unsafe, stdin_filename=stdin_filename))
    plan = runner.plan(list(paths) or ["."], resolver)
    runner.prepare(plan.settings)
    chooser = _Chooser() if interactive else None
    changed = errors = fixed = left = 0
    for target in plan.targets:
        if chooser is not None and chooser.stopped:
            break
        checker = runner.checker_for(target.key)
        if chooser is not None:
            chooser.glossary = checker.glossary
            chooser.chosen.clear()
        try:
            # A person choosing each time can judge the suggestions not marked safe too.
            file_plan = runner_plan_file(checker, target.path,
                                         unsafe=unsafe or interactive, choose=chooser)
        except InputError as error:
            _say_error(target.path, str(error))
            errors += 1
            continue
        left += _unfixed(file_plan)
        reason = getattr(file_plan, "manual_reason", "it spans formatting")
        for finding in file_plan.manual:
            click.echo(f"{file_plan.path}:{finding.line}:{finding.column}: "
                       f"'{finding.text}' was not changed because {reason}; "
                       "change it by hand", err=True)
        if file_plan.new is None:
            continue
        if diff:
            _echo_diff(file_plan)
            changed += 1
            fixed += len(file_plan.applied)
            continue
        from plainspeak.fileio import write_atomic

        try:
            write_atomic(file_plan.path, file_plan.new, original=file_plan.original,
                         mode=file_plan.mode)
        except (FixConflictError, InputError) as error:
            _say_error(target.path, str(error))
            errors += 1
            continue
        changed += 1
        fixed += len(file_plan.applied)
        if not quiet:
            click.echo(_changed_line(file_plan, chooser.chosen if chooser else {}))
    if not quiet:
        click.echo(_summary(changed, fixed, left, errors, diff), err=True)
    sys.exit(2 if errors else 1 if changed else 0)


def _fix_stdin(resolver: Any, *, unsafe: bool, stdin_filename: str | None) -> int:
    """Fixed text on standard output, for editors: always the whole text, changed or not."""
    from plainspeak.cli import runner
    from plainspeak.errors import InputError
    from plainspeak.fix import apply_edits, plan_edits
    from plainspeak.formats import format_for_path, read_bytes
    from plainspeak.formats.encoding import encode

    fmt = format_for_path(stdin_filename or "-") or "text"
    if fmt == "docx":
        raise InputError("fix cannot read a Word document from standard input; "
                         "give the file's path")
    data = sys.stdin.buffer.read()
    if not data:
        return 0
    plan = runner.plan(["-"], resolver, stdin_filename=stdin_filename)
    runner.prepare(plan.settings)
    checker = runner.checker_for(plan.targets[0].key)
    document = read_bytes(data, format=fmt, path=stdin_filename,
                          front_matter_fields=checker.settings.front_matter_fields)
    edits = plan_edits(checker.check_document(document), unsafe=unsafe)
    new = encode(apply_edits(document.source, edits), document.encoding, document.bom)
    sys.stdout.flush()
    sys.stdout.buffer.write(new)
    sys.stdout.buffer.flush()
    return 1 if new != data else 0


def runner_plan_file(checker: Any, path: str, *, unsafe: bool,
                     choose: Any) -> FilePlan:
    from plainspeak.errors import InputError
    from plainspeak.fix import plan_file_fix

    try:
        return plan_file_fix(checker, path, unsafe=unsafe, choose=choose)
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror or error})") from None


def _say_error(path: str, message: str) -> None:
    text = message if message.startswith(path) else f"{path}: {message}"
    click.echo(f"plainspeak: {' '.join(text.split())}", err=True)


def _unfixed(plan: FilePlan) -> int:
    done = {(f.start, f.end) for f in plan.applied}
    return sum(1 for f in plan.report.findings if (f.start, f.end) not in done)


def _changed_line(plan: FilePlan, chosen: dict[tuple[int, int], str]) -> str:
    from plainspeak.render.text import one_line

    swaps: list[str] = []
    for f in plan.applied:
        new = chosen.get((f.start, f.end)) or (f.fix.replacement if f.fix else "")
        swaps.append(f"'{one_line(f.text)}' -> '{one_line(new)}'")
    shown = ", ".join(swaps[:5]) + (f" and {len(swaps) - 5} more" if len(swaps) > 5 else "")
    count = len(plan.applied)
    return f"Fixed {plan.path}: {count} change{'' if count == 1 else 's'} ({shown})"


def _echo_diff(plan: FilePlan) -> None:
    import difflib

    from plainspeak.formats import format_for_path

    if plan.new is None:
        return
    if format_for_path(plan.path) == "docx":
        for f in plan.applied:
            new = f.fix.replacement if f.fix else ""
            click.echo(f"{plan.path}:{f.line}:{f.column}: '{f.text}' -> '{new}'")
        return
    old_text = plan.report.source
    new_text = _decode_like(plan)
    name = plan.path.replace(os.sep, "/")
    lines = difflib.unified_diff(old_text.splitlines(keepends=True),
                                 new_text.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    for line in lines:
        click.echo(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n",
                   nl=False)


def _decode_like(plan: FilePlan) -> str:
    """The fixed text, read back through the same reader as the original."""
    from plainspeak.formats import format_for_path, read_bytes

    assert plan.new is not None
    document = read_bytes(plan.new, format=format_for_path(plan.path) or "text",
                          path=plan.path)
    return document.source


def _summary(changed: int, fixed: int, left: int, errors: int, diff: bool) -> str:
    files = f"{changed} file{'' if changed == 1 else 's'}"
    problems = f"{fixed} problem{'' if fixed == 1 else 's'}"
    if diff:
        head = f"Would fix {problems} in {files}." if changed else "Nothing to fix."
    else:
        head = f"Fixed {problems} in {files}." if changed else "Nothing to fix."
    rest = ""
    if left:
        rest += (f" {left} other problem{'' if left == 1 else 's'} need{'s' if left == 1 else ''}"
                 " a person to choose the words (see plainspeak check, or use --unsafe or"
                 " --interactive).")
    if errors:
        rest += f" {errors} file{'' if errors == 1 else 's'} could not be fixed."
    return head + rest


class _Chooser:
    """Asks which words to use for each finding, like ``codespell -i``."""

    def __init__(self) -> None:
        self.stopped = False
        self.glossary: Glossary | None = None
        self.chosen: dict[tuple[int, int], str] = {}   # span -> words picked, this file

    def _options(self, finding: Finding, given: tuple[str, ...]) -> tuple[str, ...]:
        """Every alternative in the written form and case ("Service users" -> "People
        who use services"); ones that cannot be put in that form are left out."""
        from plainspeak.fix import match_case, replacements

        entry = self.glossary.get(finding.entry_id) if (
            self.glossary is not None and finding.entry_id) else None
        fitted = replacements(entry, finding.text) if entry is not None else ()
        # then the rest as written in the glossary: a person may still want one of them
        raw = tuple(match_case(finding.text, a) for a in given[1:])
        out: dict[str, str] = {}
        for option in (*given[:1], *fitted, *raw):
            out.setdefault(option.lower(), option)
        return tuple(out.values())

    def __call__(self, finding: Finding, given: tuple[str, ...]) -> str | None:
        from plainspeak.render.text import one_line

        if self.stopped:
            return None
        options = self._options(finding, given)
        click.echo(f"\n{finding.line}:{finding.column}: {one_line(finding.message)}",
                   err=True)
        if finding.sentence:
            click.echo(f"    {one_line(finding.sentence)}", err=True)
        for number, option in enumerate(options, start=1):
            click.echo(f"  {number}) {one_line(option)}", err=True)
        click.echo("  s) skip this one    q) skip the rest", err=True)
        valid = [str(n) for n in range(1, len(options) + 1)] + ["s", "q"]
        try:
            answer = click.prompt("Use which?", type=click.Choice(valid), default="1",
                                  show_choices=False, err=True)
        except click.Abort:   # end of input (or Ctrl-D): keep what was chosen so far
            answer = "q"
        if answer == "q":
            self.stopped = True
            return None
        if answer == "s":
            return None
        self.chosen[(finding.start, finding.end)] = options[int(answer) - 1]
        return options[int(answer) - 1]
