"""Tool calls as small models write them: a namespaced or mis-cased tool name, arguments in a
code fence, with a stray closing brace. Repaired when the intent is unambiguous;
otherwise rejected with an error the model can act on."""

from __future__ import annotations

import json

import pytest

from repoagent.llm.repair import repair_message
from repoagent.toolbox import INVESTIGATE_TOOLS, load_tool_specs

SPECS = load_tool_specs(INVESTIGATE_TOOLS)


def call(name: str, arguments: object) -> dict:
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"tool_calls": [{"id": "c1", "function": {"name": name, "arguments": raw}}]}


@pytest.mark.parametrize(
    "name", ["functions.grep", "Grep", " grep ", "GREP", "repo_browser.grep", "functions/grep"]
)
def test_a_recognisable_tool_name_is_repaired(name: str) -> None:
    repaired = repair_message(call(name, {"pattern": "x"}), SPECS)
    assert [(c.name, c.arguments) for c in repaired.tool_calls] == [("grep", {"pattern": "x"})]
    assert repaired.repaired == 1
    # The conversation replays the call under its real name.
    assert repaired.message["tool_calls"][0]["function"]["name"] == "grep"


@pytest.mark.parametrize("name", ["run_shell", "functions.exec", "", "read"])
def test_an_unknown_tool_is_still_rejected(name: str) -> None:
    repaired = repair_message(call(name, {"pattern": "x"}), SPECS)
    assert repaired.tool_calls == []
    (rejected,) = repaired.rejected
    assert "unknown tool" in rejected.error and "grep" in rejected.error


@pytest.mark.parametrize(
    "raw",
    [
        '```json\n{"pattern": "x"}\n```',
        '{"pattern": "x"}}',
        '  {"pattern": "x"} \n',
    ],
)
def test_sloppy_argument_text_is_repaired(raw: str) -> None:
    repaired = repair_message(call("grep", raw), SPECS)
    assert [c.arguments for c in repaired.tool_calls] == [{"pattern": "x"}]


@pytest.mark.parametrize(
    "raw",
    [
        '{"pattern": "x"} and then {"pattern": "y"}',
        '{"pattern": ',
        '{"pattern": "x"',  # how a call cut off by max_tokens looks: never run half of it
    ],
)
def test_ambiguous_argument_text_is_rejected(raw: str) -> None:
    repaired = repair_message(call("grep", raw), SPECS)
    assert repaired.tool_calls == [] and len(repaired.rejected) == 1


@pytest.mark.parametrize(
    ("tool_calls", "expected"),
    [
        ([None], []),
        ("grep", []),
        ({"id": "c1", "function": {"name": "grep", "arguments": '{"pattern": "x"}'}}, ["grep"]),
        ([{"id": "c1", "function": "grep", "arguments": {"pattern": "x"}}], ["grep"]),
        ([{"id": "c1", "name": "grep", "arguments": {"pattern": "x"}}], ["grep"]),
        ([None, {"id": 7, "function": {"name": "grep", "arguments": {"pattern": "x"}}}], ["grep"]),
    ],
)
def test_malformed_tool_call_entries_never_crash(tool_calls: object, expected: list[str]) -> None:
    repaired = repair_message({"role": "assistant", "tool_calls": tool_calls}, SPECS)
    assert [c.name for c in repaired.tool_calls] == expected
    for entry in repaired.message.get("tool_calls", []):
        assert isinstance(entry["id"], str) and entry["id"]


def test_a_call_without_a_name_is_sent_back() -> None:
    raw = {"tool_calls": [{"id": "c1", "function": {"arguments": '{"pattern": "x"}'}}]}
    repaired = repair_message(raw, SPECS)
    (rejected,) = repaired.rejected
    assert "unknown tool" in rejected.error


@pytest.mark.parametrize(
    ("name", "arguments"),
    [("read_file", {"path": "a.py", "start_line": "x" * 100_000}), ("g" * 100_000, {})],
)
def test_the_error_for_a_runaway_call_is_short(name: str, arguments: dict) -> None:
    (rejected,) = repair_message(call(name, arguments), SPECS).rejected
    assert len(rejected.error) < 1100
