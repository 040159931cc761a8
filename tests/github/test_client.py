"""The REST client waits out rate limits within a bound and never leaks the token."""

from __future__ import annotations

import pytest

from repoagent.errors import GitHubError, GitHubWriteDenied
from repoagent.github.client import GitHubClient
from repoagent.testing import GitHubServer

from .conftest import TOKEN


def make_client(server: GitHubServer, **kw: object) -> tuple[GitHubClient, list[float]]:
    slept: list[float] = []
    client = GitHubClient(
        server.api_url, "octo/demo", TOKEN, sleep=slept.append, clock=lambda: 1_000_000.0, **kw
    )  # type: ignore[arg-type]
    return client, slept


def test_retry_after_and_reset_headers_are_waited_out() -> None:
    with GitHubServer() as gh:
        gh.add_pull_request(1, "a" * 40, "b" * 40)
        gh.fail_next(429, {"Retry-After": "3"})
        gh.fail_next(
            403,
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1000010"},
            message="API rate limit exceeded",
        )
        client, slept = make_client(gh)
        assert client.get_pull_request(1)["number"] == 1
        assert slept == [3.0, 11.0]
        assert len(gh.requests) == 3
        assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in gh.requests)


def test_rate_limit_beyond_the_bound_is_an_error() -> None:
    with GitHubServer() as gh:
        gh.add_pull_request(1, "a" * 40, "b" * 40)
        gh.fail_next(429, {"Retry-After": "3600"})
        client, slept = make_client(gh, max_wait=60)
        with pytest.raises(GitHubError, match="exceed the 60s bound"):
            client.get_pull_request(1)
        assert slept == []


def test_403_on_write_is_write_denied_and_token_is_scrubbed() -> None:
    with GitHubServer() as gh:
        gh.add_pull_request(1, "a" * 40, "b" * 40)
        gh.fail_next(403, message=f"token {TOKEN} may not write", method="POST")
        client, slept = make_client(gh)
        with pytest.raises(GitHubWriteDenied) as exc:
            client.create_issue_comment(1, "hi")
        assert TOKEN not in str(exc.value) and "***" in str(exc.value)
        assert slept == []
        with pytest.raises(GitHubError):
            client.update_issue_comment(424242, "x")
        assert TOKEN not in repr(client)


def test_server_errors_are_retried_then_reported() -> None:
    with GitHubServer() as gh:
        gh.add_pull_request(1, "a" * 40, "b" * 40)
        gh.fail_next(502, times=2)
        client, _slept = make_client(gh)
        assert client.get_pull_request(1)["number"] == 1
        gh.fail_next(503, times=3)
        with pytest.raises(GitHubError, match="503"):
            client.get_pull_request(1)


def test_list_endpoints_follow_pages() -> None:
    with GitHubServer() as gh:
        gh.add_pull_request(1, "a" * 40, "b" * 40)
        for i in range(230):
            gh.add_issue_comment(1, f"c{i}")
        client, _ = make_client(gh)
        comments = client.list_issue_comments(1)
        assert [c["body"] for c in comments] == [f"c{i}" for i in range(230)]
        assert [r.query["page"] for r in gh.requests] == ["1", "2", "3"]


def test_unreachable_api_is_one_clear_error() -> None:
    client = GitHubClient("http://127.0.0.1:9", "octo/demo", TOKEN, timeout=2)
    with pytest.raises(GitHubError, match="cannot reach the GitHub API"):
        client.get_pull_request(1)
