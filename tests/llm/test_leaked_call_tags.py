"""Calls written as text inside ``<tool_call>`` tags (Hermes/Qwen chat templates) or after
Llama 3.1's ``<|python_tag|>``: recovered, and no tag is left behind as the reply's text."""

from __future__ import annotations

import pytest

from repoagent.llm.leaked_calls import LeakedCall, find_leaked_calls
from repoagent.llm.repair import repair_message

GREP = {"type": "function", "function": {"name": "grep", "parameters": {"type": "object"}}}


@pytest.mark.parametrize(
    "content",
    [
        '<tool_call>\n{"name": "grep", "arguments": {"pattern": "x"}}\n</tool_call>',
        '<tool_call>{"name": "grep", "arguments": {"pattern": "x"}}',  # never closed
        '<tool_call>\n```json\n{"name": "grep", "arguments": {"pattern": "x"}}\n```\n</tool_call>',
        '<function_call>{"name": "grep", "arguments": {"pattern": "x"}}</function_call>',
        '<|python_tag|>{"name": "grep", "parameters": {"pattern": "x"}}<|eom_id|>',
    ],
)
def test_a_tagged_call_leaves_no_text(content: str) -> None:
    calls, prose = find_leaked_calls(content)
    assert calls == [LeakedCall("grep", {"pattern": "x"})]
    assert prose == ""


def test_several_tagged_calls_keep_the_prose_around_them() -> None:
    content = (
        "Let me search.\n"
        '<tool_call>\n{"name": "grep", "arguments": {"pattern": "a"}}\n</tool_call>\n'
        '<tool_call>\n{"name": "grep", "arguments": {"pattern": "b"}}\n</tool_call>'
    )
    calls, prose = find_leaked_calls(content)
    assert [c.arguments["pattern"] for c in calls] == ["a", "b"]
    assert prose == "Let me search."


def test_the_repaired_message_carries_no_tags() -> None:
    raw = {
        "role": "assistant",
        "content": '<tool_call>\n{"name": "grep", "arguments": {"pattern": "x"}}\n</tool_call>',
    }
    repaired = repair_message(raw, [GREP])
    assert [c.name for c in repaired.tool_calls] == ["grep"]
    assert repaired.message["content"] is None


@pytest.mark.parametrize("depth", [500, 5_000, 50_000])
def test_a_reply_nested_deeper_than_the_decoder_goes_is_no_call(depth: int) -> None:
    # Hundreds of brackets made find_leaked_calls (the chat client's and ask's) recurse until
    # RecursionError ended the run.
    for reply in ("[" * depth, '{"a":' * depth, "see " + "[" * depth + "]" * depth):
        calls, rest = find_leaked_calls(reply)
        assert calls == [] and rest == reply
