"""Tool-call shapes from real servers, through the real client: recovered, validated, rejected."""

from __future__ import annotations

import json
import keyword
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repoagent.llm import UsageLedger, repair_message
from repoagent.llm.leaked_calls import find_leaked_calls
from repoagent.testing import Call, ScriptedLLMServer, replies

from .conftest import MakeClient

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "grep",
            "description": "search",
            "parameters": {
                "type": "object",
                "properties": {
                    "pattern": {"type": "string"},
                    "paths": {"type": "array", "items": {"type": "string"}},
                    "max_results": {"type": "integer", "minimum": 1, "maximum": 200},
                    "ignore_case": {"type": "boolean"},
                    "options": {"type": "object"},
                },
                "required": ["pattern"],
                "additionalProperties": False,
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "report_finding",
            "description": "report",
            "parameters": {
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "severity": {"type": "string", "enum": ["high", "medium", "low"]},
                },
                "required": ["path", "severity"],
                "additionalProperties": False,
            },
        },
    },
    {"type": "function", "function": {"name": "list_files", "parameters": {"type": "object"}}},
]

NESTED = {
    "pattern": 'def \\w+\\(self, "x"\\)\n\ttab',
    "paths": ["src/a.py", "it's/b.py"],
    "options": {"nested": [1, 2.5, {"deep": None, "flag": True}], "quote": "\"'"},
}


def _chat(make_client: MakeClient, reply: replies.Reply, ledger: UsageLedger | None = None):
    with ScriptedLLMServer([reply]) as server:
        return make_client(server, ledger=ledger).chat(
            [{"role": "user", "content": "go"}], tools=TOOLS
        )


def test_native_tool_calls_are_normalised(make_client: MakeClient) -> None:
    reply = _chat(make_client, replies.tool_calls(("grep", NESTED), ("list_files", {})))
    assert [(c.name, c.arguments) for c in reply.tool_calls] == [
        ("grep", NESTED),
        ("list_files", {}),
    ]
    assert reply.repaired == 0 and reply.rejected_calls == []
    for entry in reply.message["tool_calls"]:
        assert entry["type"] == "function" and entry["id"]
        assert isinstance(entry["function"]["arguments"], str)
    assert json.loads(reply.message["tool_calls"][0]["function"]["arguments"]) == NESTED


@pytest.mark.parametrize(
    "style", ["json", "json_array", "parameters", "fenced", "pythonic", "python_tag"]
)
def test_calls_leaked_into_content_are_recovered(make_client: MakeClient, style: str) -> None:
    ledger = UsageLedger()
    leaked = replies.leaked_calls(
        ("grep", NESTED), ("report_finding", {"path": "a.py", "severity": "high"}), style=style
    )
    reply = _chat(make_client, leaked, ledger)
    assert [c.name for c in reply.tool_calls] == ["grep", "report_finding"]
    assert reply.tool_calls[0].arguments == NESTED
    assert reply.content is None
    assert len({c.id for c in reply.tool_calls}) == 2
    assert reply.repaired == 2 and ledger.totals("maverick").repaired_calls == 2


def test_single_fenced_call_from_a_small_model_keeps_the_prose(make_client: MakeClient) -> None:
    leaked = replies.leaked_calls(
        ("list_files", {}), style="fenced", prose="I will list the files first."
    )
    reply = _chat(make_client, leaked)
    assert [c.name for c in reply.tool_calls] == ["list_files"]
    assert reply.content == "I will list the files first."


def test_python_tag_without_end_tag_and_with_prose() -> None:
    content = 'Checking.<|python_start|>[grep(pattern="a\\nb", max_results=5)]'
    calls, prose = find_leaked_calls(content)
    assert [(c.name, c.arguments) for c in calls] == [
        ("grep", {"pattern": "a\nb", "max_results": 5})
    ]
    assert prose == "Checking."


def test_pythonic_never_evaluates_code() -> None:
    calls, prose = find_leaked_calls('[grep(pattern=__import__("os").system("echo hi"))]')
    assert calls == [] and prose.startswith("[grep(")


def test_pythonic_accepts_json_literals_and_positional_arguments(make_client: MakeClient) -> None:
    content = '[grep("needle", ignore_case=true, options={"a": null})]'
    reply = _chat(make_client, replies.Reply(message={"role": "assistant", "content": content}))
    (call,) = reply.tool_calls
    assert call.arguments == {"pattern": "needle", "ignore_case": True, "options": {"a": None}}


def test_leaked_json_naming_no_declared_tool_stays_text(make_client: MakeClient) -> None:
    text = '{"name": "Alice", "arguments": {"age": 3}}'
    reply = _chat(make_client, replies.text(text))
    assert reply.tool_calls == [] and reply.rejected_calls == [] and reply.content == text


@pytest.mark.parametrize(
    ("arguments", "shape"),
    [
        ({"pattern": "x"}, "object"),
        (json.dumps(json.dumps({"pattern": "x"})), "string"),  # double-encoded
        ("{'pattern': 'x'}", "string"),  # Python literal
    ],
)
def test_arguments_in_odd_shapes_are_normalised(
    make_client: MakeClient, arguments: Any, shape: replies.ArgumentsShape
) -> None:
    reply = _chat(make_client, replies.tool_calls(Call("grep", arguments), arguments_as=shape))
    assert reply.tool_calls[0].arguments == {"pattern": "x"}
    assert reply.repaired == 1


def test_empty_string_arguments_mean_no_arguments(make_client: MakeClient) -> None:
    reply = _chat(make_client, replies.tool_calls(("list_files", {}), arguments_as="empty"))
    assert reply.tool_calls[0].arguments == {} and reply.rejected_calls == []
    reply = _chat(make_client, replies.tool_calls(("grep", {}), arguments_as="empty"))
    assert "missing required parameter 'pattern'" in reply.rejected_calls[0].error


def test_simple_types_are_coerced(make_client: MakeClient) -> None:
    args = {"pattern": 42, "max_results": "7", "ignore_case": "TRUE", "paths": "one.py"}
    reply = _chat(make_client, replies.tool_calls(("grep", args)))
    assert reply.tool_calls[0].arguments == {
        "pattern": "42",
        "max_results": 7,
        "ignore_case": True,
        "paths": ["one.py"],
    }
    reply = _chat(
        make_client, replies.tool_calls(("report_finding", {"path": "a", "severity": "High"}))
    )
    assert reply.tool_calls[0].arguments["severity"] == "high"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (("delete_repo", {}), "unknown tool 'delete_repo'; available tools: grep, report_finding"),
        (("grep", {"pattern": "x", "colour": "red"}), "unknown parameter 'colour'"),
        (("grep", {"pattern": "x", "max_results": 500}), "max_results must be at most 200"),
        (("grep", {"pattern": "x", "max_results": "lots"}), "max_results must be integer"),
        (("report_finding", {"path": "a", "severity": "urgent"}), 'must be one of "high"'),
        (("grep", '{"pattern": '), "arguments are not valid JSON"),
        (("grep", "[1, 2]"), "arguments must be a JSON object, got array"),
    ],
)
def test_invalid_calls_are_rejected_with_feedback(
    make_client: MakeClient, call: tuple[str, Any], error: str
) -> None:
    ledger = UsageLedger()
    reply = _chat(make_client, replies.tool_calls(call, ("list_files", {})), ledger)
    assert [c.name for c in reply.tool_calls] == ["list_files"]
    (rejected,) = reply.rejected_calls
    assert error in rejected.error
    # the assistant message still lists the call, so the error can answer it
    ids = [entry["id"] for entry in reply.message["tool_calls"]]
    assert rejected.id in ids
    feedback = rejected.tool_message()
    assert feedback["role"] == "tool" and feedback["tool_call_id"] == rejected.id
    assert feedback["content"].startswith("Error: ")
    assert ledger.totals("maverick").rejected_calls == 1


def test_missing_and_duplicate_ids_are_made_unique(make_client: MakeClient) -> None:
    reply = _chat(
        make_client,
        replies.Reply(
            message={
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "same",
                        "type": "function",
                        "function": {"name": "list_files", "arguments": "{}"},
                    },
                    {
                        "id": "same",
                        "type": "function",
                        "function": {"name": "list_files", "arguments": "{}"},
                    },
                    {"type": "function", "function": {"name": "list_files", "arguments": "{}"}},
                ],
            }
        ),
    )
    ids = [c.id for c in reply.tool_calls]
    assert len(set(ids)) == 3 and ids[0] == "same"


def test_conversation_round_trip_is_accepted_verbatim(make_client: MakeClient) -> None:
    script = [replies.leaked_calls(("grep", {"pattern": "x"}), style="pythonic"), "done"]
    with ScriptedLLMServer(script) as server:
        client = make_client(server)
        messages: list[dict[str, Any]] = [{"role": "user", "content": "go"}]
        first = client.chat(messages, tools=TOOLS)
        messages.append(first.message)
        messages += [
            {"role": "tool", "tool_call_id": c.id, "content": "a.py:1: x"} for c in first.tool_calls
        ]
        assert client.chat(messages, tools=TOOLS).content == "done"
    sent = server.chat_requests[1].body["messages"]
    assert sent[1]["tool_calls"][0]["function"] == {"name": "grep", "arguments": '{"pattern": "x"}'}
    assert sent[2]["tool_call_id"] == sent[1]["tool_calls"][0]["id"]


def test_server_without_function_calling_gets_tools_as_text(make_client: MakeClient) -> None:
    script = [replies.leaked_calls(("grep", {"pattern": "x"})), "done"]
    with ScriptedLLMServer(script) as server:
        client = make_client(server, supports_tools=False)
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": "You review code."},
            {"role": "user", "content": "go"},
        ]
        first = client.chat(messages, tools=TOOLS)
        messages += [
            first.message,
            {"role": "tool", "tool_call_id": first.tool_calls[0].id, "content": "hit"},
        ]
        client.chat(messages, tools=TOOLS)
    body = server.chat_requests[1].body
    assert "tools" not in body
    assert body["messages"][0]["content"].startswith("You review code.")
    assert '"name": "grep"' in body["messages"][0]["content"]
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user"]
    assert body["messages"][3]["content"] == "Result of grep:\nhit"


def test_tools_none_means_no_recovery() -> None:
    result = repair_message({"role": "assistant", "content": '[grep(pattern="x")]'}, None)
    assert result.tool_calls == [] and result.message["content"] == '[grep(pattern="x")]'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(
            lambda name: not keyword.iskeyword(name)  # f(if=1) is not Python
        ),
        json_values,
        max_size=4,
    )
)
def test_pythonic_rendering_parses_back(arguments: dict[str, Any]) -> None:
    for style in ("pythonic", "python_tag", "json", "fenced"):
        message = replies.leaked_calls(("grep", arguments), style=style).message
        assert message is not None
        calls, _ = find_leaked_calls(message["content"])
        assert [(c.name, c.arguments) for c in calls] == [("grep", arguments)]


def test_call_between_sentences_and_after_other_braces() -> None:
    content = (
        'The config uses {placeholders}. I will search: {"name": "grep", "arguments": '
        '{"pattern": "TODO"}} and then report back.'
    )
    calls, prose = find_leaked_calls(content)
    assert [(c.name, c.arguments) for c in calls] == [("grep", {"pattern": "TODO"})]
    assert prose == "The config uses {placeholders}. I will search:\nand then report back."
