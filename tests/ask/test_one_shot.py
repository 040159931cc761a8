"""``repoagent ask PATH QUESTION`` against the scripted server: streamed, checked, cited."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from repoagent.cli.main import main
from repoagent.testing import ScriptedLLMServer, replies
from tests.ask.conftest import ANSWER, MAVERICK, SCOUT, maverick_requests, scout_requests


def run_cli(args: list[str]) -> int:
    """Run ``repoagent ARGS`` in-process; return the exit code."""
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_answer_is_streamed_with_wrong_citations_flagged(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text(ANSWER).with_usage(900, 60)], model=SCOUT)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "where is the retry policy?"]) == 0
    out, err = capsys.readouterr()
    paragraphs = out.strip().split("\n\n")
    assert paragraphs[0] == "The retry policy is decided by `should_retry` (src/app/retry.py:6-8)."
    assert paragraphs[1] == "The limit `MAX_ATTEMPTS` is set at src/app/retry.py:3."
    assert paragraphs[2] == (
        "`fetch` retries itself at src/app/client.py:40 [unverified: src/app/client.py has 8 lines]."
    )
    assert "src/app/retry.py:1 [unverified: line 1 does not contain `get`]" in paragraphs[3]
    assert "2/4 citations verified" in err and "--session" in err
    [request] = scout_requests(server)
    assert request["stream"] is True
    # The pack goes first (with numbered lines), the question last.
    messages = request["messages"]
    assert "should_retry" in messages[1]["content"]
    assert messages[-1] == {"role": "user", "content": "where is the retry policy?"}


def test_json_output_lists_citations_and_usage(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text(ANSWER).with_usage(900, 60)], model=SCOUT)
    assert run_cli(["ask", str(code_repo.working_tree_dir), "retry?", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["verified"] for c in data["citations"]] == [True, True, False, False]
    assert (data["verified"], data["unverified"]) == (2, 2)
    assert data["citations"][2]["reason"] == "src/app/client.py has 8 lines"
    assert data["usage"][0]["role"] == "scout"
    assert data["usage"][0]["prompt_tokens"] == 900
    assert data["answered_by"] == "scout" and data["session"]


def test_maverick_searches_when_the_pack_is_not_enough(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text("NEEDS_TOOLS: callers of should_retry")], model=SCOUT)
    server.script(
        [
            replies.tool_calls(("grep", {"pattern": "should_retry"})),
            replies.text("`fetch` calls `should_retry` at src/app/client.py:6."),
        ],
        model=MAVERICK,
    )
    assert run_cli(["ask", str(code_repo.working_tree_dir), "who calls should_retry?"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "`fetch` calls `should_retry` at src/app/client.py:6."
    assert "NEEDS_TOOLS" not in out
    first, second = maverick_requests(server)
    assert "grep" in [t["function"]["name"] for t in first["tools"]]
    tool_result = second["messages"][-1]
    assert tool_result["role"] == "tool" and "src/app/client.py" in tool_result["content"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "the question is empty"),
        (["q", "--session", "nope"], "no ask session named 'nope'"),
        (["q", "--rev", "v9"], "--rev 'v9' does not name a commit"),
    ],
)
def test_bad_input_is_one_line(
    code_repo: git.Repo,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert run_cli(["ask", str(code_repo.working_tree_dir), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("repoagent: error: ") and message in err and err.count("\n") == 1


def test_not_a_repository(tmp_path, model_env: dict, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["ask", str(tmp_path), "q"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err


def test_lang_reaches_the_instructions(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text("`should_retry` décide (src/app/retry.py:6).")], model=SCOUT)
    assert (
        run_cli(["ask", str(code_repo.working_tree_dir), "qui décide ?", "--lang", "French"]) == 0
    )
    system = scout_requests(server)[0]["messages"][0]
    assert system["role"] == "system" and "Write the answer in French." in system["content"]
    assert "[unverified" not in capsys.readouterr().out


def test_repository_without_commits(
    make_repo, model_env: dict, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo()
    assert run_cli(["ask", str(repo.working_tree_dir), "anything?"]) == 2
    assert "no commits yet" in capsys.readouterr().err


def test_rev_checks_citations_against_that_revision(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = Path(code_repo.working_tree_dir or ".")
    (root / "src/app/retry.py").write_text("MAX_ATTEMPTS = 5\n")  # uncommitted edit
    answer = "`should_retry` is at src/app/retry.py:6."
    server.script([replies.text(answer), replies.text(answer)], model=SCOUT)
    assert run_cli(["ask", str(root), "where?", "--rev", "HEAD"]) == 0
    assert capsys.readouterr().out.strip() == answer
    assert run_cli(["ask", str(root), "where?"]) == 0  # the working tree: line 6 is gone
    assert "[unverified: src/app/retry.py has 1 line]" in capsys.readouterr().out
    with_rev, worktree = scout_requests(server)
    assert "def should_retry" in with_rev["messages"][1]["content"]
    assert "def should_retry" not in worktree["messages"][1]["content"]
