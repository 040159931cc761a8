"""``repoagent ask`` against a sloppy model: empty answers, calls written as text, a model that
never stops searching. The reader gets an answer or one clear error line and a non-zero exit."""

from __future__ import annotations

import git
import pytest

from repoagent.testing import ScriptedLLMServer, replies
from tests.ask.conftest import MAVERICK, SCOUT, maverick_requests
from tests.ask.test_one_shot import run_cli

GOOD = "`should_retry` decides it (src/app/retry.py:6-8)."


def test_an_empty_scout_answer_is_searched_with_tools(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text("")], model=SCOUT)
    server.script([replies.text(GOOD)], model=MAVERICK)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "where is the retry policy?"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == GOOD
    assert "1/1 citations verified" in err


def test_no_answer_at_all_is_an_error_not_silence(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text("")], model=SCOUT)
    server.script([replies.text(""), replies.text("   ")], model=MAVERICK)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "where is the retry policy?"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert "repoagent: error:" in err and "empty answer" in err
    assert "Traceback" not in err
    # The empty reply was answered once with a request to answer (repair once), then dropped.
    assert len(maverick_requests(server)) == 2
    assert "empty" in maverick_requests(server)[1]["messages"][-1]["content"]


def test_a_tool_call_written_as_the_scout_answer_goes_to_maverick(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    leaked = '<tool_call>\n{"name": "grep", "arguments": {"pattern": "retry"}}\n</tool_call>'
    server.script([replies.text(leaked)], model=SCOUT)
    server.script([replies.text(GOOD)], model=MAVERICK)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "where is the retry policy?"]) == 0
    out, _ = capsys.readouterr()
    assert "tool_call" not in out and out.strip() == GOOD


def test_a_model_that_never_stops_searching_still_answers_cleanly(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text("NEEDS_TOOLS: the retry policy")], model=SCOUT)
    searches = [replies.tool_calls(("grep", {"pattern": f"retry{i}"})) for i in range(8)]
    # Told to stop, it writes yet another call as text, with its own marker line.
    final = 'NEEDS_TOOLS: more\n{"name": "grep", "arguments": {"pattern": "x"}}'
    server.script([*searches, replies.text(final)], model=MAVERICK)
    code = run_cli(["ask", str(code_repo.working_tree_dir), "where is the retry policy?"])
    out, err = capsys.readouterr()
    assert code == 3, err
    assert "NEEDS_TOOLS" not in out and '"arguments"' not in out
    assert "repoagent: error:" in err and "Traceback" not in err
    assert "kept calling tools for 8 turns and gave no answer" in err


def test_an_answer_that_quotes_a_call_like_json_keeps_it(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answer = (
        "`should_retry` is described to the model like this (src/app/retry.py:6):\n\n"
        '```json\n{"name": "should_retry", "arguments": {"status": 500}}\n```'
    )
    server.script([replies.text("NEEDS_TOOLS: the retry policy")], model=SCOUT)
    server.script([replies.text(answer)], model=MAVERICK)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "how is retry described?"]) == 0
    out, _ = capsys.readouterr()
    assert '{"name": "should_retry", "arguments": {"status": 500}}' in out


def test_terminal_escapes_in_an_answer_are_not_printed(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text("\x1b]0;pwned\x07\x1b[2J" + GOOD + "\u202e")], model=SCOUT)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "where is the retry policy?"]) == 0
    out, _ = capsys.readouterr()
    assert out.strip() == "]0;pwned[2J" + GOOD


@pytest.mark.parametrize(
    "scout",
    [
        "Let me check the code.\nNEEDS_TOOLS: the retry policy",
        "I cannot see that file.\n\n**NEEDS_TOOLS: the retry policy**",
        "`NEEDS_TOOLS: the retry policy`",
    ],
)
def test_a_needs_tools_marker_after_a_lead_in_goes_to_maverick(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
    scout: str,
) -> None:
    server.script([replies.text(scout)], model=SCOUT)
    server.script([replies.text(GOOD)], model=MAVERICK)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "where is the retry policy?"]) == 0
    out, _ = capsys.readouterr()
    assert "NEEDS_TOOLS" not in out and GOOD in out
    assert "the retry policy" in maverick_requests(server)[0]["messages"][-1]["content"]


def test_a_marker_quoted_in_a_code_block_is_part_of_the_answer(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answer = "The prompt asks for this line (src/app/retry.py:6):\n\n```\nNEEDS_TOOLS: x\n```"
    server.script([replies.text(answer)], model=SCOUT)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "what is the marker?"]) == 0
    assert "NEEDS_TOOLS: x" in capsys.readouterr().out
    assert not maverick_requests(server)
