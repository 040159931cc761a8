"""Replies a sloppy server sends with HTTP 200: no choices once (a gateway's hiccup), a choice
that is not an object, content that is not a string. Retried, or one clear ProviderError; never
a crash."""

from __future__ import annotations

import json

import pytest

from repoagent.errors import ProviderError
from repoagent.testing import ScriptedLLMServer, replies

from .conftest import MakeClient, SleepRecorder

HELLO = [{"role": "user", "content": "hello"}]
GREP = {
    "type": "function",
    "function": {
        "name": "grep",
        "parameters": {"type": "object", "properties": {"pattern": {"type": "string"}}},
    },
}


def raw_json(body: object) -> replies.Reply:
    """A 200 reply with exactly this JSON body."""
    return replies.raw(json.dumps(body))


def test_a_reply_without_choices_is_retried_once_it_passes(
    make_client: MakeClient, sleeps: SleepRecorder
) -> None:
    with ScriptedLLMServer([replies.no_choices(), replies.text("hi")]) as server:
        reply = make_client(server, max_retries=2).chat(HELLO)
        assert len(server.chat_requests) == 2
    assert reply.content == "hi"
    assert reply.usage.retries == 1 and len(sleeps) == 1


def test_a_gateway_error_in_a_200_reply_is_not_retried(make_client: MakeClient) -> None:
    body = {"error": {"message": "model not found", "code": 404}}
    with ScriptedLLMServer([raw_json(body)] * 3) as server:
        with pytest.raises(ProviderError, match="model not found"):
            make_client(server, max_retries=2).chat(HELLO)
        assert len(server.chat_requests) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"id": "x", "object": "chat.completion", "choices": [None]},
        {"id": "x", "object": "chat.completion", "choices": ["hello"]},
        {"id": "x", "object": "chat.completion", "choices": {"0": {}}},
        ["not", "an", "object"],
    ],
)
def test_a_malformed_choice_is_a_clear_error(make_client: MakeClient, body: object) -> None:
    with ScriptedLLMServer([raw_json(body)] * 3) as server, pytest.raises(ProviderError) as err:
        make_client(server, max_retries=1).chat(HELLO)
    assert "no choices" in str(err.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(42, "42"), ({"answer": "yes"}, '{"answer": "yes"}'), (["a", "b"], "ab")],
)
def test_content_that_is_not_a_string_becomes_text(
    make_client: MakeClient, content: object, expected: str
) -> None:
    message = {"role": "assistant", "content": content}
    body = {"id": "x", "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]}
    with ScriptedLLMServer([raw_json(body)]) as server:
        reply = make_client(server).chat(HELLO, tools=[GREP])
    assert reply.content == expected and reply.tool_calls == []


def test_a_choice_without_a_message_is_an_empty_reply(make_client: MakeClient) -> None:
    body = {"id": "x", "choices": [{"index": 0, "finish_reason": "stop", "message": None}]}
    with ScriptedLLMServer([raw_json(body)]) as server:
        reply = make_client(server).chat(HELLO, tools=[GREP])
    assert reply.content is None and reply.tool_calls == []


@pytest.mark.parametrize("value", ["abc", "nan", "soon, maybe", "Wed, 99 Oct", "-3"])
def test_a_junk_retry_after_is_no_hint_not_a_crash(
    make_client: MakeClient, sleeps: SleepRecorder, value: str
) -> None:
    limited = replies.http_error(429, headers={"Retry-After": value})
    with ScriptedLLMServer([limited, replies.text("hi")]) as server:
        reply = make_client(server, max_retries=2).chat(HELLO)
    assert reply.content == "hi"
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 30
