"""A reasoning model's <think> block (no reasoning parser on the server) is neither the answer
nor a source of tool calls: dropped from chat replies and from streams."""

from __future__ import annotations

import pytest

from repoagent.llm.repair import repair_message
from repoagent.llm.thinking import stream_without_thinking, without_thinking
from repoagent.testing import ScriptedLLMServer, replies

from .conftest import MakeClient

GREP = {
    "type": "function",
    "function": {
        "name": "grep",
        "parameters": {"type": "object", "properties": {"pattern": {"type": "string"}}},
    },
}
THOUGHT = '<think>\nMaybe I should call {"name": "grep", "arguments": {"pattern": "rm"}}.\n</think>'


def test_a_call_considered_while_thinking_is_not_run() -> None:
    repaired = repair_message({"content": THOUGHT + "\n\nNo problems here."}, [GREP])
    assert repaired.tool_calls == [] and repaired.message["content"] == "No problems here."


def test_a_call_made_after_thinking_is_run() -> None:
    after = THOUGHT + '\n{"name": "grep", "arguments": {"pattern": "open("}}'
    repaired = repair_message({"content": after}, [GREP])
    assert [c.arguments for c in repaired.tool_calls] == [{"pattern": "open("}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<think>cut off while thinking", ""),
        ("a < b, and <think> is a tag name", "a < b, and <think> is a tag name"),
        ("no tags at all", "no tags at all"),
    ],
)
def test_without_thinking(text: str, expected: str) -> None:
    assert without_thinking(text) == expected


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["<th", "ink>plan", "</thi", "nk>\n\nThe ", "answer."], "The answer."),
        (["The <think> tag ", "is mid-answer."], "The <think> tag is mid-answer."),
        (["<", "b>bold</b> text"], "<b>bold</b> text"),
        (["<think>never closed"], ""),
    ],
)
def test_stream_without_thinking(pieces: list[str], expected: str) -> None:
    assert "".join(stream_without_thinking(pieces)) == expected


def test_a_streamed_answer_has_no_thinking(make_client: MakeClient) -> None:
    text = "<think>\nThe user wants the file.\n</think>\n\nIt is in `a.py:1`."
    with ScriptedLLMServer([replies.text(text)]) as server:
        pieces = list(make_client(server, "scout").stream([{"role": "user", "content": "hi"}]))
    assert "".join(pieces) == "It is in `a.py:1`."
