"""The ``plainspeak`` command: a thin click shell over the library.

The CLI adds file discovery, configuration, rendering and exit codes; everything else is
the library's.  Only click is imported here: spaCy, the engine and the renderers load
inside the commands that need them, so ``--help`` and ``--version`` return at once
(this runs as a pre-commit hook).
"""

from __future__ import annotations

import click

from plainspeak._version import __version__
from plainspeak.cli.commands_check import check, readability
from plainspeak.cli.commands_config import config
from plainspeak.cli.commands_fix import fix
from plainspeak.cli.commands_glossary import explain, glossary

__all__ = ["cli", "main"]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS, epilog="""\b
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


cli.add_command(check)
cli.add_command(fix)
cli.add_command(readability)
cli.add_command(explain)
cli.add_command(glossary)
cli.add_command(config)


def main() -> None:
    """Entry point of the ``plainspeak`` script and ``python -m plainspeak``."""
    cli(prog_name="plainspeak")
