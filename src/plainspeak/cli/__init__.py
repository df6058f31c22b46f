"""The ``plainspeak`` command: a thin click shell over the library.

The CLI adds file discovery, configuration, rendering and exit codes; everything else is
the library's.  Only click is imported here: spaCy, the engine and the renderers load
inside the commands that need them, so ``--help`` and ``--version`` return at once
(this runs as a pre-commit hook).
"""

from __future__ import annotations

import gc
import importlib

import click

from plainspeak._version import __version__

__all__ = ["cli", "main"]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# Each command's module, imported when the command runs or --help lists it: defining the
# commands' options costs as much as importing click, and --version needs none of them.
COMMANDS = {
    "check": "plainspeak.cli.commands_check:check",
    "fix": "plainspeak.cli.commands_fix:fix",
    "readability": "plainspeak.cli.commands_check:readability",
    "explain": "plainspeak.cli.commands_glossary:explain",
    "glossary": "plainspeak.cli.commands_glossary:glossary",
    "config": "plainspeak.cli.commands_config:config",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented pattern
    for lazily loaded subcommands)."""

    def __init__(self, *args: object, lazy: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, name = self.lazy[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings=CONTEXT_SETTINGS,
             epilog="""\b
Examples:
  plainspeak check docs/              check every supported file under docs/
  plainspeak fix --diff letter.md     show the plainer words it would use
  plainspeak explain "care package"   what a term means and what to say instead
  plainspeak glossary export --format markdown -o jargon-buster.md

\b
Exit codes:
  0  no problem at or above --fail-on (default: warning); fix changed nothing
  1  problems at or above --fail-on; fix changed files
  2  usage, configuration, glossary or input error (such as a file that cannot be read)
""")
@click.version_option(__version__, "-V", "--version", prog_name="plainspeak",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Find jargon in social care writing, suggest plainer words and score how hard a
    text is to read.

    Checks plain text, Markdown, HTML and Word files.  Run "plainspeak COMMAND --help"
    for the options of each command.
    """


def main() -> None:
    """Entry point of the ``plainspeak`` script and ``python -m plainspeak``."""
    try:
        cli(prog_name="plainspeak")
    finally:
        # Python's last garbage collection at exit walks every object still alive
        # (spaCy's vocabulary, the glossary, the word caches): 0.2 s after checking a
        # big site.  Frozen objects are skipped by it; they are still freed, and exit
        # handlers still run.
        gc.freeze()
