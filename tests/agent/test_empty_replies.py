"""A model that replies with nothing at all (empty or null content, no tool call) has not said
"no issues": it is asked once to do the task, and if it stays silent the run says so (the scout
falls back to Maverick on the top files; an investigation notes the silence)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import git

from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.conftest import chat_requests
from tests.agent.scripts import MAVERICK, SCOUT, maverick_script

SILENT = {"role": "assistant", "content": None}


def silent(_body: Any) -> replies.Reply:
    return replies.Reply(message=SILENT)


def test_a_silent_scout_is_asked_once_then_replaced_by_maverick(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    server.script(silent, model=SCOUT)
    server.script(lambda body: replies.text("Nothing more."), model=MAVERICK)
    report = review(planted.working_tree_dir)

    scout = chat_requests(server, SCOUT)
    assert len(scout) == 2  # the empty reply was answered once with a request to continue
    assert "empty" in scout[1]["messages"][-1]["content"]
    assert chat_requests(server, MAVERICK), "the fallback investigated the top files"
    assert not any("reported no candidates" in n for n in report.notes)
    assert any("empty" in n and "Scout could not be used" in n for n in report.notes)


def test_an_empty_first_reply_that_is_repaired_counts(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    candidate = replies.tool_calls(
        (
            "report_candidate",
            {
                "path": "notebox/paging.py",
                "quote": "    return items[start : start + size + 1]",
                "reason": "page() slices one item too many",
            },
        )
    )
    server.script([replies.text(""), candidate, replies.text("Done.")], model=SCOUT)
    server.script(maverick_script(), model=MAVERICK)
    report = review(planted.working_tree_dir)
    assert [f.path for f in report.findings] == ["notebox/paging.py"]


def test_a_silent_investigation_is_noted(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    server.script(
        [
            replies.tool_calls(
                (
                    "report_candidate",
                    {"path": "notebox/paging.py", "quote": "def page", "reason": "bounds"},
                )
            ),
            replies.text("Done."),
        ],
        model=SCOUT,
    )
    server.script(silent, model=MAVERICK)
    report = review(planted.working_tree_dir)
    assert len(chat_requests(server, MAVERICK)) == 2
    assert any("notebox/paging.py" in n and "empty" in n for n in report.notes)


def test_a_model_that_only_ever_says_nothing_is_an_endpoint_failure(
    planted: git.Repo, server: ScriptedLLMServer, model_env: dict[str, str]
) -> None:
    server.script(silent, model=SCOUT)
    server.script(silent, model=MAVERICK)
    result = subprocess.run(
        [sys.executable, "-m", "repoagent", "review", str(planted.working_tree_dir), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert "repoagent: error: the model endpoint failed" in result.stderr
    assert "replied with nothing at all" in result.stdout
    assert "Traceback" not in result.stderr
