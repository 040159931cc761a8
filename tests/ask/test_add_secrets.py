"""``/add`` goes through the same secret handling as the pack (it used to bypass it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from repoagent.ask import AskOptions, open_session
from repoagent.config import load_settings
from repoagent.errors import ToolError
from repoagent.testing import ScriptedLLMServer, replies
from tests.ask.conftest import SCOUT

SECRETS = {
    ".env": "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n",
    "app.py": 'AWS_KEY = "AKIAIOSFODNN7ABCDEFG"\npassword = "hunter2SuperSecret!"\n\n\ndef f():\n'
    "    return 1\n",
}


def test_add_refuses_secret_files_and_redacts_secret_values(
    make_repo: Callable[..., git.Repo], server: ScriptedLLMServer, model_env: dict
) -> None:
    repo = make_repo(SECRETS, name="sec")
    server.script([replies.text("It returns 1 (app.py:5-6).")], model=SCOUT)
    root = Path(repo.working_tree_dir or ".")
    options = AskOptions(path=root, settings=load_settings(root, {}))
    with open_session(options, lambda _b: None) as session:
        with pytest.raises(ToolError, match=r"cannot add \.env: .*secret file"):
            session.add_file(".env")
        assert session.add_file("app.py") == "app.py"
        session.ask("what does f return?")
    sent = json.dumps([r.body for r in server.chat_requests])
    for secret in ("ghp_abcdefghijklmnop", "AKIAIOSFODNN7ABCDEFG", "hunter2SuperSecret"):
        assert secret not in sent, secret
    assert "def f():" in sent  # the file itself was added
