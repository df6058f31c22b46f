"""``plainspeak explain`` and ``plainspeak glossary``: look up, list, search, validate, export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from plainspeak.cli.options import handles_errors

if TYPE_CHECKING:
    from plainspeak.glossary.model import Entry, Glossary
    from plainspeak.rules import Rule

F = TypeVar("F", bound=Callable[..., Any])


def glossary_options(func: F) -> F:
    """Which glossary to use: the configured one, plus or instead of files given here."""
    decorators = [
        click.option("--glossary", "glossaries", multiple=True, type=click.Path(),
                     metavar="PATH", help="A glossary file to add. Repeat for more."),
        click.option("--no-builtin-glossary", is_flag=True,
                     help="Use only the glossaries you give, not the built-in one."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="Use this config file instead of looking for the closest one."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def load(glossaries: tuple[str, ...], no_builtin_glossary: bool,
         config_path: str | None) -> Glossary:
    """The glossary in force in the current folder, with the command line's changes."""
    import os

    from plainspeak.config import ConfigResolver
    from plainspeak.glossary.loader import load_glossary

    overrides: dict[str, Any] = {}
    if glossaries:
        overrides["glossaries"] = tuple(os.path.abspath(p) for p in glossaries)
    if no_builtin_glossary:
        overrides["builtin_glossary"] = False
    settings = ConfigResolver(config_path, overrides).for_path(".").settings
    return load_glossary(*settings.glossaries, builtin=settings.builtin_glossary,
                         disable=settings.disable)


# -- explain -------------------------------------------------------------------------
EXPLAIN_EPILOG = """\b
Examples:
  plainspeak explain "service user"
  plainspeak explain signposted        inflected forms find their entry too
  plainspeak explain PS201             a rule, by code or name (long-sentence)

\b
Exit codes: 0 found, 2 no rule or glossary entry by that name.
"""


@click.command(epilog=EXPLAIN_EPILOG)
@click.argument("term_or_code")
@glossary_options
@handles_errors
def explain(term_or_code: str, **options: Any) -> None:
    """Explain a glossary term (what it means, what to say instead) or a rule code."""
    from plainspeak.rules import rule_for

    rule = rule_for(term_or_code)
    if rule is not None:
        click.echo(_rule_text(rule))
        return
    glossary = load(**options)
    entries = glossary.find(term_or_code) or _entries_by_matching(glossary, term_or_code)
    if not entries:
        close = [e.term for e in glossary.search(term_or_code)[:5]]
        hint = f" Did you mean: {', '.join(close)}?" if close else (
            " Try plainspeak glossary search WORD.")
        from plainspeak.cli.options import fail

        fail(f"no rule or glossary entry called '{term_or_code}'.{hint}")
    click.echo("\n\n".join(_entry_text(e) for e in entries))


def _entries_by_matching(glossary: Glossary, text: str) -> list[Entry]:
    """Entries with ``text`` among their generated forms ("signposted" -> signpost).

    The forms, not a check of the word alone: context rules (a signpost on a footpath is
    not jargon) would hide an entry that a reader asking about the word wants."""
    from plainspeak.nlp.forms import entry_forms

    key = " ".join(text.split())
    return [e for e in glossary
            if (key if e.exact_case else key.lower()) in entry_forms(e)]


def _rule_text(rule: Rule) -> str:
    fixable = "can be fixed with plainspeak fix" if rule.fixable else "not fixed automatically"
    return (f"{rule.code} {rule.name} (default severity: {rule.severity.value}; {fixable})\n"
            f"\n{rule.summary}\n\nWhat to do: {rule.help}")


def _entry_text(entry: Entry) -> str:
    from plainspeak.render.text import one_line

    lines = [f"{one_line(entry.term)}  ({entry.id}, {entry.category}, "
             f"{entry.effective_severity.value})"]
    if entry.variants:
        lines.append(f"Also written: {', '.join(one_line(v) for v in entry.variants)}")
    if entry.alternatives:
        lines.append("Say instead: " + "; ".join(one_line(a) for a in entry.alternatives))
    elif entry.keep:
        lines.append("Keep this term, but explain it the first time you use it.")
    lines.append("")
    lines.append(one_line(entry.explanation))
    if entry.note:
        lines.append(f"Note: {one_line(entry.note)}")
    if entry.examples.flag:
        lines.append("")
        lines.append("Flagged in: " + " | ".join(one_line(s) for s in entry.examples.flag[:3]))
    if entry.examples.pass_:
        lines.append("Not flagged in: "
                     + " | ".join(one_line(s) for s in entry.examples.pass_[:3]))
    lines.append(f"Defined at: {entry.where}")
    return "\n".join(lines)


# -- glossary group ------------------------------------------------------------------
@click.group(epilog="""\b
Examples:
  plainspeak glossary list --category acronym
  plainspeak glossary search budget
  plainspeak glossary validate my-glossary.yaml
  plainspeak glossary export --format markdown -o jargon-buster.md
""")
def glossary() -> None:
    """Work with glossaries: list, search, validate and export the terms plainspeak knows."""


@glossary.command("validate", epilog="""\b
Examples:
  plainspeak glossary validate                    the built-in glossary
  plainspeak glossary validate team-terms.yaml    your own file(s)

\b
Exit codes: 0 no problems, 1 problems found, 2 usage error.
""")
@click.argument("paths", nargs=-1, type=click.Path())
@handles_errors
def validate_cmd(paths: tuple[str, ...]) -> None:
    """Check glossary files for mistakes: broken YAML, unknown fields, duplicate terms,
    alternatives that are jargon themselves, and examples that do not do what they say.
    With no PATHS, the built-in glossary is checked."""
    from plainspeak.glossary.validate import validate_paths

    problems = validate_paths(paths)
    for problem in problems:
        click.echo(str(problem))
    names = ", ".join(paths) if paths else "the built-in glossary"
    if problems:
        click.echo(f"Found {len(problems)} problem{'' if len(problems) == 1 else 's'} "
                   f"in {names}.", err=True)
        sys.exit(1)
    click.echo(f"No problems in {names}.", err=True)


@glossary.command("list", epilog="""\b
Examples:
  plainspeak glossary list
  plainspeak glossary list --category health
  plainspeak glossary list --format json
""")
@click.option("--category", help="Only entries in this category (social-care, health, "
                                 "officialese, acronym).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True)
@glossary_options
@handles_errors
def list_cmd(category: str | None, output_format: str, **options: Any) -> None:
    """List glossary entries: term, id and the first plainer alternative."""
    from collections import Counter

    loaded = load(**options)
    entries = [e for e in loaded if category is None or e.category == category]
    if category is not None and not entries:
        known = sorted({e.category for e in loaded})
        from plainspeak.cli.options import fail

        fail(f"no entries in category '{category}' (categories: {', '.join(known)})")
    counts = Counter(e.category for e in entries)
    if output_format == "json":
        from plainspeak.cli.output import write_output
        from plainspeak.render import to_json

        write_output(to_json({
            "total": len(entries),
            "counts": dict(sorted(counts.items())),
            "entries": [e.to_dict() for e in entries],
        }), None)
        return
    from plainspeak.render.text import one_line

    for entry in sorted(entries, key=lambda e: (e.category, e.term.lower())):
        alt = one_line(entry.alternatives[0]) if entry.alternatives else "(keep; explain it)"
        click.echo(f"{entry.category:<12} {one_line(entry.term):<34} -> {alt}   [{entry.id}]")
    summary = ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
    click.echo(f"{len(entries)} entries ({summary}).", err=True)


@glossary.command("search", epilog="""\b
Examples:
  plainspeak glossary search budget
  plainspeak glossary search "mental health"
""")
@click.argument("word")
@glossary_options
@handles_errors
def search_cmd(word: str, **options: Any) -> None:
    """Find entries that mention WORD in their term, alternatives or explanation.
    Exits 1 when nothing matches."""
    from plainspeak.render.text import one_line

    found = load(**options).search(word)
    for entry in found:
        alt = one_line(entry.alternatives[0]) if entry.alternatives else "(keep; explain it)"
        click.echo(f"{one_line(entry.term)} -> {alt}   [{entry.id}]")
    if not found:
        click.echo(f"No glossary entry mentions '{word}'.", err=True)
        sys.exit(1)


@glossary.command("export", epilog="""\b
Examples:
  plainspeak glossary export --format markdown -o jargon-buster.md
  plainspeak glossary export --format csv > glossary.csv
""")
@click.option("--format", "output_format", type=click.Choice(["markdown", "csv", "json"]),
              default="markdown", show_default=True,
              help="markdown is a readable A to Z jargon buster.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of the screen.")
@glossary_options
@handles_errors
def export_cmd(output_format: str, output: str | None, **options: Any) -> None:
    """Export the glossary as a Markdown A to Z, CSV or JSON."""
    from plainspeak.cli.output import write_output
    from plainspeak.glossary.export import export

    text = export(load(**options), output_format)
    write_output(text.rstrip("\n"), output)
