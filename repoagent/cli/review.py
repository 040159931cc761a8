"""``repoagent review PATH``: the review pipeline from the command line.

Exit codes: 0 done; 1 a finding at or above ``--fail-on``; 2 bad usage or input; 3 the model
endpoint was unusable (the partial report is still written). Progress goes to stderr; the
report to stdout or ``-o FILE``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from repoagent.findings.model import SEVERITIES, Report, severity_rank

FORMATS = ("terminal", "markdown", "json", "sarif", "html")


def _progress(console: Console) -> Any:
    def say(message: str) -> None:
        console.print(f"[dim]·[/dim] {message}", highlight=False, markup=True, soft_wrap=True)

    return say


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option("--base", metavar="REV", help="Review the changes since the merge base with REV.")
@click.option("--rev", default="HEAD", show_default=True, help="Revision to review.")
@click.option(
    "--worktree", is_flag=True, help="Review the working tree, uncommitted changes included."
)
@click.option(
    "--focus", multiple=True, metavar="PATH", help="Concentrate on these paths (repeatable)."
)
@click.option("--query", metavar="TEXT", help="What the review should look at in particular.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="terminal", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here."
)
@click.option(
    "--run-tests/--no-run-tests", default=None, help="Run the tests to verify proposed fixes."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Exit 1 when a finding has this severity or worse.",
)
@click.option("--max-turns", type=click.IntRange(min=1), help="Model calls for the whole run.")
@click.option(
    "--max-tokens", type=click.IntRange(min=1), help="Prompt + completion tokens for the run."
)
@click.option(
    "--max-cost", type=click.FloatRange(min=0), help="Cost for the run, in configured price units."
)
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), help="Wall-clock seconds for the run."
)
@click.option("--concurrency", type=click.IntRange(1, 64), help="Candidates investigated at once.")
@click.option("--resume", "resume", metavar="RUN_ID", help="Continue an interrupted run.")
@click.option("--lang", metavar="LANGUAGE", help="Write the explanations in this language.")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress on stderr (the run id is still printed)."
)
def review(
    path: Path,
    base: str | None,
    rev: str,
    worktree: bool,
    focus: tuple[str, ...],
    query: str | None,
    fmt: str,
    output: Path | None,
    run_tests: bool | None,
    fail_on: str | None,
    max_turns: int | None,
    max_tokens: int | None,
    max_cost: float | None,
    timeout: float | None,
    concurrency: int | None,
    resume: str | None,
    lang: str | None,
    quiet: bool,
    **model_flags: Any,
) -> None:
    """Review the repository at PATH: scout, investigate with tools, verify, report."""
    from repoagent.agent import ReviewOptions, run_review
    from repoagent.agent.runs import new_run_id
    from repoagent.config import load_settings

    overrides = {
        "run_tests": run_tests,
        "max_turns": max_turns,
        "max_tokens": max_tokens,
        "max_cost": max_cost,
        "timeout": timeout,
        "concurrency": concurrency,
        **_model_overrides(model_flags),
    }
    settings = load_settings(path, overrides)
    console = Console(stderr=True, highlight=False)
    run_id = resume or new_run_id()
    verb = "resuming" if resume else "run"
    console.print(
        f"repoagent: {verb} {run_id} (continue it with --resume {run_id})", highlight=False
    )
    options = ReviewOptions(
        path=path,
        rev=rev,
        base=base,
        worktree=worktree,
        focus=focus,
        query=query,
        settings=settings,
        run_tests=settings.run_tests,
        lang=lang,
        resume=resume,
        run_id=None if resume else run_id,
        progress=None if quiet else _progress(console),
    )
    report = run_review(options)
    _write(report, fmt, output)
    if report.stopped_by == "provider-error":
        console.print("repoagent: error: the model endpoint failed; the report above is partial")
        sys.exit(3)
    if fail_on and any(
        severity_rank(f.severity) <= severity_rank(fail_on) for f in report.findings
    ):
        sys.exit(1)


def _write(report: Report, fmt: str, output: Path | None) -> None:
    from repoagent.report import print_report, render_report

    if output is not None:
        output.write_text(render_report(report, fmt), encoding="utf-8")
        click.echo(f"repoagent: report written to {output}", err=True)
    elif fmt == "terminal":
        print_report(report, Console())
    else:
        click.echo(render_report(report, fmt), nl=False)


def _model_overrides(flags: dict[str, Any]) -> dict[str, Any]:
    """Turn the shared model flags into ``load_settings`` overrides."""
    from repoagent.cli import options as model_options

    return dict(model_options.settings_overrides(flags))
