"""Scripted Scout and Maverick for the planted-bugs example (used by the agent tests and the
benchmark). Maverick's replies are chosen by content (which candidate, which turn), because
candidates are investigated concurrently and their order is not fixed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from repoagent.testing import Reply, replies

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "planted-bugs"
SCOUT = "scout-model"
MAVERICK = "maverick-model"

PAGING_QUOTE = "    return items[start : start + size + 1]"
TRAVERSAL_QUOTE = "        path = os.path.join(self.directory, name)"
LEAK_QUOTE = '    f = open(path, encoding="utf-8")\n    return len(f.readlines())'


def example_files() -> dict[str, bytes]:
    """The planted-bugs example as ``{relative path: bytes}``."""
    return {
        p.relative_to(EXAMPLE).as_posix(): p.read_bytes()
        for p in sorted(EXAMPLE.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }


def scout_script() -> list[Reply]:
    """Scout: three candidates in one reply, then a summary without tool calls."""
    return [
        replies.tool_calls(
            (
                "report_candidate",
                {
                    "path": "notebox/paging.py",
                    "quote": PAGING_QUOTE,
                    "reason": "page() slices one item too many",
                    "category": "correctness",
                },
            ),
            (
                "report_candidate",
                {
                    "path": "notebox/store.py",
                    "quote": TRAVERSAL_QUOTE,
                    "reason": "read_note joins an unchecked name onto the directory",
                    "category": "security",
                },
            ),
            (
                "report_candidate",
                {
                    "path": "notebox/store.py",
                    "quote": "def count_lines(path):",
                    "reason": "count_lines never closes its file",
                    "category": "resource",
                },
            ),
        ),
        replies.text("Three candidates: paging, path traversal, leaked file handle."),
    ]


def finding(**arguments: Any) -> tuple[str, dict[str, Any]]:
    """A report_finding call with sensible defaults."""
    base = {"severity": "medium", "category": "correctness", "explanation": "Read the code."}
    return ("report_finding", {**base, **arguments})


PLANS: dict[str, list[Reply]] = {
    # Candidate 1: greps, reads, reports the off-by-one with a wrong line hint and a fix that
    # makes the failing test pass.
    "page() slices": [
        replies.tool_calls(("grep", {"pattern": "start + size", "fixed_string": True})),
        replies.tool_calls(("read_file", {"path": "notebox/paging.py"})),
        replies.tool_calls(
            finding(
                path="notebox/paging.py",
                quote=PAGING_QUOTE,
                severity="high",
                title="page() returns one item too many",
                line_hint=3,
                explanation="tests/test_paging.py expects 3 items; the slice end adds 1.",
                replacement="    return items[start : start + size]",
            )
        ),
        replies.text("Confirmed the off-by-one."),
    ],
    # Candidate 2: a real finding whose fix does not parse, and one quote that does not exist.
    "read_note joins": [
        replies.tool_calls(("read_file", {"path": "notebox/store.py", "start_line": 1})),
        replies.tool_calls(
            finding(
                path="notebox/store.py",
                quote=TRAVERSAL_QUOTE,
                severity="critical",
                category="security",
                title="read_note allows path traversal",
                replacement="        path = os.path.join(self.directory, name",
            ),
            finding(
                path="notebox/store.py",
                quote="    return eval(name)",
                severity="high",
                category="security",
                title="eval of a note name",
            ),
        ),
        replies.text("Done."),
    ],
    # Candidate 3: a leak with a fix that applies.
    "never closes": [
        replies.tool_calls(
            finding(
                path="notebox/store.py",
                quote=LEAK_QUOTE,
                severity="low",
                category="resource",
                title="count_lines leaks a file handle",
                replacement='    with open(path, encoding="utf-8") as f:\n        return len(f.readlines())',
            )
        ),
        replies.text("Done."),
    ],
}


def candidate_of(body: Mapping[str, Any], plans: Mapping[str, Any] = PLANS) -> str | None:
    """Which plan a Maverick request belongs to (by the candidate's reason in the task)."""
    messages = body.get("messages", [])
    task = str(messages[2]["content"]) if len(messages) > 2 else ""
    return next((key for key in plans if key in task), None)


def turn_of(body: Mapping[str, Any]) -> int:
    """How many assistant turns the conversation already holds."""
    return sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")


def maverick_script(
    plans: Mapping[str, Sequence[Reply]] = PLANS,
    override: Callable[[str, int], Reply | None] | None = None,
) -> Callable[[dict[str, Any]], Reply]:
    """A callable script: the reply for (candidate, turn), ``text("done")`` past the plan."""

    def answer(body: dict[str, Any]) -> Reply:
        key = candidate_of(body, plans)
        turn = turn_of(body)
        if key is not None and override is not None:
            special = override(key, turn)
            if special is not None:
                return special
        plan = plans.get(key or "", [])
        return plan[turn] if turn < len(plan) else replies.text("Nothing more.")

    return answer


def role_env(base_url: str) -> dict[str, str]:
    """REPOAGENT_* variables pointing both roles at the scripted server."""
    return {
        "REPOAGENT_SCOUT_BASE_URL": base_url,
        "REPOAGENT_SCOUT_MODEL": SCOUT,
        "REPOAGENT_SCOUT_CONTEXT_WINDOW": "60000",
        "REPOAGENT_MAVERICK_BASE_URL": base_url,
        "REPOAGENT_MAVERICK_MODEL": MAVERICK,
        "REPOAGENT_MAVERICK_CONTEXT_WINDOW": "60000",
        "REPOAGENT_MAVERICK_MAX_RETRIES": "0",
        "REPOAGENT_SCOUT_MAX_RETRIES": "0",
    }
