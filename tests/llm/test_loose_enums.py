"""Models name a category or severity in their own words; one clear meaning is accepted instead
of sending back (and, after a second slip, dropping) a real finding."""

from __future__ import annotations

import pytest

from repoagent.llm.arguments import ArgumentError, check_arguments
from repoagent.toolbox import load_tool_specs

SCHEMA = next(
    s["function"]["parameters"]
    for s in load_tool_specs(["report_finding"])
    if s["function"]["name"] == "report_finding"
)
BASE = {"path": "a.py", "quote": "x = 1", "title": "t", "explanation": "e"}


@pytest.mark.parametrize(
    ("category", "severity", "expected"),
    [
        ("Security vulnerability", "HIGH", ("security", "high")),
        ("resource leak", "Medium severity", ("resource", "medium")),
        ("error_handling", "med", ("error-handling", "medium")),
    ],
)
def test_one_clear_meaning_is_accepted(category: str, severity: str, expected: tuple) -> None:
    coerced, _ = check_arguments(SCHEMA, {**BASE, "category": category, "severity": severity})
    assert (coerced["category"], coerced["severity"]) == expected


def test_unclear_values_still_go_back_to_the_model() -> None:
    with pytest.raises(ArgumentError, match="category must be one of"):
        check_arguments(SCHEMA, {**BASE, "category": "bug", "severity": "high"})
