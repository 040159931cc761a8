"""The interactive session driven through a pseudo-terminal, as a user would type it."""

from __future__ import annotations

import os
import sys
import time

import git
import pexpect
import pytest

from repoagent.testing import ScriptedLLMServer, replies
from tests.ask.conftest import SCOUT, role_env, scout_requests


@pytest.fixture
def repl_env(server: ScriptedLLMServer, isolated_home) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPOAGENT_")}
    env.update(role_env(server.base_url))
    env.update(REPOAGENT_HOME=str(isolated_home), TERM="dumb", PROMPT_TOOLKIT_NO_CPR="1")
    return env


def _spawn(repo: git.Repo, env: dict[str, str], *args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "repoagent", "ask", str(repo.working_tree_dir), *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    child.expect("ask> ")
    return child


def _ctrl_d(child: pexpect.spawn) -> None:
    """Press Ctrl-D until the session ends (a ^D typed before the prompt has switched the
    terminal to raw mode is consumed by the tty's line discipline)."""
    for _ in range(40):
        child.sendcontrol("d")
        if (
            child.expect(
                [r"session saved: continue with --session \S+", pexpect.TIMEOUT], timeout=0.5
            )
            == 0
        ):
            return
    raise AssertionError("Ctrl-D did not end the session")


def test_repl_answers_lists_files_and_exits_on_ctrl_d(
    code_repo: git.Repo, server: ScriptedLLMServer, repl_env: dict[str, str]
) -> None:
    server.script([replies.text("`should_retry` decides it (src/app/retry.py:6-8).")], model=SCOUT)
    child = _spawn(code_repo, repl_env)
    child.sendline("where is the retry policy decided?")
    child.expect(r"`should_retry` decides it \(src/app/retry\.py:6-8\)\.")
    child.expect(r"\[1/1 citations verified\]")
    child.expect("ask> ")
    child.sendline("/files")
    child.expect(r"full \(\d+\): .*src/app/retry\.py")
    child.expect("ask> ")
    child.sendline("/cost")
    child.expect(r"scout \(scout-test\): 1 calls")
    child.expect("ask> ")
    _ctrl_d(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (
        scout_requests(server)[0]["messages"][-1]["content"] == "where is the retry policy decided?"
    )


def test_ctrl_c_stops_the_answer_not_the_session(
    code_repo: git.Repo, server: ScriptedLLMServer, repl_env: dict[str, str]
) -> None:
    server.script(
        [replies.text("This answer takes too long.").after(20), replies.text("Second answer.")],
        model=SCOUT,
    )
    child = _spawn(code_repo, repl_env)
    child.sendline("slow question")
    deadline = time.monotonic() + 30
    while not scout_requests(server) and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the answer is on its way, then interrupt it
    child.sendintr()
    child.expect(r"\[answer stopped\]")
    child.expect("ask> ")
    child.sendline("second question")
    child.expect("Second answer.")
    history = scout_requests(server)[-1]["messages"][3:]
    assert history == [{"role": "user", "content": "second question"}]  # the stopped turn is gone
    child.expect("ask> ")
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
