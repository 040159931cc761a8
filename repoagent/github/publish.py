"""Publish a Report on a pull request: at most one review with new inline comments, one summary
comment updated in place, and the job summary. A read-only token falls back to the job summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from repoagent.errors import GitHubError, GitHubWriteDenied
from repoagent.findings.model import Finding, Report, normalise_code, severity_rank
from repoagent.github.client import GitHubClient
from repoagent.github.diff import CommentableLines
from repoagent.github.environment import ActionsEnvironment
from repoagent.github.payload import Placement, build_review, place_findings, review_problems
from repoagent.github.suggestions import FileReader
from repoagent.github.summary import (
    SUMMARY_MARKER,
    CodePresent,
    ReviewState,
    fingerprint_in,
    next_state,
    parse_state,
    summary_body,
)
from repoagent.report.markdown import render_markdown

#: Comments by these accounts are trusted to carry our markers (GITHUB_TOKEN posts as this bot).
DEFAULT_TRUSTED_LOGINS = ("github-actions[bot]",)
JOB_SUMMARY_LIMIT = 1_000_000  # GitHub caps a step summary at 1 MiB


@dataclass
class PublishResult:
    """What was posted where."""

    inline: list[Finding] = field(default_factory=list)
    """Findings posted as new inline comments in this run's review."""
    placements: list[Placement] = field(default_factory=list)
    review_id: int | None = None
    summary_comment_id: int | None = None
    resolved: list[str] = field(default_factory=list)
    """Fingerprints marked resolved by this run."""
    fallback: str | None = None
    """Why the review went to the job summary instead of the pull request, if it did."""
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    payload: dict[str, Any] | None = None
    """The review payload that was (or, in a dry run, would have been) sent."""


def _trusted(item: dict[str, Any], logins: Iterable[str]) -> bool:
    user = item.get("user") or {}
    # Only named accounts: another bot could echo a pull request's text, markers included.
    return user.get("login") in set(logins)


def find_summary_comment(
    comments: list[dict[str, Any]], logins: Iterable[str] = DEFAULT_TRUSTED_LOGINS
) -> dict[str, Any] | None:
    """Our summary comment: the first trusted comment carrying the hidden marker."""
    for comment in comments:
        if SUMMARY_MARKER in str(comment.get("body", "")) and _trusted(comment, logins):
            return comment
    return None


def write_job_summary(env: ActionsEnvironment, markdown: str) -> bool:
    """Append ``markdown`` to ``GITHUB_STEP_SUMMARY``; False when there is none."""
    if env.step_summary is None:
        return False
    text = (
        markdown
        if len(markdown) < JOB_SUMMARY_LIMIT
        else markdown[: JOB_SUMMARY_LIMIT - 100] + "\n\n… truncated.\n"
    )
    with env.step_summary.open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return True


def _with_fingerprints(findings: list[Finding]) -> list[Finding]:
    return [f if f.fingerprint else f.with_fingerprint() for f in findings]


def _code_present(read_file: FileReader) -> CodePresent:
    """Check whether normalised code still occurs in a file of the head revision."""
    cache: dict[str, str | None] = {}

    def present(path: str, code: str) -> bool:
        if path not in cache:
            text = read_file(path)
            cache[path] = normalise_code(text) if text is not None else None
        text = cache[path]
        return text is not None and code in text

    return present


def _cap_inline(placements: list[Placement], posted: set[str], limit: int) -> list[Placement]:
    """Keep at most ``limit`` new inline comments, most severe first; the rest go to the summary."""
    new = [p for p in placements if p.inline and p.finding.fingerprint not in posted]
    keep = {id(p) for p in sorted(new, key=lambda p: severity_rank(p.finding.severity))[:limit]}
    reason = f"more than {limit} new inline comments in one run"
    return [
        Placement(p.finding, False, reason) if p in new and id(p) not in keep else p
        for p in placements
    ]


def _read_previous(
    client: GitHubClient, number: int, logins: tuple[str, ...], result: PublishResult
) -> tuple[dict[str, Any] | None, ReviewState, set[str]]:
    """Our summary comment, its state, and the fingerprints already posted inline."""
    summary_comment: dict[str, Any] | None = None
    posted: set[str] = set()
    try:
        summary_comment = find_summary_comment(client.list_issue_comments(number), logins)
        for c in client.list_review_comments(number):
            fp = fingerprint_in(str(c.get("body", ""))) if _trusted(c, logins) else None
            if fp:
                posted.add(fp)
    except GitHubError as exc:
        # Posting blind would repeat every inline comment and add a second summary comment.
        result.fallback = (
            f"earlier comments could not be read ({exc}), so nothing was posted "
            "(it would have duplicated them)"
        )
    previous = (
        parse_state(str(summary_comment.get("body", ""))) if summary_comment else ReviewState()
    )
    posted |= {fp for fp, r in {**previous.resolved, **previous.open}.items() if r.get("inline")}
    return summary_comment, previous, posted


def _post_review(
    client: GitHubClient,
    env: ActionsEnvironment,
    lines: CommentableLines,
    findings: list[Finding],
    read_file: FileReader | None,
    result: PublishResult,
    log: Callable[[str], None],
    dry_run: bool = False,
) -> None:
    """Send the one review with every new inline comment, after validating it locally."""
    pr = env.pull_request
    body = (
        f"repoagent: {len(findings)} new finding(s) on the changed lines; see the summary comment."
    )
    payload = build_review(findings, pr.head_sha, body, read_file=read_file)
    problems = review_problems(payload, lines)
    if problems:  # cannot happen for placements from the same diff; never send a doomed review
        result.notes.append("Inline comments were not posted: " + "; ".join(problems[:3]))
        return
    result.payload = payload
    if dry_run:
        log(f"dry run: a review with {len(findings)} inline comment(s) would be posted")
        return
    try:
        review = client.create_review(pr.number, payload)
    except GitHubWriteDenied as exc:
        result.fallback = f"the token cannot write to the pull request ({exc})"
        return
    except GitHubError as exc:
        result.notes.append(f"The review could not be posted: {exc}")
        return
    result.review_id = review.get("id")
    result.inline = findings
    log(f"posted a review with {len(findings)} inline comment(s)")


def _post_summary(
    client: GitHubClient,
    number: int,
    existing: dict[str, Any] | None,
    result: PublishResult,
    log: Callable[[str], None],
) -> None:
    """Update our summary comment in place, or create it."""
    try:
        if existing is not None:
            client.update_issue_comment(int(existing["id"]), result.summary)
            result.summary_comment_id = int(existing["id"])
            log("updated the summary comment")
        else:
            created = client.create_issue_comment(number, result.summary)
            result.summary_comment_id = created.get("id")
            log("created the summary comment")
    except GitHubWriteDenied as exc:
        result.fallback = f"the token cannot write to the pull request ({exc})"
    except GitHubError as exc:
        result.fallback = f"the summary comment could not be written ({exc})"


def publish_review(
    report: Report,
    env: ActionsEnvironment,
    lines: CommentableLines,
    client: GitHubClient,
    *,
    trusted_logins: Iterable[str] = DEFAULT_TRUSTED_LOGINS,
    read_file: FileReader | None = None,
    max_inline: int = 25,
    dry_run: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
) -> PublishResult:
    """Post new in-diff findings as one review, update the summary comment, write the job summary.

    At most ``max_inline`` new inline comments per run (most severe first; the rest go to the
    summary); ``dry_run`` reads but writes nothing to GitHub.
    """
    pr = env.pull_request
    result = PublishResult()
    existing, previous, posted = _read_previous(client, pr.number, tuple(trusted_logins), result)
    report = report.model_copy(update={"findings": _with_fingerprints(report.findings)})
    # A finding first reported in the summary (over the inline cap, or outside the diff then)
    # stays there: a re-run or a later push must not turn it into a new inline comment.
    summarised = {fp for fp, r in previous.open.items() if not r.get("inline")}
    placements = [
        Placement(p.finding, False, "reported in the summary by an earlier run")
        if p.inline and p.finding.fingerprint in summarised
        else p
        for p in place_findings(report.findings, lines)
    ]
    result.placements = _cap_inline(placements, posted, max_inline)
    new_inline = [
        p.finding for p in result.placements if p.inline and p.finding.fingerprint not in posted
    ]
    if new_inline and result.fallback is None:
        _post_review(client, env, lines, new_inline, read_file, result, log, dry_run)
    inline_now = {f.fingerprint for f in result.inline}
    present = _code_present(read_file) if read_file is not None else None
    state = next_state(previous, result.placements, inline_now, pr.head_sha, present)
    result.resolved = sorted(fp for fp in state.resolved if fp in previous.open)
    result.summary = summary_body(report, result.placements, previous, state, lines, result.notes)
    if dry_run:
        log("dry run: the summary comment was not written")
    elif result.fallback is None:
        _post_summary(client, pr.number, existing, result, log)
    if result.fallback is None:
        write_job_summary(env, result.summary)
        return result
    if env.step_summary is not None:
        log(f"writing the review to the job summary instead: {result.fallback}")
    fork = (
        " A pull request from a fork gets a read-only token."
        if "cannot write" in result.fallback
        else ""
    )
    note = (
        f"> repoagent could not comment on this pull request: {result.fallback}.{fork} "
        "The full review is below and in the SARIF file.\n\n"
    )
    write_job_summary(env, note + render_markdown(report))
    return result
