"""Only a reasoning model's own thinking is dropped: one ``<think>`` block at the very start whose
closing tag ends its line, and not when the server already sent the reasoning apart. An answer
that quotes the tag (code, a format it explains) keeps every character."""

from __future__ import annotations

import json

import pytest

from repoagent.llm.repair import repair_message
from repoagent.llm.thinking import stream_without_thinking, without_thinking
from repoagent.testing import ScriptedLLMServer, replies

from .conftest import MakeClient

QUOTED_CODE = 'It wraps them: `return f"<think>{thought}</think>{answer}"` (chat/template.py:3).'
STARTS_WITH_TAG = "<think>{thought}</think> comes first, then the answer: see chat/template.py:3."
XML_ANSWER = "<reasoning>\n  <step>1</step>\n</reasoning>\nis the XML format you need."
TWO_BLOCKS = "<think>\nplan\n</think>\n\nThe tags are <think>\nlike this\n</think>\nin Qwen3."


@pytest.mark.parametrize("answer", [QUOTED_CODE, STARTS_WITH_TAG, XML_ANSWER])
def test_an_answer_that_quotes_the_tags_keeps_them(answer: str) -> None:
    assert without_thinking(answer) == answer
    assert repair_message({"content": answer}, None).message["content"] == answer


@pytest.mark.parametrize("answer", [QUOTED_CODE, STARTS_WITH_TAG, XML_ANSWER])
def test_a_streamed_answer_that_quotes_the_tags_keeps_them(answer: str) -> None:
    pieces = [answer[i : i + 5] for i in range(0, len(answer), 5)]
    assert "".join(stream_without_thinking(pieces)) == answer


def test_only_the_leading_block_is_thinking() -> None:
    expected = "The tags are <think>\nlike this\n</think>\nin Qwen3."
    assert without_thinking(TWO_BLOCKS) == expected
    pieces = [TWO_BLOCKS[i : i + 3] for i in range(0, len(TWO_BLOCKS), 3)]
    assert "".join(stream_without_thinking(pieces)) == expected


def test_a_reply_with_reasoning_content_is_all_answer() -> None:
    answer = "<think>\nis the tag\n</think>\nthat Qwen3 writes."
    message = {"content": answer, "reasoning_content": "The user asks about tags."}
    assert repair_message(message, None).message["content"] == answer


def _sse(*deltas: dict[str, str]) -> str:
    events = [{"choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas]
    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"


def test_a_stream_with_reasoning_content_is_all_answer(make_client: MakeClient) -> None:
    body = _sse(
        {"reasoning_content": "The user asks about tags."},
        {"content": "<think>\nis the tag\n</think>\n"},
        {"content": "that Qwen3 writes."},
    )
    with ScriptedLLMServer([replies.raw(body, content_type="text/event-stream")]) as server:
        text = "".join(make_client(server, "scout").stream([{"role": "user", "content": "hi"}]))
    assert text == "<think>\nis the tag\n</think>\nthat Qwen3 writes."


def test_a_quoting_answer_streams_whole_from_the_server(make_client: MakeClient) -> None:
    with ScriptedLLMServer([replies.text(STARTS_WITH_TAG)]) as server:
        text = "".join(make_client(server, "scout").stream([{"role": "user", "content": "hi"}]))
    assert text == STARTS_WITH_TAG
