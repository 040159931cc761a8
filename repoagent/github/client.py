"""A small GitHub REST client: the endpoints a pull-request review needs, nothing else.

Rate limits are waited out within a bound: a 403/429 with ``Retry-After`` or with
``X-RateLimit-Remaining: 0`` and ``X-RateLimit-Reset`` sleeps until allowed (docs:
https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api). Any other
403 (or 401) on a write means the token is read-only (or missing) (fork pull requests) and raises
:class:`~repoagent.errors.GitHubWriteDenied` so the caller can fall back. The token is sent only
in the ``Authorization`` header and scrubbed from every error message.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from repoagent import __version__
from repoagent.errors import GitHubError, GitHubWriteDenied

#: Bodies of comments and reviews must stay below GitHub's limit of 65,536 characters.
MAX_BODY_CHARS = 65_000
_RETRYABLE = (500, 502, 503, 504)


@dataclass
class GitHubClient:
    """REST calls for one repository, with bounded rate-limit waits."""

    api_url: str
    repository: str
    token: str = field(default="", repr=False)
    max_wait: float = 120.0
    """Seconds of rate-limit waiting allowed over the client's life."""
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    waited: float = 0.0

    def _scrub(self, text: str) -> str:
        return text.replace(self.token, "***") if self.token else text

    def _url(self, path: str, params: dict[str, Any] | None = None) -> str:
        url = f"{self.api_url.rstrip('/')}/{path.lstrip('/')}"
        return f"{url}?{urllib.parse.urlencode(params)}" if params else url

    def _wait_for(self, status: int, headers: Any, body: dict[str, Any]) -> float | None:
        """Seconds to wait before retrying a rate-limited response, or None if not rate limited."""
        if status not in (403, 429):
            return None
        retry_after = headers.get("Retry-After")
        if retry_after is not None:
            try:
                return max(float(retry_after), 0.0)
            except ValueError:
                return 60.0
        if headers.get("X-RateLimit-Remaining") == "0" and headers.get("X-RateLimit-Reset"):
            try:
                return max(float(headers["X-RateLimit-Reset"]) - self.clock(), 0.0) + 1.0
            except ValueError:
                return 60.0
        if status == 429 or "secondary rate limit" in str(body.get("message", "")).lower():
            return 60.0  # the documented minimum for secondary limits without headers
        return None

    def request(
        self, method: str, path: str, payload: Any = None, params: dict[str, Any] | None = None
    ) -> tuple[Any, dict[str, str]]:
        """Send one request (retrying rate limits and 5xx within bounds); return (json, headers)."""
        data = json.dumps(payload).encode() if payload is not None else None
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"repoagent/{__version__}",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if data is not None:
            headers["Content-Type"] = "application/json"
        server_errors = 0
        while True:
            req = urllib.request.Request(
                self._url(path, params), data=data, method=method, headers=headers
            )
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    raw = resp.read()
                    return (json.loads(raw) if raw else None), dict(resp.headers.items())
            except urllib.error.HTTPError as exc:
                raw = exc.read()
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
                body = body if isinstance(body, dict) else {}
                wait = self._wait_for(exc.code, exc.headers, body)
                if wait is not None:
                    if self.waited + wait > self.max_wait:
                        raise GitHubError(
                            f"GitHub rate limit on {method} {path}: waiting {wait:.0f}s would exceed the "
                            f"{self.max_wait:.0f}s bound"
                        ) from None
                    self.waited += wait
                    self.sleep(wait)
                    continue
                if exc.code in _RETRYABLE and server_errors < 2:
                    server_errors += 1
                    self.sleep(float(server_errors))
                    continue
                message = self._scrub(str(body.get("message") or exc.reason))
                details = body.get("errors")
                if details:
                    message += f" ({self._scrub(json.dumps(details)[:500])})"
                error_cls = (
                    GitHubWriteDenied if exc.code in (401, 403) and method != "GET" else GitHubError
                )
                raise error_cls(
                    f"GitHub API {method} {path} failed with {exc.code}: {message}"
                ) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                reason = getattr(exc, "reason", exc)
                raise GitHubError(
                    f"cannot reach the GitHub API at {self.api_url}: {self._scrub(str(reason))}"
                ) from None

    def _repo_path(self, suffix: str) -> str:
        return f"/repos/{self.repository}/{suffix}"

    def paginate(self, path: str) -> list[dict[str, Any]]:
        """Every item of a list endpoint (100 per page, following pages until a short one)."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            data, _headers = self.request("GET", path, params={"per_page": 100, "page": page})
            batch = data if isinstance(data, list) else []
            items.extend(item for item in batch if isinstance(item, dict))
            if len(batch) < 100 or page >= 50:
                return items
            page += 1

    def get_pull_request(self, number: int) -> dict[str, Any]:
        """``GET /repos/{o}/{r}/pulls/{n}``."""
        data, _ = self.request("GET", self._repo_path(f"pulls/{number}"))
        return data if isinstance(data, dict) else {}

    def list_review_comments(self, number: int) -> list[dict[str, Any]]:
        """``GET /repos/{o}/{r}/pulls/{n}/comments`` (all pages)."""
        return self.paginate(self._repo_path(f"pulls/{number}/comments"))

    def list_issue_comments(self, number: int) -> list[dict[str, Any]]:
        """``GET /repos/{o}/{r}/issues/{n}/comments`` (all pages)."""
        return self.paginate(self._repo_path(f"issues/{number}/comments"))

    def create_review(self, number: int, payload: dict[str, Any]) -> dict[str, Any]:
        """``POST /repos/{o}/{r}/pulls/{n}/reviews`` (one call with every inline comment)."""
        data, _ = self.request("POST", self._repo_path(f"pulls/{number}/reviews"), payload)
        return data if isinstance(data, dict) else {}

    def create_issue_comment(self, number: int, body: str) -> dict[str, Any]:
        """``POST /repos/{o}/{r}/issues/{n}/comments``."""
        data, _ = self.request("POST", self._repo_path(f"issues/{number}/comments"), {"body": body})
        return data if isinstance(data, dict) else {}

    def update_issue_comment(self, comment_id: int, body: str) -> dict[str, Any]:
        """``PATCH /repos/{o}/{r}/issues/comments/{id}``."""
        data, _ = self.request(
            "PATCH", self._repo_path(f"issues/comments/{comment_id}"), {"body": body}
        )
        return data if isinstance(data, dict) else {}
