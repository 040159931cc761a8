"""Regressions found by running the Action's command the way GitHub Actions would."""

from __future__ import annotations

from pathlib import Path

import pytest

from repoagent.findings.model import Report
from repoagent.testing import GitHubServer

from .conftest import (
    PullRequestRepo,
    actions_env,
    bug_finding,
    leak_finding,
    make_report,
    outside_finding,
)
from .test_review_flow import report_file, run_cli


def test_earlier_comments_unreadable_posts_nothing_that_could_duplicate(
    pr_repo: PullRequestRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = make_report(pr_repo, [bug_finding(), outside_finding()])
    with GitHubServer() as gh:
        gh.add_pull_request(7, pr_repo.base, pr_repo.head)
        env = actions_env(tmp_path, pr_repo, gh.api_url)
        path = report_file(tmp_path, report)
        assert run_cli(monkeypatch, env, "--report", path) == 0
        writes = len(gh.writes)
        # The next push: listing the earlier comments hits a rate limit beyond the wait bound.
        gh.fail_next(403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"})
        assert run_cli(monkeypatch, env, "--report", path) == 0
        assert gh.writes[writes:] == []  # no second review, no second summary comment
        assert len(gh.pulls[7].review_comments) == 1
        assert len(gh.pulls[7].issue_comments) == 1
        summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
        assert "could not be read" in summary and bug_finding().title in summary


def test_empty_sarif_file_means_none_and_bad_targets_fail_before_the_review(
    pr_repo: PullRequestRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = make_report(pr_repo, [bug_finding()])
    with GitHubServer() as gh:
        gh.add_pull_request(7, pr_repo.base, pr_repo.head)
        env = actions_env(tmp_path, pr_repo, gh.api_url)
        path = report_file(tmp_path, report)
        # `sarif-file: ""` in a workflow: no SARIF (was an internal error after the whole review).
        assert run_cli(monkeypatch, env, "--report", path, "--sarif-file", "", "-q") == 0
        assert len(gh.pulls[7].reviews) == 1
        capsys.readouterr()
        blocker = tmp_path / "blocker"
        blocker.write_text("a file, not a directory")
        code = run_cli(monkeypatch, env, "--report", path, "-o", str(blocker / "r.html"), "-q")
        assert code == 2
        assert "repoagent: error: cannot create the directory of -o" in capsys.readouterr().err
        assert len(gh.writes) == 2  # nothing more was posted


def test_fail_on_counts_only_findings_on_the_changed_lines(
    pr_repo: PullRequestRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-existing problem in code the pull request did not touch does not fail its check."""
    old_problem = outside_finding().model_copy(update={"severity": "critical"}).with_fingerprint()
    with GitHubServer() as gh:
        gh.add_pull_request(7, pr_repo.base, pr_repo.head)
        env = actions_env(tmp_path, pr_repo, gh.api_url)
        outside_only = report_file(tmp_path, make_report(pr_repo, [old_problem]), "a.json")
        assert run_cli(monkeypatch, env, "--report", outside_only, "--fail-on", "high") == 0
        both = report_file(tmp_path, make_report(pr_repo, [old_problem, bug_finding()]), "b.json")
        assert run_cli(monkeypatch, env, "--report", both, "--fail-on", "high") == 1
        assert run_cli(monkeypatch, env, "--report", both, "--fail-on", "critical") == 0


def test_a_pull_request_without_changes_is_not_reviewed_as_a_whole_repository(
    pr_repo: PullRequestRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Head == merge base (e.g. everything reverted): no model call, a summary that says so."""
    from repoagent.github import actions_environment, review_pull_request
    from repoagent.github.pull_request import ReviewRequest

    pr_repo.head = pr_repo.repo.git.merge_base(pr_repo.base, pr_repo.head)
    asked: list[ReviewRequest] = []

    def reviewer(request: ReviewRequest) -> Report:
        asked.append(request)
        return make_report(pr_repo, [bug_finding()])

    with GitHubServer() as gh:
        gh.add_pull_request(7, pr_repo.base, pr_repo.head)
        env = actions_environment(actions_env(tmp_path, pr_repo, gh.api_url))
        outcome = review_pull_request(env, repo_path=pr_repo.path, reviewer=reviewer)
        assert asked == [] and outcome.exit_code == 0
        [summary] = gh.pulls[7].issue_comments
        assert "changes no files since the merge base" in summary["body"]
        assert gh.review_requests() == []


def test_fail_on_accepts_any_case(
    pr_repo: PullRequestRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`fail-on: High` in a workflow was a usage error after checkout and setup."""
    with GitHubServer() as gh:
        gh.add_pull_request(7, pr_repo.base, pr_repo.head)
        env = actions_env(tmp_path, pr_repo, gh.api_url)
        path = report_file(tmp_path, make_report(pr_repo, [bug_finding()]))
        assert run_cli(monkeypatch, env, "--report", path, "--fail-on", "High", "-q") == 1


def test_fallback_without_a_job_summary_says_where_the_review_went(
    pr_repo: PullRequestRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with GitHubServer(read_only=True) as gh:
        gh.add_pull_request(7, pr_repo.base, pr_repo.head)
        env = actions_env(tmp_path, pr_repo, gh.api_url)
        env.pop("GITHUB_STEP_SUMMARY")
        monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
        path = report_file(tmp_path, make_report(pr_repo, [bug_finding()]))
        assert run_cli(monkeypatch, env, "--report", path, "--format", "markdown") == 0
    captured = capsys.readouterr()
    assert "GITHUB_STEP_SUMMARY is not set, so the review is only in this output" in captured.err
    assert bug_finding().title in captured.out


def test_a_rerun_does_not_turn_capped_findings_into_new_inline_comments(
    pr_repo: PullRequestRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --max-comments 1 the second finding went to the summary; re-running the job on the
    same head then posted it inline (a new comment for an already reported finding)."""
    report = make_report(pr_repo, [bug_finding(), leak_finding()])
    with GitHubServer() as gh:
        gh.add_pull_request(7, pr_repo.base, pr_repo.head)
        env = actions_env(tmp_path, pr_repo, gh.api_url)
        path = report_file(tmp_path, report)
        for _run in range(2):
            assert run_cli(monkeypatch, env, "--report", path, "--max-comments", "1", "-q") == 0
        assert len(gh.pulls[7].review_comments) == 1
        assert len(gh.review_requests()) == 1
        [summary] = gh.pulls[7].issue_comments
        assert leak_finding().title in summary["body"]


def test_missing_head_commit_says_how_to_fetch_it(pr_repo: PullRequestRepo) -> None:
    """pull_request_target checks out the base: fetch-depth 0 alone never brings a fork's head."""
    from repoagent.errors import RepositoryError
    from repoagent.github.diff import merge_base

    with pytest.raises(RepositoryError, match="head commit deadbeefdead is not in the local clone"):
        merge_base(pr_repo.repo, pr_repo.base, "deadbeef" * 5)
    with pytest.raises(RepositoryError, match=r"github\.event\.pull_request\.head\.sha"):
        merge_base(pr_repo.repo, pr_repo.base, "deadbeef" * 5)
