"""A very long prose reply is not a tool call and must not crash the leaked-call parser
(Python's parser ran out of memory on 240,000 characters of prose)."""

from __future__ import annotations

from repoagent.llm.leaked_calls import find_leaked_calls
from repoagent.testing import replies


def test_long_prose_is_prose() -> None:
    prose = "lorem ipsum " * 20_000
    assert find_leaked_calls(prose) == ([], prose)
    bracketed = "see [the docs] and (this) " * 5_000
    assert find_leaked_calls(bracketed)[0] == []


def test_calls_after_long_prose_are_still_found() -> None:
    body = replies.pythonic([("grep", {"pattern": "x"})])
    calls, rest = find_leaked_calls("thinking " * 2_000 + f"<|python_start|>{body}<|python_end|>")
    assert [c.name for c in calls] == ["grep"] and rest.startswith("thinking")
