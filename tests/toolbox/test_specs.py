"""The tool specs are data the model reads; they must be valid and complete."""

from __future__ import annotations

import jsonschema
import pytest

from repoagent.errors import ToolError
from repoagent.toolbox import INVESTIGATE_TOOLS, SCOUT_TOOLS, load_tool_specs, tool_names

EXPECTED = {
    "grep",
    "read_file",
    "list_files",
    "find_symbol",
    "git_log",
    "git_diff",
    "git_blame",
    "run_tests",
    "report_candidate",
    "report_finding",
}


def test_every_tool_has_a_valid_openai_spec() -> None:
    specs = load_tool_specs(run_tests=True)
    assert {s["function"]["name"] for s in specs} == EXPECTED
    for spec in specs:
        assert spec["type"] == "function"
        fn = spec["function"]
        assert fn["description"].strip()
        jsonschema.Draft202012Validator.check_schema(fn["parameters"])
        assert fn["parameters"]["type"] == "object"


def test_run_tests_is_offered_only_when_enabled() -> None:
    assert "run_tests" not in {s["function"]["name"] for s in load_tool_specs()}
    names = [s["function"]["name"] for s in load_tool_specs(INVESTIGATE_TOOLS, run_tests=True)]
    assert names == list(INVESTIGATE_TOOLS)
    assert [s["function"]["name"] for s in load_tool_specs(SCOUT_TOOLS)] == ["report_candidate"]


def test_order_is_stable_and_specs_are_copies() -> None:
    first = load_tool_specs()
    first[0]["function"]["parameters"]["properties"].clear()
    assert load_tool_specs() == load_tool_specs()
    assert load_tool_specs()[0]["function"]["parameters"]["properties"]
    assert tool_names()[0] == "grep"


def test_unknown_tool_name_is_refused() -> None:
    with pytest.raises(ToolError, match="unknown tool"):
        load_tool_specs(["grep", "shell"])


def test_report_finding_requires_a_quote_not_line_numbers() -> None:
    (spec,) = load_tool_specs(["report_finding"])
    params = spec["function"]["parameters"]
    assert {"path", "quote", "severity", "category", "title", "explanation"} <= set(
        params["required"]
    )
    assert "line_hint" not in params["required"]
    jsonschema.validate(
        {
            "path": "a.py",
            "quote": "x = 1",
            "severity": "high",
            "category": "correctness",
            "title": "t",
            "explanation": "e",
            "replacement": "x = 2",
        },
        params,
    )
