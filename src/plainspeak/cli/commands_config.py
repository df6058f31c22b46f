"""``plainspeak config``: the settings in force for a path, and where each one came from."""

from __future__ import annotations

from typing import Any

import click

from plainspeak.cli.options import handles_errors

CONFIG_EPILOG = """\b
Examples:
  plainspeak config                  settings for the current folder
  plainspeak config docs/letter.md   settings used for one file
  plainspeak config --format json

\b
plainspeak reads the closest .plainspeak.toml, or [tool.plainspeak] in pyproject.toml,
walking up from each checked file; "extend = 'path'" inherits from another file.
Exit codes: 0 the config is valid, 2 it has an error.
"""


@click.command(epilog=CONFIG_EPILOG)
@click.argument("path", required=False, type=click.Path(readable=False))
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Show this config file's settings instead of the closest one's.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="TOML-like text or JSON.")
@handles_errors
def config(path: str | None, config_path: str | None, output_format: str) -> None:
    """Show the settings in force for PATH (default: the current folder) and where each
    came from: a config file or the default."""
    from plainspeak.config import ConfigResolver

    resolver = ConfigResolver(config_path)
    loaded = resolver.for_path(path or ".")
    values = _values(loaded.settings)
    if output_format == "json":
        from plainspeak.cli.output import write_output
        from plainspeak.render import to_json

        write_output(to_json({
            "config_file": str(loaded.path) if loaded.path else None,
            "extends": [str(p) for p in loaded.chain[1:]],
            "settings": values,
            "sources": dict(sorted(loaded.sources.items())),
        }), None)
        return
    if loaded.path is None:
        click.echo("# No config file found; these are the defaults.")
    else:
        click.echo(f"# Config file: {loaded.path}")
        for extended in loaded.chain[1:]:
            click.echo(f"# which extends: {extended}")
    width = max(len(k) for k in values)
    lines = [(f"{key.replace('_', '-'):<{width}} = {_toml(value)}", loaded.sources[key])
             for key, value in values.items()]
    column = min(max(len(text) for text, _ in lines), width + 30)
    for text, source in lines:
        click.echo(f"{text:<{column}}  # {source}")


def _values(settings: Any) -> dict[str, Any]:
    from dataclasses import fields

    out: dict[str, Any] = {}
    for field in fields(settings):
        value = getattr(settings, field.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            value = {k: (v.value if hasattr(v, "value") else list(v) if isinstance(v, tuple)
                         else v) for k, v in value.items()}
        out[field.name] = value
    return out


def _toml(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
