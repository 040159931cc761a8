"""``repoagent audit PATH``: a pre-release report of what changed since the last tag.

One run produces one :class:`~repoagent.audit.AuditReport`; every format is rendered from it
(``terminal``, the default on a terminal, is the Markdown drawn by rich).
Several formats at once (``--format html,markdown,json,sarif -o DIR_OR_STEM``) share that one
run, and ``--from FILE.json`` renders a saved audit again without running anything.
Exit codes: 0 done; 1 the risk is at or above ``--fail-on``; 2 bad input; 3 the model endpoint
failed (every report is still written, the deterministic sections complete).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from repoagent.cli.options import (
    budget_options,
    model_options,
    require_work_tree,
    settings_from_cli,
    verification_options,
)
from repoagent.errors import ConfigError

FORMATS = ("html", "markdown", "json", "sarif", "terminal")
_BY_SUFFIX = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".json": "json",
    ".sarif": "sarif",
}


def _archive(report: Any) -> Path:
    """Keep the run's JSON under REPOAGENT_HOME/audits, so any format can be rendered later."""
    from repoagent.audit import render_audit
    from repoagent.home import state_path

    run = report.review.run_id if report.review and report.review.run_id else ""
    stamp = run or time.strftime("%Y%m%d-%H%M%S")
    path = state_path("audits", f"{stamp}-{report.revision[:12]}.json")
    path.write_text(render_audit(report, "json"), encoding="utf-8")
    return path


def _formats(value: tuple[str, ...], output: Path | None) -> list[str]:
    """Formats from repeated / comma-separated ``--format``, else from ``-o``'s suffix."""
    names = [n.strip() for v in value for n in v.split(",") if n.strip()]
    if not names:
        default = "terminal" if sys.stdout.isatty() else "markdown"
        names = [_BY_SUFFIX.get(output.suffix.lower(), "html") if output else default]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ConfigError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    if "terminal" in names and output is not None:
        raise ConfigError("the terminal format is for the screen; write markdown or html with -o")
    return list(dict.fromkeys(names))


def _targets(formats: list[str], output: Path | None) -> dict[str, Path | None]:
    """Where each format goes: stdout (one format, no ``-o``), ``-o FILE``; for several formats
    ``-o DIR`` (``DIR/audit.html`` …) or ``-o NAME.EXT`` (``NAME.html``, ``NAME.md`` …)."""
    from repoagent.audit.render import SUFFIXES

    if len(formats) == 1:
        if output is not None and (output.is_dir() or str(output).endswith(("/", "\\"))):
            return {formats[0]: output / f"audit{SUFFIXES.get(formats[0], '.txt')}"}
        return {formats[0]: output}
    if output is None:
        raise ConfigError("several formats need -o DIR (or -o STEM) to write them to")
    if output.is_dir() or not output.suffix:
        return {f: output / f"audit{SUFFIXES[f]}" for f in formats}
    return {f: output.with_suffix(SUFFIXES[f]) for f in formats}


def _check_writable(target: Path | None) -> None:
    """Fail before the audit (and its model calls) when a report could not be written."""
    if target is None:
        return
    if target.is_dir():
        raise ConfigError(f"-o {target} is a directory; name a file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the directory of {target}: {exc.strerror}: {exc.filename}"
        ) from None
    if not os.access(target.parent, os.W_OK):
        raise ConfigError(f"cannot write {target}: its directory is not writable")


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option(
    "--since", metavar="REF", help="Start of the audit (default: the latest tag before --rev)."
)
@click.option(
    "--rev", default="HEAD", show_default=True, metavar="REV", help="The revision to audit."
)
@click.option(
    "--format",
    "fmt",
    multiple=True,
    metavar="FORMAT",
    help="html, markdown, json, sarif or terminal (default on a terminal; markdown when piped); "
    "repeat or comma-separate for several from one run.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write here: a FILE; for several formats a DIR, or NAME.EXT (suffix replaced per format).",
)
@click.option(
    "--from",
    "from_json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Render a saved JSON audit instead of running one.",
)
@click.option(
    "--review/--no-review",
    default=True,
    show_default=True,
    help="Run the model review of the changes.",
)
@click.option(
    "--lang", metavar="LANGUAGE", help="Write the review's explanations in this language."
)
@click.option(
    "--fail-on",
    type=click.Choice(["medium", "high", "critical"], case_sensitive=False),
    help="Exit 1 when the risk is at least this.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@model_options
@budget_options
@verification_options
def audit(
    path: Path,
    since: str | None,
    rev: str,
    fmt: tuple[str, ...],
    output: Path | None,
    from_json: Path | None,
    review: bool,
    lang: str | None,
    fail_on: str | None,
    quiet: bool,
) -> None:
    """Audit PATH before a release: what changed since the last tag, and what is risky in it."""
    from repoagent.audit import AuditOptions, load_audit, render_audit, run_audit
    from repoagent.audit.model import RISK_LEVELS

    formats = _formats(fmt, output)
    targets = _targets(formats, output)
    for target in targets.values():
        _check_writable(target)
    console = Console(stderr=True, highlight=False, quiet=quiet)
    if from_json is not None:
        report = load_audit(from_json)
    else:
        require_work_tree(path, "audit")
        settings = settings_from_cli(path)
        report = run_audit(
            AuditOptions(
                path=path,
                rev=rev,
                since=since,
                review=review,
                run_tests=bool(settings.run_tests),
                lang=lang,
                review_options={
                    "settings": settings,
                    "progress": lambda msg: console.print(f"[dim]·[/dim] {msg}", highlight=False),
                },
            ),
            progress=lambda msg: console.print(f"[dim]·[/dim] {msg}", highlight=False),
        )
        saved = _archive(report)
        console.print(f"repoagent: audit saved to {saved} (render it again with --from)")
    for name, target in targets.items():
        if name == "terminal":
            from rich.markdown import Markdown

            Console().print(Markdown(render_audit(report, "markdown")))
            continue
        text = render_audit(report, name)
        if target is None:
            click.echo(text, nl=False)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            console.print(f"repoagent: {name} audit written to {target}")
    if report.review_note:
        console.print(f"repoagent: note: {report.review_note}")
    if report.model_failed and from_json is None:
        click.echo(
            "repoagent: error: the model endpoint failed; the review part is partial", err=True
        )
        raise SystemExit(3)
    if fail_on and RISK_LEVELS.index(report.risk) >= RISK_LEVELS.index(fail_on):
        raise SystemExit(1)
