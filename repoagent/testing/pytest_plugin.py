"""A pytest fixture for the scripted server: ``pytest_plugins = ["repoagent.testing.pytest_plugin"]``.

``llm_server`` yields a running :class:`~repoagent.testing.ScriptedLLMServer` with an empty
default script; give it replies with ``llm_server.script([...])`` or
``llm_server.add_replies(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from repoagent.testing.llm_server import ScriptedLLMServer


@pytest.fixture
def llm_server() -> Iterator[ScriptedLLMServer]:
    """A running scripted OpenAI-compatible server on 127.0.0.1, stopped after the test."""
    with ScriptedLLMServer() as server:
        yield server
