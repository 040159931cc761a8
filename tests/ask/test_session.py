"""Multi-turn memory: the second request carries the first turn; ``--session`` resumes."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from repoagent.ask import AskOptions, open_session
from repoagent.config import load_settings
from repoagent.errors import ToolError
from repoagent.testing import ScriptedLLMServer, replies
from tests.ask.conftest import SCOUT, scout_requests
from tests.ask.test_one_shot import run_cli


def test_second_question_carries_the_first_turn(
    code_repo: git.Repo, server: ScriptedLLMServer, model_env: dict
) -> None:
    first = "`should_retry` decides (src/app/retry.py:6-8)."
    second = "It allows `MAX_ATTEMPTS` tries (src/app/retry.py:3)."
    server.script([replies.text(first), replies.text(second)], model=SCOUT)
    root = Path(code_repo.working_tree_dir or ".")
    shown: list[str] = []
    options = AskOptions(path=root, settings=load_settings(root, {}))
    with open_session(options, shown.append) as session:
        session.ask("where is the retry policy?")
        answer = session.ask("how many attempts does it allow?")
        assert session.turns == 2
    assert answer.text == second and all(c.verified for c in answer.citations)
    assert shown == [first, second]
    one, two = scout_requests(server)
    assert two["messages"][: len(one["messages"])] == one["messages"]  # same prefix: cacheable
    assert two["messages"][-3:] == [
        {"role": "user", "content": "where is the retry policy?"},
        {"role": "assistant", "content": first},
        {"role": "user", "content": "how many attempts does it allow?"},
    ]


def test_session_flag_resumes_a_saved_conversation(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script(
        [replies.text("`should_retry` (src/app/retry.py:6)."), replies.text("Three.")], model=SCOUT
    )
    root = str(code_repo.working_tree_dir)
    assert run_cli(["ask", root, "where is the retry policy?"]) == 0
    err = capsys.readouterr().err
    name = err.split("--session ")[1].split()[0]
    assert run_cli(["ask", root, "--session", name, "and how many tries?"]) == 0
    assert capsys.readouterr().out.strip() == "Three."
    one, two = scout_requests(server)
    assert two["messages"][-3]["content"] == "where is the retry policy?"
    assert two["messages"][1] == one["messages"][1]  # the same pack, rebuilt byte for byte
    assert run_cli(["ask", root, "--list-sessions"]) == 0
    assert capsys.readouterr().out.split() == [name]


def test_commands_add_files_reset_and_cost(
    code_repo: git.Repo, server: ScriptedLLMServer, model_env: dict
) -> None:
    server.script([replies.text("Noted.").with_usage(500, 5), replies.text("Fresh.")], model=SCOUT)
    root = Path(code_repo.working_tree_dir or ".")
    options = AskOptions(path=root, settings=load_settings(root, {}))
    with open_session(options, lambda _b: None) as session:
        assert session.add_file("README.md") == "README.md"
        assert any(line.startswith("added (1): README.md") for line in session.files())
        session.ask("what is this?")
        assert session.usage()[0].prompt_tokens == 500
        session.reset()
        session.ask("hello again")
    first, second = scout_requests(server)
    assert "A tiny HTTP client." in first["messages"][-3]["content"]
    assert len(second["messages"]) == 4  # system, pack, ack, question: the reset forgot the rest
    with (
        open_session(options, lambda _b: None) as session,
        pytest.raises(ToolError, match="cannot add"),
    ):
        session.add_file("../outside.txt")


def test_context_overflow_repacks_smaller_and_answers(
    code_repo: git.Repo, server: ScriptedLLMServer, model_env: dict
) -> None:
    server.script([replies.context_overflow(), replies.text("Answered.")], model=SCOUT)
    root = Path(code_repo.working_tree_dir or ".")
    status: list[str] = []
    options = AskOptions(path=root, settings=load_settings(root, {}), progress=status.append)
    with open_session(options, lambda _b: None) as session:
        assert session.ask("where?").text == "Answered."
        assert session.request["budget_scale"] == 0.6
    assert any("repacking at 60%" in line for line in status)
    assert len(scout_requests(server)) == 2
