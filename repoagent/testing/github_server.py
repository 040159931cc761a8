"""A local stand-in for the GitHub REST API on 127.0.0.1, for repoagent's tests and yours.

It serves the endpoints a pull-request review uses and records every request::

    from repoagent.testing import GitHubServer

    with GitHubServer("octo/demo") as gh:
        gh.add_pull_request(7, base_sha=base, head_sha=head, title="Fix paths")
        env["GITHUB_API_URL"] = gh.api_url
        ...
        assert [r.path for r in gh.writes] == ["/repos/octo/demo/pulls/7/reviews", ...]

Endpoints: ``GET /repos/{o}/{r}/pulls/{n}``, ``GET /repos/{o}/{r}/pulls/{n}/comments``,
``GET /repos/{o}/{r}/issues/{n}/comments`` (paginated with ``per_page``/``page``),
``POST /repos/{o}/{r}/pulls/{n}/reviews`` (its comments become review comments),
``POST /repos/{o}/{r}/issues/{n}/comments`` and ``PATCH /repos/{o}/{r}/issues/comments/{id}``.

Like GitHub it answers 422 for an unknown review event, a body of 65,536 characters or more, or
— when ``commentable`` is set for the pull request (``{path: set of RIGHT lines}``) — a comment
outside those lines. ``read_only=True`` answers 403 to every write, as a fork's token gets;
``fail_next(status, headers, method=…, times=…)`` queues faults such as rate limits.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
MAX_BODY = 65_536


@dataclass
class GitHubRequest:
    """One request the stand-in received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Request headers, names lower-cased."""
    body: Any


@dataclass
class _Fault:
    status: int
    headers: dict[str, str]
    message: str
    method: str | None
    path: str | None
    times: int


@dataclass
class PullState:
    """A pull request on the stand-in and what was posted on it."""

    number: int
    base_sha: str
    head_sha: str
    title: str = ""
    body: str = ""
    commentable: dict[str, set[int]] | None = None
    reviews: list[dict[str, Any]] = field(default_factory=list)
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    issue_comments: list[dict[str, Any]] = field(default_factory=list)


class GitHubServer:
    """Context manager running the stand-in on 127.0.0.1; ``api_url`` is its base URL."""

    def __init__(
        self,
        repository: str = "octo/demo",
        *,
        read_only: bool = False,
        user: dict[str, Any] | None = None,
    ) -> None:
        self.repository = repository
        self.read_only = read_only
        self.user = dict(user or BOT)
        self.pulls: dict[int, PullState] = {}
        self.requests: list[GitHubRequest] = []
        self._faults: list[_Fault] = []
        self._ids = 1000
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- setup -------------------------------------------------------------------------------
    def add_pull_request(
        self,
        number: int,
        base_sha: str,
        head_sha: str,
        title: str = "",
        body: str = "",
        commentable: dict[str, set[int]] | None = None,
    ) -> PullState:
        """Create (or replace) pull request ``number``."""
        self.pulls[number] = PullState(number, base_sha, head_sha, title, body, commentable)
        return self.pulls[number]

    def add_issue_comment(
        self, number: int, body: str, user: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Add an issue comment as if someone (default: a human) had written it."""
        comment = {
            "id": self._next_id(),
            "body": body,
            "user": user or {"login": "someone", "type": "User"},
        }
        self.pulls[number].issue_comments.append(comment)
        return comment

    def fail_next(
        self,
        status: int,
        headers: dict[str, str] | None = None,
        *,
        message: str = "",
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests (of ``method``, to a path containing ``path``)."""
        text = message or f"stand-in fault {status}"
        self._faults.append(_Fault(status, dict(headers or {}), text, method, path, times))

    # -- inspection --------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        """Base URL to put in ``GITHUB_API_URL``."""
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def writes(self) -> list[GitHubRequest]:
        """The POST/PATCH/PUT/DELETE requests received, in order."""
        return [r for r in self.requests if r.method != "GET"]

    def review_requests(self) -> list[GitHubRequest]:
        """The ``POST .../pulls/{n}/reviews`` requests received."""
        return [r for r in self.requests if r.method == "POST" and r.path.endswith("/reviews")]

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> GitHubServer:
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _next_id(self) -> int:
        with self._lock:
            self._ids += 1
            return self._ids

    # -- request handling --------------------------------------------------------------------
    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.method in (None, method) and (fault.path is None or fault.path in path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def handle(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        """Answer one request: (status, JSON body, extra headers)."""
        fault = self._take_fault(method, path)
        if fault is not None:
            return fault.status, {"message": fault.message}, fault.headers
        prefix = f"/repos/{self.repository}/"
        if not path.startswith(prefix):
            return 404, {"message": "Not Found"}, {}
        rest = path[len(prefix) :]
        if method != "GET" and self.read_only:
            return 403, {"message": "Resource not accessible by integration"}, {}
        if m := re.fullmatch(r"issues/comments/(\d+)", rest):
            return (
                self._update_comment(int(m[1]), body)
                if method == "PATCH"
                else (405, {"message": "Method not allowed"}, {})
            )
        m = re.fullmatch(r"(pulls|issues)/(\d+)(?:/(comments|reviews))?", rest)
        if not m or int(m[2]) not in self.pulls:
            return 404, {"message": "Not Found"}, {}
        pr = self.pulls[int(m[2])]
        kind, sub = m[1], m[3]
        if method == "GET" and kind == "pulls" and sub is None:
            return 200, self._pull_json(pr), {}
        if method == "GET" and sub == "comments":
            items = pr.review_comments if kind == "pulls" else pr.issue_comments
            per_page, page = int(query.get("per_page", 30)), int(query.get("page", 1))
            return 200, items[(page - 1) * per_page : page * per_page], {}
        if method == "POST" and kind == "pulls" and sub == "reviews":
            return self._create_review(pr, body)
        if method == "POST" and kind == "issues" and sub == "comments":
            return self._create_comment(pr, body)
        return 405, {"message": "Method not allowed"}, {}

    def _pull_json(self, pr: PullState) -> dict[str, Any]:
        return {
            "number": pr.number,
            "title": pr.title,
            "body": pr.body,
            "state": "open",
            "base": {"sha": pr.base_sha, "ref": "main", "repo": {"full_name": self.repository}},
            "head": {"sha": pr.head_sha, "ref": "feature", "repo": {"full_name": self.repository}},
        }

    def _create_review(self, pr: PullState, body: Any) -> tuple[int, Any, dict[str, str]]:
        if not isinstance(body, dict) or body.get("event") not in (
            "COMMENT",
            "APPROVE",
            "REQUEST_CHANGES",
            None,
        ):
            return 422, {"message": "Unprocessable Entity", "errors": ["event"]}, {}
        if len(str(body.get("body", ""))) >= MAX_BODY:
            return 422, {"message": "Validation Failed", "errors": ["body is too long"]}, {}
        comments = body.get("comments") or []
        for c in comments:
            start, line = c.get("start_line", c.get("line")), c.get("line")
            ok_lines = (pr.commentable or {}).get(c.get("path"), set())
            if (pr.commentable is not None and not (start in ok_lines and line in ok_lines)) or len(
                str(c.get("body", ""))
            ) >= MAX_BODY:
                return (
                    422,
                    {"message": "Unprocessable Entity", "errors": ["Line could not be resolved"]},
                    {},
                )
        review = {
            "id": self._next_id(),
            "user": self.user,
            "body": body.get("body", ""),
            "state": "COMMENTED",
            "commit_id": body.get("commit_id"),
        }
        pr.reviews.append(review)
        for c in comments:
            pr.review_comments.append(
                {
                    "id": self._next_id(),
                    "pull_request_review_id": review["id"],
                    "user": self.user,
                    "path": c.get("path"),
                    "line": c.get("line"),
                    "start_line": c.get("start_line"),
                    "side": c.get("side", "RIGHT"),
                    "body": c.get("body", ""),
                    "commit_id": body.get("commit_id"),
                }
            )
        return 200, review, {}

    def _create_comment(self, pr: PullState, body: Any) -> tuple[int, Any, dict[str, str]]:
        text = str((body or {}).get("body", ""))
        if not text or len(text) >= MAX_BODY:
            return 422, {"message": "Validation Failed", "errors": ["body"]}, {}
        comment = {"id": self._next_id(), "user": self.user, "body": text}
        pr.issue_comments.append(comment)
        return 201, comment, {}

    def _update_comment(self, comment_id: int, body: Any) -> tuple[int, Any, dict[str, str]]:
        text = str((body or {}).get("body", ""))
        for pr in self.pulls.values():
            for comment in pr.issue_comments:
                if comment["id"] == comment_id:
                    if not text or len(text) >= MAX_BODY:
                        return 422, {"message": "Validation Failed", "errors": ["body"]}, {}
                    comment["body"] = text
                    return 200, comment, {}
        return 404, {"message": "Not Found"}, {}


class _Handler(BaseHTTPRequestHandler):
    server_state: GitHubServer
    protocol_version = "HTTP/1.1"
    # Small replies on keep-alive connections otherwise stall ~40 ms (Nagle + delayed ACK).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        state = self.server_state
        state.requests.append(
            GitHubRequest(
                self.command,
                parts.path,
                query,
                {k.lower(): v for k, v in self.headers.items()},
                body,
            )
        )
        status, payload, headers = state.handle(self.command, parts.path, query, body)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve
