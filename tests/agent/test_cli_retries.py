"""A rate-limited request is waited for visibly: the retry is said on stderr."""

from __future__ import annotations

import logging

import git
import pytest

from repoagent.cli.main import main
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.scripts import SCOUT, scout_script


def test_a_429_wait_is_shown_in_the_progress(
    planted: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REPOAGENT_SCOUT_MAX_RETRIES", "2")
    server.script([replies.rate_limited(retry_after=0.2), *scout_script()], model=SCOUT)
    assert main(["review", str(planted.working_tree_dir), "--format", "json"]) is None
    err = capsys.readouterr().err
    assert "HTTP 429" in err and "retry 1 in 0.2 s" in err
    assert not logging.getLogger("repoagent.llm").handlers  # removed after the run
