"""Test helpers users can import: a scripted OpenAI-compatible server on 127.0.0.1.

``ScriptedLLMServer`` answers ``/v1/chat/completions`` and ``/v1/models`` from a script of
replies built with ``repoagent.testing.replies`` (text, tool calls, calls leaked into content,
HTTP errors, delays, usage). See :mod:`repoagent.testing.llm_server` for the full guide, and
``repoagent.testing.pytest_plugin`` for an ``llm_server`` fixture.
``GitHubServer`` is a local stand-in for the GitHub REST API (pull requests, reviews, comments),
recording every request; see :mod:`repoagent.testing.github_server`.
"""

from repoagent.testing import llm_replies as replies
from repoagent.testing.github_server import GitHubRequest, GitHubServer
from repoagent.testing.llm_replies import Call, Reply
from repoagent.testing.llm_server import RecordedRequest, Rules, ScriptedLLMServer

__all__ = [
    "Call",
    "GitHubRequest",
    "GitHubServer",
    "RecordedRequest",
    "Reply",
    "Rules",
    "ScriptedLLMServer",
    "replies",
]
