"""GitHub integration: pull-request reviews whose comments never land on the wrong line.

The diff is computed locally, findings are anchored to commentable lines of it, the one review is
validated before it is sent, and a single summary comment (found by a hidden marker) carries the
state that keeps later pushes from posting duplicates.
"""

from repoagent.github.client import MAX_BODY_CHARS, GitHubClient
from repoagent.github.diff import CommentableLines, FileDiff, Hunk, commentable_lines, parse_diff
from repoagent.github.environment import ActionsEnvironment, PullRequest, actions_environment
from repoagent.github.payload import (
    Placement,
    build_review,
    place_findings,
    review_problems,
    validate_review,
)
from repoagent.github.publish import (
    PublishResult,
    find_summary_comment,
    publish_review,
    write_job_summary,
)
from repoagent.github.pull_request import (
    PullRequestReview,
    ReviewRequest,
    base_config_source,
    review_pull_request,
)
from repoagent.github.sanitize import pull_request_context, strip_hidden_text
from repoagent.github.summary import SUMMARY_MARKER, ReviewState, parse_state

__all__ = [
    "MAX_BODY_CHARS",
    "SUMMARY_MARKER",
    "ActionsEnvironment",
    "CommentableLines",
    "FileDiff",
    "GitHubClient",
    "Hunk",
    "Placement",
    "PublishResult",
    "PullRequest",
    "PullRequestReview",
    "ReviewRequest",
    "ReviewState",
    "actions_environment",
    "base_config_source",
    "build_review",
    "commentable_lines",
    "find_summary_comment",
    "parse_diff",
    "parse_state",
    "place_findings",
    "publish_review",
    "pull_request_context",
    "review_problems",
    "review_pull_request",
    "strip_hidden_text",
    "validate_review",
    "write_job_summary",
]
