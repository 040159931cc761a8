"""A key set in the environment never appears in logs, errors or recorded trajectories."""

from __future__ import annotations

import json
import logging

import pytest

from repoagent.config import load_settings
from repoagent.errors import ProviderError
from repoagent.llm import OpenAIChatClient, RetryPolicy, UsageLedger
from repoagent.testing import ScriptedLLMServer, replies

KEY = "sk-test-5f1d2c9a77e04b3c"


def test_key_never_leaks(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("REPOAGENT_API_KEY", KEY)
    caplog.set_level(logging.DEBUG)
    script = [
        replies.server_error(500, f"upstream rejected key {KEY}"),
        replies.tool_calls(("list_files", {})),
        replies.http_error(401, {"error": {"message": f"invalid api key {KEY}"}}),
        replies.server_error(503, f"bad {KEY}"),
    ]
    ledger = UsageLedger()
    errors: list[str] = []
    with ScriptedLLMServer(script) as server:
        settings = load_settings(None, {"base_url": server.base_url})
        client = OpenAIChatClient(
            settings.maverick,
            "maverick",
            ledger,
            retry=RetryPolicy(max_retries=1, sleep=lambda s: None),
        )
        tools = [{"type": "function", "function": {"name": "list_files", "parameters": {}}}]
        reply = client.chat([{"role": "user", "content": "go"}], tools=tools)
        for _ in range(2):
            with pytest.raises(ProviderError) as err:
                client.chat([{"role": "user", "content": "go"}])
            errors.append(str(err.value))
            errors.append(repr(err.value))
        client.close()
    # the server did receive it: the test is meaningful
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    trajectory = json.dumps([reply.message, [u.model_dump() for u in ledger.role_usage()]])
    visible = "\n".join([*errors, caplog.text, trajectory, repr(client), repr(settings)])
    assert KEY not in visible
    assert "***" in errors[0]  # scrubbed where the server echoed it
