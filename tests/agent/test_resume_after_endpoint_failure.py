"""A run stopped by a failing endpoint is worth resuming: once the endpoint is back, --resume
retries the failed model work (finished calls come from the journal) instead of re-printing
the partial report."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.scripts import MAVERICK, candidate_of, maverick_script


def test_resume_retries_what_the_endpoint_failed(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    down = maverick_script(
        override=lambda key, turn: replies.server_error(503) if key == "never closes" else None
    )
    server.script(down, model=MAVERICK)
    first = review(planted.working_tree_dir, concurrency=1)
    assert first.stopped_by == "provider-error"
    before = len(server.chat_requests)

    server.script(maverick_script(), model=MAVERICK)  # the endpoint is back
    again = review(planted.working_tree_dir, resume=first.run_id)

    assert again.stopped_by is None
    assert "count_lines leaks a file handle" in {f.title for f in again.findings}
    retried = {candidate_of(r.body) for r in server.chat_requests[before:]}
    assert retried <= {"never closes"}  # finished investigations were replayed, not re-requested
