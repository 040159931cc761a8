"""A model that never stops calling tools: repeated calls are not run again, and a model that
only repeats is stopped, so it cannot eat the whole run's turn budget."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.agent import Budgets
from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.conftest import chat_requests
from tests.agent.scripts import MAVERICK, PLANS, maverick_script


def test_a_model_repeating_one_call_is_stopped_and_others_still_run(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    def stuck(key: str, turn: int) -> replies.Reply | None:
        # The traversal candidate greps the same thing forever.
        return (
            replies.tool_calls(("grep", {"pattern": "def "})) if key == "read_note joins" else None
        )

    server.script(maverick_script(PLANS, override=stuck), model=MAVERICK)
    report = review(planted.working_tree_dir, budgets=Budgets(max_turns=20))

    assert report.stopped_by is None  # the loop was stopped, not the run
    assert {f.title for f in report.findings} >= {
        "page() returns one item too many",
        "count_lines leaks a file handle",
    }
    assert any("kept repeating" in n for n in report.notes)
    stuck_requests = [
        body for body in chat_requests(server, MAVERICK) if "read_note joins" in str(body)
    ]
    assert len(stuck_requests) == 3  # the call, one repeat (answered from above), a second: stop
    last_tool_message = stuck_requests[-1]["messages"][-1]
    assert (
        last_tool_message["role"] == "tool"
        and "already called grep" in last_tool_message["content"]
    )
