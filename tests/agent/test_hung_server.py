"""--timeout bounds the run even while a model request hangs: the request is given up at the
deadline (not after the 600 s request timeout and its retries) and the run ends as 'timeout'
with what it has, instead of waiting for the server."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.agent.options import Budgets
from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.scripts import MAVERICK, SCOUT

CANDIDATE = {"path": "notebox/paging.py", "quote": "def page", "reason": "slice bounds"}


def test_a_hung_request_ends_at_the_run_deadline(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    server.script(
        [replies.tool_calls(("report_candidate", CANDIDATE)), replies.text("Done.")],
        model=SCOUT,
    )
    # The server would answer only after 6 s (a hung vLLM); the run allows 2 s in all.
    server.script(lambda body: replies.text("Nothing wrong.").after(6), model=MAVERICK)
    report = review(planted.working_tree_dir, Budgets(timeout=2))
    assert report.stopped_by == "timeout"
    maverick = [u for u in report.usage if u.role == "maverick"]
    assert not maverick or maverick[0].calls == 0  # the hung reply was never waited for
