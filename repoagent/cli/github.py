"""``repoagent github review``: review a pull request inside GitHub Actions and comment on it.

Reads the Actions environment (``GITHUB_EVENT_PATH``, ``GITHUB_REPOSITORY``, ``GITHUB_TOKEN``,
``GITHUB_API_URL``, ``GITHUB_STEP_SUMMARY``, ``GITHUB_WORKSPACE``). Exit codes: 0 done; 1 a
finding at or above ``--fail-on``; 2 bad usage or input; 3 the model endpoint was unusable.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.console import Console

from repoagent.cli.options import budget_options, cli_overrides, model_options, verification_options
from repoagent.errors import ConfigError
from repoagent.findings.model import SEVERITIES


@click.group()
def github() -> None:
    """Run repoagent on GitHub: pull-request reviews from Actions."""


@github.command()
@click.option(
    "--path",
    "repo_path",
    type=click.Path(file_okay=False, path_type=Path),
    help="The checked-out repository (default: GITHUB_WORKSPACE).",
)
@click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "none"], case_sensitive=False),  # `fail-on: High` in YAML
    default="none",
    show_default=True,
    help="Exit 1 when a finding on the changed lines has this severity or worse "
    "(findings in untouched code never fail the check).",
)
@click.option(
    "--sarif-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the findings as SARIF 2.1.0 here (for upload-sarif).",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Publish this JSON report (from `repoagent review --format json`) instead of reviewing.",
)
@click.option(
    "--trust-login",
    multiple=True,
    metavar="LOGIN",
    help="Account repoagent posts as, besides github-actions[bot] (e.g. your-app[bot] or a PAT's user).",
)
@click.option(
    "--max-wait",
    type=click.FloatRange(min=0),
    default=120.0,
    show_default=True,
    help="Seconds to wait out GitHub rate limits, at most.",
)
@click.option(
    "--max-comments",
    type=click.IntRange(min=0),
    default=25,
    show_default=True,
    help="New inline comments per run, at most (most severe first; the rest go to the summary).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "markdown", "json", "sarif", "html"]),
    default="terminal",
    show_default=True,
    help="Format of the report on stdout or in -o FILE.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the report here (e.g. an HTML artifact).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Post nothing: print the review payload and the summary comment instead.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@model_options
@budget_options
@verification_options
def review(
    repo_path: Path | None,
    fail_on: str,
    sarif_file: Path | None,
    report_file: Path | None,
    trust_login: tuple[str, ...],
    max_wait: float,
    max_comments: int,
    fmt: str,
    output: Path | None,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Review the pull request of this Actions run and post inline comments and a summary."""
    from repoagent.github import GitHubClient, actions_environment, review_pull_request
    from repoagent.github.publish import DEFAULT_TRUSTED_LOGINS
    from repoagent.report import print_report, render_report, report_from_document

    console = Console(stderr=True, highlight=False)

    def log(message: str) -> None:
        if not quiet:
            console.print(f"[dim]·[/dim] {message}", markup=True, highlight=False, soft_wrap=True)

    sarif_file = _writable(sarif_file, "--sarif-file")
    output = _writable(output, "-o")
    env = actions_environment()
    report = None
    if report_file is not None:
        try:
            report = report_from_document(json.loads(report_file.read_text(encoding="utf-8")))
        except (ValueError, OSError) as exc:
            raise ConfigError(f"cannot read report {report_file}: {exc}") from None
    overrides = cli_overrides()
    client = GitHubClient(env.api_url, env.repository, env.token, max_wait=max_wait)
    outcome = review_pull_request(
        env,
        repo_path=repo_path,
        overrides=overrides,
        report=report,
        fail_on=fail_on,
        sarif_file=sarif_file,
        extra={} if quiet else {"progress": log},
        trusted_logins=(*DEFAULT_TRUSTED_LOGINS, *trust_login),
        client=client,
        max_inline=max_comments,
        dry_run=dry_run,
        log=log,
    )
    if output is not None:
        output.write_text(render_report(outcome.report, fmt), encoding="utf-8")
        log(f"report written to {output}")
    if dry_run:
        payload = outcome.published.payload
        click.echo(json.dumps({"review": payload, "summary": outcome.published.summary}, indent=2))
    elif output is None and fmt == "terminal":
        print_report(outcome.report, Console())
    elif output is None:
        click.echo(render_report(outcome.report, fmt), nl=False)
    published = outcome.published
    if published.fallback:
        where = (
            "the review is in the job summary"
            if env.step_summary is not None
            else "GITHUB_STEP_SUMMARY is not set, so the review is only in this output"
        )
        console.print(
            f"repoagent: warning: {published.fallback}; {where}", highlight=False, soft_wrap=True
        )
    log(
        f"{len(published.inline)} new inline comment(s), "
        f"{sum(not p.inline for p in published.placements)} finding(s) in the summary only, "
        f"{len(published.resolved)} resolved"
    )
    if outcome.exit_code == 3:
        console.print(
            "repoagent: error: the model endpoint failed; the review is partial (what was found "
            "is published)",
            soft_wrap=True,
        )
    if outcome.exit_code:
        sys.exit(outcome.exit_code)


def _writable(target: Path | None, flag: str) -> Path | None:
    """Check before the review (which costs time and money) that ``target`` can be written;
    an empty value (``sarif-file: ""`` in the workflow) means no file."""
    if target is None or str(target) in ("", "."):
        return None
    if target.is_dir():
        raise ConfigError(f"{flag} {target} is a directory; name a file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the directory of {flag} {target}: {exc.strerror}: {exc.filename}"
        ) from None
    if not os.access(target.parent, os.W_OK):
        raise ConfigError(f"cannot write {flag} {target}: its directory is not writable")
    return target
