"""The GitHub Actions environment of a ``pull_request`` run, read once and checked.

Reads ``GITHUB_EVENT_PATH`` (the event JSON), ``GITHUB_REPOSITORY``, ``GITHUB_TOKEN``,
``GITHUB_API_URL`` (tests point it at a local server), ``GITHUB_STEP_SUMMARY`` and
``GITHUB_WORKSPACE``. The token is kept out of ``repr`` so it cannot reach a log by accident.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repoagent.errors import ConfigError

DEFAULT_API_URL = "https://api.github.com"
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")


@dataclass(frozen=True)
class PullRequest:
    """The pull request under review, as the event describes it."""

    number: int
    base_sha: str
    head_sha: str
    base_ref: str = ""
    head_ref: str = ""
    title: str = ""
    body: str = ""
    author: str = ""
    from_fork: bool = False


@dataclass(frozen=True)
class ActionsEnvironment:
    """What ``repoagent github review`` needs from the Actions runner."""

    repository: str
    """``owner/name``."""
    pull_request: PullRequest
    api_url: str = DEFAULT_API_URL
    token: str = field(default="", repr=False)
    step_summary: Path | None = None
    workspace: Path = Path(".")
    event_name: str = "pull_request"

    @property
    def owner(self) -> str:
        """Owner part of ``owner/name``."""
        return self.repository.split("/", 1)[0]

    @property
    def name(self) -> str:
        """Name part of ``owner/name``."""
        return self.repository.split("/", 1)[1]


def _pull_request(event: Mapping[str, Any]) -> PullRequest:
    pr = event.get("pull_request")
    if not isinstance(pr, dict):
        raise ConfigError(
            "the event has no pull_request; run repoagent github review on pull_request events"
        )
    try:
        base, head = pr["base"], pr["head"]
        base_repo = (base.get("repo") or {}).get("full_name", "")
        head_repo = (head.get("repo") or {}).get("full_name", "")
        return PullRequest(
            number=int(pr.get("number") or event["number"]),
            base_sha=str(base["sha"]),
            head_sha=str(head["sha"]),
            base_ref=str(base.get("ref", "")),
            head_ref=str(head.get("ref", "")),
            title=str(pr.get("title") or ""),
            body=str(pr.get("body") or ""),
            author=str((pr.get("user") or {}).get("login", "")),
            from_fork=bool(head_repo and base_repo and head_repo != base_repo),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"the pull_request event is missing a field: {exc}") from None


def actions_environment(environ: Mapping[str, str] | None = None) -> ActionsEnvironment:
    """Read and check the Actions environment (``os.environ`` by default)."""
    env = os.environ if environ is None else environ
    event_path = env.get("GITHUB_EVENT_PATH", "")
    if not event_path:
        raise ConfigError(
            "GITHUB_EVENT_PATH is not set; run this inside GitHub Actions or set it to an event JSON file"
        )
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read GITHUB_EVENT_PATH {event_path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"GITHUB_EVENT_PATH {event_path} is not JSON: {exc}") from None
    event_name = env.get("GITHUB_EVENT_NAME", "pull_request")
    if event_name not in PULL_REQUEST_EVENTS:
        raise ConfigError(f"event {event_name!r} is not a pull request event; use on: pull_request")
    repository = env.get("GITHUB_REPOSITORY", "")
    if repository.count("/") != 1:
        raise ConfigError("GITHUB_REPOSITORY must be owner/name")
    summary = env.get("GITHUB_STEP_SUMMARY")
    return ActionsEnvironment(
        repository=repository,
        pull_request=_pull_request(event),
        api_url=(env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
        token=env.get("GITHUB_TOKEN", ""),
        step_summary=Path(summary) if summary else None,
        workspace=Path(env.get("GITHUB_WORKSPACE") or "."),
        event_name=event_name,
    )
