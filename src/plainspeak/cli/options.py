"""Options shared by several commands, and the one place errors become exit code 2.

Kept free of heavy imports: these decorators run when ``plainspeak --help`` builds the
command tree.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
NO_CACHE = "PLAINSPEAK_NO_CACHE"   # read by plainspeak.cache


def fail(message: str) -> None:
    """Print a one-line message for a writer and stop with exit code 2."""
    click.echo(f"plainspeak: {message}", err=True)
    sys.exit(EXIT_ERROR)


def handles_errors(func: F) -> F:
    """Turn plainspeak's own errors into one line on stderr and exit code 2, never a
    traceback; a closed pipe (``plainspeak check | head``) ends quietly."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from plainspeak.errors import PlainspeakError

        try:
            return func(*args, **kwargs)
        except PlainspeakError as error:
            fail(" ".join(str(error).split("\n")))
        except BrokenPipeError:
            # Point stdout at devnull so the interpreter's final flush does not complain.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("plainspeak: stopped", err=True)
            sys.exit(130)
        return None

    return wrapper  # type: ignore[return-value]


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeatable options that also take comma-separated lists: ``--select PS1,PS2``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _no_cache(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--no-cache``: the engine reads PLAINSPEAK_NO_CACHE (so worker processes see it
    too); it is set for this command only and put back when the command ends."""
    if not value:
        return
    before = os.environ.get(NO_CACHE)
    os.environ[NO_CACHE] = "1"

    def restore() -> None:
        if before is None:
            os.environ.pop(NO_CACHE, None)
        else:
            os.environ[NO_CACHE] = before

    ctx.call_on_close(restore)


def settings_options(func: F) -> F:
    """Options that change what is checked; each overrides the config file's value."""
    decorators = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="Use this config file for every file instead of looking for the "
                          "closest .plainspeak.toml or pyproject.toml."),
        click.option("--glossary", "glossaries", multiple=True, type=click.Path(),
                     metavar="PATH",
                     help="A glossary file that adds to (and overrides) the built-in one. "
                          "Repeat for more."),
        click.option("--no-builtin-glossary", is_flag=True, default=None,
                     help="Use only the glossaries you give, not the built-in one."),
        click.option("--select", multiple=True, metavar="CODES",
                     help="Only these rules: codes, prefixes or names (PS1, long-sentence)."),
        click.option("--ignore", multiple=True, metavar="CODES",
                     help="Skip these rules or glossary ids (PS202, care-package)."),
        click.option("--max-grade", type=click.FloatRange(min=0, min_open=True), metavar="N",
                     help="Flag sentences with a reading grade above this (default 12)."),
        click.option("--max-sentence-words", type=click.IntRange(min=1), metavar="N",
                     help="Flag sentences longer than this many words (default 25)."),
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Skip files and folders matching this gitignore-style pattern. "
                          "Repeat for more."),
        click.option("--no-cache", is_flag=True, expose_value=False, callback=_no_cache,
                     help="Compile the glossary afresh and keep nothing in the glossary "
                          "cache (~/.cache/plainspeak; PLAINSPEAK_CACHE_DIR moves it, "
                          "PLAINSPEAK_NO_CACHE=1 turns it off)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def overrides_from(options: dict[str, Any]) -> dict[str, Any]:
    """The Settings fields the command line sets; anything not given stays as configured."""
    from plainspeak.discover import anchor_patterns

    out: dict[str, Any] = {}
    if options.get("glossaries"):
        out["glossaries"] = tuple(os.path.abspath(p) for p in options["glossaries"])
    if options.get("no_builtin_glossary"):
        out["builtin_glossary"] = False
    if options.get("select"):
        from plainspeak.config import unknown_selectors

        out["select"] = _split(options["select"])
        unknown = unknown_selectors(out["select"])
        if unknown:
            from plainspeak.rules import RULES

            rules = ", ".join(f"{r.code} {r.name}" for r in RULES.values())
            raise click.BadParameter(f"no rule called '{unknown[0]}' (rules: {rules})",
                                     param_hint="'--select'")
    if options.get("ignore"):
        out["ignore"] = _split(options["ignore"])
    if options.get("max_grade") is not None:
        out["max_grade"] = float(options["max_grade"])
    if options.get("max_sentence_words") is not None:
        out["max_sentence_words"] = options["max_sentence_words"]
    if options.get("exclude"):
        out["exclude"] = anchor_patterns(options["exclude"], os.getcwd())
    if options.get("fail_on"):
        out["fail_on"] = options["fail_on"]
    if options.get("report_unused_suppressions"):
        out["report_unused_suppressions"] = True
    return out
