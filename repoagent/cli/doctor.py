"""``repoagent doctor``: check the configured model endpoints and say what to fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from repoagent.cli.options import model_options, settings_from_cli
from repoagent.config import Settings
from repoagent.llm.doctor import RoleDiagnosis, diagnose

_MARKS = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}


@click.command()
@click.argument(
    "path",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@model_options
@click.option("--json", "as_json", is_flag=True, help="Print the diagnosis as JSON.")
@click.option(
    "--show-config", is_flag=True, help="Print every resolved setting and where it came from."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds to wait for each probe.",
)
def doctor(path: Path | None, as_json: bool, show_config: bool, timeout: float) -> None:
    """Check each model role: endpoint reachable, model listed, chat and tool calls work.

    PATH is the repository whose configuration to read (default: the current directory).
    Exits 3 if a role is unusable.
    """
    settings = settings_from_cli(path or Path.cwd())
    if show_config:
        click.echo(_render_settings(settings))
    results = diagnose(settings, timeout=timeout)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        for result in results:
            click.echo(_render(result))
    if not all(r.usable for r in results):
        unusable = ", ".join(r.role for r in results if not r.usable)
        click.echo(f"repoagent: error: unusable role(s): {unusable}", err=True)
        raise click.exceptions.Exit(3)


def _render(result: RoleDiagnosis) -> str:
    lines = [f"{result.role}: {result.model} at {result.base_url}"]
    lines += [f"  [{_MARKS[c.status]}] {c.what}" for c in result.checks]
    if result.context_window:
        lines.append(
            f"  context window: {result.context_window:,} tokens ({result.context_source})"
        )
    lines.append(f"  => {'usable' if result.usable else 'UNUSABLE'}")
    return "\n".join(lines)


def _render_settings(settings: Settings) -> str:
    origins = settings.origins
    lines = ["settings (value  <- origin):"]
    for key, value in _flatten(settings.model_dump()).items():
        lines.append(f"  {key} = {json.dumps(value)}  <- {origins.get(key, 'defaults')}")
    return "\n".join(lines)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
