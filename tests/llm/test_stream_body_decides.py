"""A stream is read by what its body is, not by its Content-Type: servers and proxies label event
streams ``application/json`` or ``application/x-ndjson``, and one JSON completion ``text/plain``."""

from __future__ import annotations

import json

import pytest

from repoagent.testing import ScriptedLLMServer, replies

from .conftest import MakeClient


def _event(delta: dict[str, str], finish: str | None = None) -> str:
    chunk = {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(chunk)}\n\n"


EVENTS = (
    ": keep-alive\n\n" + _event({"content": "Hello "}) + _event({"content": "world"}, "stop")
) + "data: [DONE]\n\n"
COMPLETION = json.dumps(
    {
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello world"},
                "finish_reason": "stop",
            }
        ]
    },
    indent=2,
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (EVENTS, "application/json"),
        (EVENTS, "application/x-ndjson"),
        (EVENTS, "text/event-stream"),
        (COMPLETION, "text/plain"),
        (COMPLETION, "application/json"),
    ],
)
def test_the_body_decides_how_a_stream_is_read(
    make_client: MakeClient, body: str, content_type: str
) -> None:
    with ScriptedLLMServer([replies.raw(body, content_type=content_type)]) as server:
        text = "".join(make_client(server, "scout").stream([{"role": "user", "content": "hi"}]))
    assert text == "Hello world"
