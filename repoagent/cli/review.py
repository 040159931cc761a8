"""``repoagent review PATH``: the review pipeline from the command line.

Exit codes: 0 done; 1 a finding at or above ``--fail-on``; 2 bad usage or input; 3 the model
endpoint was unusable (the partial report is still written). Progress goes to stderr; the
report to stdout or ``-o FILE``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from repoagent.cli.options import (
    budget_options,
    model_options,
    require_work_tree,
    settings_from_cli,
    verification_options,
)
from repoagent.findings.model import SEVERITIES, Report, severity_rank

FORMATS = ("terminal", "markdown", "json", "sarif", "html")


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
@click.option(
    "--query",
    metavar="TEXT|@FILE",
    help="What the review should look at in particular (@FILE: read it from a file).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="terminal", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Exit 1 when a finding has this severity or worse.",
)
@click.option(
    "--max-candidates",
    type=click.IntRange(1, 100),
    default=12,
    show_default=True,
    help="Candidates from the scout that are investigated.",
)
@click.option("--resume", metavar="RUN_ID", help="Continue an interrupted run.")
@click.option("--lang", metavar="LANGUAGE", help="Write the explanations in this language.")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress on stderr (the run id is still printed)."
)
@model_options
@budget_options
@verification_options
def review(
    path: Path,
    base: str | None,
    rev: str,
    worktree: bool,
    focus: tuple[str, ...],
    query: str | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    max_candidates: int,
    resume: str | None,
    lang: str | None,
    quiet: bool,
) -> None:
    """Review the repository at PATH: scout, investigate with tools, verify, report."""
    from repoagent.agent import ReviewOptions, run_review
    from repoagent.agent.runs import new_run_id, saved_request

    ctx = click.get_current_context()
    if worktree and rev != "HEAD":
        raise click.UsageError(
            "--worktree reviews the files on disk; it cannot be combined with --rev"
        )
    if resume and ctx.get_parameter_source("path") is click.core.ParameterSource.DEFAULT:
        path = Path(saved_request(resume)["path"])  # `review --resume ID` from anywhere
    settings = settings_from_cli(path)
    if not resume:
        from repoagent.cli.pack import path_in_repository

        require_work_tree(path, "review")
        inside = path_in_repository(path)
        if inside:
            focus = (*focus, inside)
            click.echo(
                f"repoagent: note: the whole repository is reviewed; {inside} comes first "
                "(--focus)",
                err=True,
            )
    if query is not None:
        from repoagent.cli.pack import read_query

        query = read_query(query)
    if output is not None:
        _prepare_output(output)  # before the run: a long review must not end in "cannot write"
    console = Console(stderr=True, highlight=False)
    run_id = resume or new_run_id()
    verb = "resuming run" if resume else "run"
    console.print(
        f"repoagent: {verb} {run_id} (continue it with --resume {run_id})", soft_wrap=True
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
        max_candidates=max_candidates,
        resume=resume,
        run_id=None if resume else run_id,
        progress=None if quiet else _progress(console),
    )
    try:
        with _retries_shown(None if quiet else console):
            report = run_review(options)
    except KeyboardInterrupt:
        console.print(
            f"repoagent: interrupted; continue the run with --resume {run_id}", soft_wrap=True
        )
        raise
    _write(report, fmt, output)
    if not quiet:
        from repoagent.agent.runs import run_dir

        trajectory = run_dir(report.run_id) / "trajectory.jsonl"
        console.print(f"repoagent: every model request and reply: {trajectory}", soft_wrap=True)
    if report.stopped_by == "provider-error":
        console.print(
            "repoagent: error: the model endpoint failed; the report is partial", soft_wrap=True
        )
        sys.exit(3)
    if fail_on and any(
        severity_rank(f.severity) <= severity_rank(fail_on) for f in report.findings
    ):
        sys.exit(1)


@contextmanager
def _retries_shown(console: Console | None) -> Iterator[None]:
    """Say on stderr when a model request is retried (a 429 wait is otherwise silent)."""
    if console is None:
        yield
        return
    say = _progress(console)

    class _Say(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            say(record.getMessage())

    handler = _Say(logging.INFO)
    logger = logging.getLogger("repoagent.llm")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _progress(console: Console) -> Callable[[str], None]:
    def say(message: str) -> None:
        console.print(f"[dim]·[/dim] {escape(message)}", markup=True, soft_wrap=True)

    return say


def _prepare_output(output: Path) -> None:
    """Create the report's directory; refuse a directory or an unwritable place up front."""
    from repoagent.errors import ConfigError

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create {output.parent}: {exc.strerror or exc}") from None
    if output.is_dir():
        raise ConfigError(f"-o {output} is a directory; give a file name")
    if not os.access(output.parent, os.W_OK) or (
        output.exists() and not os.access(output, os.W_OK)
    ):
        raise ConfigError(f"cannot write the report to {output}: permission denied")


class _StdoutConsole(Console):
    """A console whose reader may leave early (``| head``): rich would exit with status 1."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def _write(report: Report, fmt: str, output: Path | None) -> None:
    from repoagent.cli.pack import reader_may_leave
    from repoagent.errors import ConfigError
    from repoagent.report import print_report, render_report

    if output is not None:
        try:
            output.write_text(render_report(report, fmt), encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"cannot write the report to {output}: {exc.strerror or exc}; the run is saved, "
                f"render it again with --resume {report.run_id}"
            ) from None
        click.echo(f"repoagent: report written to {output}", err=True)
    elif fmt == "terminal":
        with reader_may_leave():
            print_report(report, _StdoutConsole())
    else:
        with reader_may_leave():
            click.echo(render_report(report, fmt), nl=False)
            sys.stdout.flush()
