"""Findings and candidates a model writes as JSON in its last reply (bare, fenced, after a
sentence, with its own key names) instead of calling the report tool: they count, once; the
ones that cannot be used are dropped and counted, never a crash."""

from __future__ import annotations

import json
from collections.abc import Callable

import git

from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.conftest import chat_requests
from tests.agent.scripts import MAVERICK, PAGING_QUOTE, SCOUT

CANDIDATE = {"path": "notebox/paging.py", "quote": "def page", "reason": "slice bounds"}


def scout_reports_one(server: ScriptedLLMServer) -> None:
    server.script(
        [replies.tool_calls(("report_candidate", CANDIDATE)), replies.text("Done.")],
        model=SCOUT,
    )


def test_findings_written_as_fenced_json_are_reported(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    written = [
        {
            "file": "notebox/paging.py",
            "code": PAGING_QUOTE,
            "severity": "HIGH",
            "type": "off-by-one bug",  # not a category: left out, the finding kept
            "title": "page() returns one item too many",
            "explanation": "The slice end adds 1.",
            "line": "16",
        },
        {"file": "notebox/paging.py", "title": "no quote, cannot be used"},
    ]
    text = f"I found these problems:\n\n```json\n{json.dumps(written, indent=2)}\n```\n"
    server.script([replies.text(text)], model=MAVERICK)
    report = review(planted.working_tree_dir)
    [finding] = report.findings
    assert (finding.path, finding.start_line, finding.severity) == ("notebox/paging.py", 16, "high")
    assert finding.title == "page() returns one item too many"
    assert any("1 malformed tool call(s) were dropped" in n for n in report.notes)


def test_a_written_finding_that_was_also_called_is_reported_once(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    arguments = {
        "path": "notebox/paging.py",
        "quote": PAGING_QUOTE,
        "severity": "high",
        "category": "correctness",
        "title": "page() returns one item too many",
        "explanation": "The slice end adds 1.",
    }
    server.script(
        [
            replies.tool_calls(("report_finding", arguments)),
            replies.text(f"Summary of my report: {json.dumps(arguments)}"),
        ],
        model=MAVERICK,
    )
    report = review(planted.working_tree_dir)
    assert len(report.findings) == 1 and not report.unlocated


def test_candidates_written_as_json_by_the_scout_are_investigated(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    text = json.dumps({"candidates": [{**CANDIDATE, "line": 11}]})
    server.script([replies.text(text)], model=SCOUT)
    server.script(lambda body: replies.text("Nothing wrong."), model=MAVERICK)
    review(planted.working_tree_dir)
    [task] = {str(body["messages"][2]["content"]) for body in chat_requests(server, MAVERICK)}
    assert "`notebox/paging.py`" in task and "slice bounds" in task and "line 11" in task


def test_a_rejected_call_the_model_then_abandons_is_counted(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    bad = {"path": "notebox/paging.py", "quote": PAGING_QUOTE, "title": "off by one"}
    server.script(
        [replies.tool_calls(("report_finding", bad)), replies.text("Never mind, done.")],
        model=MAVERICK,
    )
    report = review(planted.working_tree_dir)
    assert report.findings == []
    assert any("1 malformed tool call(s) were dropped" in n for n in report.notes)


def test_json_quoted_from_the_repository_is_not_a_report(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    config = '{"path": "/var/notes", "mode": "0644"}'
    server.script(
        [replies.text(f"The store reads its config: {config}. All fine.")], model=MAVERICK
    )
    report = review(planted.working_tree_dir)
    assert report.findings == [] and not report.unlocated
    assert not any("dropped" in n for n in report.notes)
