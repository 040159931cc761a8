"""``repoagent github review`` as a function: review a pull request and publish the result.

Safety is structural here: configuration is read from the pull request's **base** commit (never
its head), the PR title and body are stripped of hidden text before any model sees them, the diff
is computed locally, and a read-only token falls back to the job summary and SARIF.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import git

from repoagent.config import ConfigSource
from repoagent.errors import ConfigError, RepositoryError
from repoagent.findings.model import Report, severity_rank
from repoagent.github.client import GitHubClient
from repoagent.github.diff import CommentableLines, commentable_lines
from repoagent.github.environment import ActionsEnvironment
from repoagent.github.publish import DEFAULT_TRUSTED_LOGINS, PublishResult, publish_review
from repoagent.github.sanitize import pull_request_context

#: A reviewer turns a review request into a Report (by default the agent's ``run_review``).
Reviewer = Callable[["ReviewRequest"], Report]


@dataclass(frozen=True)
class ReviewRequest:
    """What the agent is asked to review for a pull request."""

    repo_path: Path
    head_sha: str
    base_sha: str
    settings: Any
    """Settings loaded from the base commit."""
    context: str
    """The PR title and description, hidden text removed (data, not instructions)."""
    run_tests: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """More ``ReviewOptions`` fields (budgets, concurrency, progress, lang)."""


@dataclass
class PullRequestReview:
    """The outcome of ``repoagent github review``."""

    report: Report
    lines: CommentableLines
    published: PublishResult
    exit_code: int = 0


def commit_file_reader(repo: git.Repo, sha: str) -> Callable[[str], str | None]:
    """Read files as they are at commit ``sha`` (never the work tree); None when absent."""
    tree = repo.commit(sha).tree

    def read(filename: str) -> str | None:
        try:
            blob = tree / filename
        except KeyError:
            return None
        if blob.type != "blob":
            return None
        return bytes(blob.data_stream.read()).decode("utf-8", "replace")

    return read


def base_config_source(repo: git.Repo, sha: str) -> ConfigSource:
    """A config source reading project files as they are at the base commit ``sha``."""
    return commit_file_reader(repo, sha)


def load_base_settings(repo: git.Repo, base_sha: str, overrides: Mapping[str, Any]) -> Any:
    """Settings from the base commit's config files < environment < ``overrides``."""
    from repoagent.config import load_settings

    return load_settings(
        Path(repo.working_tree_dir or "."),
        dict(overrides),
        config_source=base_config_source(repo, base_sha),
        trust_project=True,  # the base branch's files: the maintainers', not the PR's
    )


def agent_reviewer(request: ReviewRequest) -> Report:
    """Review with the agent: the head commit, focused on the changes since the merge base."""
    from repoagent.agent import ReviewOptions, run_review

    options = ReviewOptions(
        path=request.repo_path,
        rev=request.head_sha,
        base=request.base_sha,
        query=request.context,
        settings=request.settings,
        run_tests=request.run_tests,
        **request.extra,
    )
    return run_review(options)


def fails(report: Report, fail_on: str | None, lines: CommentableLines | None = None) -> bool:
    """True when a finding on the pull request's changed lines is at or above ``fail_on``.

    Like code scanning's pull-request check, findings in code the pull request did not touch
    (they are in the summary comment) never fail it; without ``lines``, every located finding counts.
    """
    if not fail_on or fail_on == "none":
        return False
    findings = report.findings
    if lines is not None:
        from repoagent.github.payload import place_findings

        findings = [p.finding for p in place_findings(findings, lines) if p.inline]
    return any(severity_rank(f.severity) <= severity_rank(fail_on) for f in findings)


def review_pull_request(
    env: ActionsEnvironment,
    *,
    repo_path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    reviewer: Reviewer = agent_reviewer,
    report: Report | None = None,
    fail_on: str | None = None,
    sarif_file: Path | None = None,
    run_tests: bool | None = None,
    extra: Mapping[str, Any] | None = None,
    trusted_logins: tuple[str, ...] = DEFAULT_TRUSTED_LOGINS,
    client: GitHubClient | None = None,
    max_inline: int = 25,
    dry_run: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
) -> PullRequestReview:
    """Review the pull request of ``env`` (or publish the given ``report``) and post the result."""
    pr = env.pull_request
    path = repo_path or env.workspace
    try:
        repo = git.Repo(path, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RepositoryError(
            f"{path} is not a git repository (check out the repository first)"
        ) from None
    lines = commentable_lines(repo, pr.base_sha, pr.head_sha)
    log(f"pull request #{pr.number}: {len(lines.files)} changed file(s) since {lines.base[:12]}")
    if report is None and not lines.files:
        # Nothing to review (the head is the merge base, or the changes were reverted): no
        # model calls, and the summary says so instead of reviewing the whole repository.
        log("the pull request changes no files since the merge base; nothing to review")
        report = Report(
            repository=env.repository,
            revision=pr.head_sha,
            base=lines.base,
            notes=["The pull request changes no files since the merge base: nothing to review."],
        )
    if report is None:
        settings = load_base_settings(repo, pr.base_sha, overrides or {})
        request = ReviewRequest(
            repo_path=Path(repo.working_tree_dir or path),
            head_sha=pr.head_sha,
            base_sha=lines.base,
            settings=settings,
            context=pull_request_context(pr.title, pr.body),
            run_tests=run_tests if run_tests is not None else getattr(settings, "run_tests", None),
            extra=dict(extra or {}),
        )
        report = reviewer(request)
    elif report.revision and not pr.head_sha.startswith(report.revision):
        # Lines of another revision would land on the wrong code.
        raise ConfigError(
            f"the report is of revision {report.revision[:12]}, but the pull request's head is "
            f"{pr.head_sha[:12]}; review the head commit"
        )
    if sarif_file is not None:
        from repoagent.report import render_report

        sarif_file.parent.mkdir(parents=True, exist_ok=True)
        sarif_file.write_text(render_report(report, "sarif"), encoding="utf-8")
        log(f"SARIF written to {sarif_file}")
    client = client or GitHubClient(env.api_url, env.repository, env.token)
    published = publish_review(
        report,
        env,
        lines,
        client,
        trusted_logins=trusted_logins,
        read_file=commit_file_reader(repo, pr.head_sha),
        max_inline=max_inline,
        dry_run=dry_run,
        log=log,
    )
    exit_code = 1 if fails(report, fail_on, lines) else 0
    if report.stopped_by == "provider-error":
        exit_code = 3
    return PullRequestReview(report=report, lines=lines, published=published, exit_code=exit_code)
