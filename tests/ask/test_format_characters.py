"""An answer in Persian (ZWNJ is part of its spelling) or with an emoji sequence (ZWJ) is printed
as the model wrote it; only terminal controls and bidi overrides are dropped."""

from __future__ import annotations

import git
import pytest

from repoagent.testing import ScriptedLLMServer, replies
from tests.ask.conftest import SCOUT
from tests.ask.test_one_shot import run_cli

PERSIAN = "حداکثر تلاش\u200cها در src/app/retry.py:3 تعریف می\u200cشود. "
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"


def test_joiners_in_an_answer_are_printed(
    code_repo: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script([replies.text(PERSIAN + FAMILY)], model=SCOUT)
    question = "Where is MAX_ATTEMPTS set?"
    assert run_cli(["ask", str(code_repo.working_tree_dir), question, "--lang", "Persian"]) == 0
    out, _ = capsys.readouterr()
    assert out.strip() == (PERSIAN + FAMILY).strip()
