"""A scout that answers in prose instead of calling report_candidate (a model served without
tool calling): the files it names are investigated, not reported as "No issues found"."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.conftest import chat_requests
from tests.agent.scripts import MAVERICK, SCOUT


def test_files_named_in_a_prose_answer_are_investigated(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    prose = (
        "Overall the code is fine. In notebox/store.py, read_note trusts the name it is given, "
        "and paging.py may return one item too many."
    )
    server.script(lambda body: replies.text(prose), model=SCOUT)
    server.script(lambda body: replies.text("Nothing more."), model=MAVERICK)
    report = review(planted.working_tree_dir)

    tasks = [str(body["messages"][2]["content"]) for body in chat_requests(server, MAVERICK)]
    assert any("`notebox/store.py`" in t for t in tasks)
    assert any("`notebox/paging.py`" in t for t in tasks)
    assert not any("`notebox/__init__.py`" in t for t in tasks)
    assert any("answered in prose" in n for n in report.notes)


def test_a_prose_answer_naming_no_file_means_no_candidates(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    server.script(lambda body: replies.text("No problems found."), model=SCOUT)
    report = review(planted.working_tree_dir)
    assert not chat_requests(server, MAVERICK)
    assert any("no candidates" in n for n in report.notes)
