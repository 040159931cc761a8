"""Very long model outputs are capped before they reach the next prompt or the report."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.conftest import chat_requests
from tests.agent.scripts import MAVERICK, PAGING_QUOTE, SCOUT, turn_of

BIG = "lorem ipsum " * 20_000


def test_runaway_reason_title_and_explanation_are_capped(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    candidate = {"path": "notebox/paging.py", "quote": PAGING_QUOTE, "reason": BIG}
    server.script(
        [replies.tool_calls(("report_candidate", candidate)), replies.text(BIG)], model=SCOUT
    )
    finding = {
        "path": "notebox/paging.py",
        "quote": PAGING_QUOTE,
        "title": "T" * 5000,
        "explanation": BIG,
        "severity": "high",
        "category": "correctness",
    }
    server.script(
        lambda body: (
            replies.tool_calls(("report_finding", finding))
            if turn_of(body) == 0
            else replies.text(BIG)
        ),
        model=MAVERICK,
    )
    report = review(planted.working_tree_dir)

    task = chat_requests(server, MAVERICK)[0]["messages"][2]["content"]
    assert len(task) < 3000
    (found,) = report.findings
    assert len(found.title) <= 200 and found.title.endswith("…")
    assert len(found.explanation) <= 4000
