"""End to end: a secret committed in the repository reaches neither model — not through the
pack, not through the tools Maverick calls — and a finding quoting its marker is anchored."""

from __future__ import annotations

import json
from collections.abc import Callable

import git

from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.scripts import MAVERICK, SCOUT, example_files, turn_of

AWS = "AKIAIOSFODNN7EXAMPLE"
GITHUB = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"
QUOTE = 'AWS_ACCESS_KEY_ID = "[REDACTED:AWS Access Key]"'


def test_secrets_stay_out_of_every_request(
    make_repo: Callable[..., git.Repo],
    review: Callable[..., Report],
    server: ScriptedLLMServer,
) -> None:
    settings = f'AWS_ACCESS_KEY_ID = "{AWS}"\nTOKEN = "{GITHUB}"\n'
    files = {**example_files(), "notebox/settings.py": settings, ".env": f"TOKEN={GITHUB}\n"}
    repo = make_repo(files, name="with-secrets")
    candidate = {"path": "notebox/settings.py", "quote": QUOTE, "reason": "a hard-coded key"}
    server.script(
        [replies.tool_calls(("report_candidate", candidate)), replies.text("done")], model=SCOUT
    )
    plan = [
        replies.tool_calls(
            ("read_file", {"path": "notebox/settings.py"}),
            ("read_file", {"path": ".env"}),
            ("grep", {"pattern": "TOKEN"}),
        ),
        replies.tool_calls(
            (
                "report_finding",
                {
                    "path": "notebox/settings.py",
                    "quote": QUOTE,
                    "title": "hard-coded AWS key",
                    "severity": "high",
                    "category": "security",
                    "explanation": "in the source",
                },
            )
        ),
    ]
    server.script(
        lambda body: plan[turn_of(body)] if turn_of(body) < len(plan) else replies.text("ok"),
        model=MAVERICK,
    )
    report = review(repo.working_tree_dir)

    sent = json.dumps([r.body for r in server.chat_requests])
    assert server.chat_requests and AWS not in sent and GITHUB not in sent
    assert "[REDACTED:AWS Access Key]" in sent
    (finding,) = report.findings
    assert (finding.path, finding.start_line) == ("notebox/settings.py", 1)
    assert AWS not in finding.quote
