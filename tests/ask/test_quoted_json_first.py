"""A Scout answer whose first block quotes a JSON object with a "name" key (package.json) is an
answer, not a tool call written as text: it is shown and Maverick is not asked."""

from __future__ import annotations

import git
import pytest

from repoagent.testing import ScriptedLLMServer, replies
from tests.ask.conftest import MAVERICK, SCOUT, maverick_requests
from tests.ask.test_one_shot import run_cli

PACKAGE_JSON = '{\n  "name": "webapp",\n  "version": "2.1.0"\n}\n'
ANSWER = f"```json\n{PACKAGE_JSON}```\n\nThe package is `webapp`, version 2.1.0 (package.json:2-3)."


def test_a_quoted_package_json_first_is_the_answer(
    make_repo, server: ScriptedLLMServer, model_env: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    repo: git.Repo = make_repo({"package.json": PACKAGE_JSON, "README.md": "# app\n"})
    server.script([replies.text(ANSWER)], model=SCOUT)
    server.script([replies.text("(maverick) webapp 2.1.0, package.json:2-3.")], model=MAVERICK)
    assert run_cli(["ask", str(repo.working_tree_dir), "What is the package version?"]) == 0
    out, _ = capsys.readouterr()
    assert maverick_requests(server) == []
    assert '"name": "webapp"' in out and "version 2.1.0 (package.json:2-3)" in out
