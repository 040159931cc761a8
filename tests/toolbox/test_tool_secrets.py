"""The tools never show a secret the pack would have redacted (the model reads them too)."""

from __future__ import annotations

from collections.abc import Callable

import git
import pytest

from repoagent.toolbox import SandboxToolRunner
from tests.conftest import commit_files

AWS = "AKIAIOSFODNN7EXAMPLE"
GITHUB = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"
DB = "hunter2hunter2"
SETTINGS = f'import os\n\nAWS_ACCESS_KEY_ID = "{AWS}"\nTOKEN = "{GITHUB}"\nDEBUG = True\n'
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd\n-----END RSA PRIVATE KEY-----\n"


@pytest.fixture
def secret_repo(make_repo: Callable[..., git.Repo]) -> git.Repo:
    repo = make_repo({"app.py": "print('hi')\n"})
    commit_files(
        repo,
        {
            "settings.py": SETTINGS,
            ".env": f"DB_PASSWORD={DB}\n",
            "keys/README.md": f"Our key:\n\n{PEM}\nDo not share.\n",
        },
        f"add settings (token {GITHUB})",
    )
    return repo


@pytest.mark.parametrize("worktree", [False, True])
def test_tool_outputs_are_redacted(secret_repo: git.Repo, worktree: bool) -> None:
    root = secret_repo.working_tree_dir or ""
    with SandboxToolRunner(root, None if worktree else "HEAD") as runner:
        outputs = {
            "read": runner.run("read_file", {"path": "settings.py"}),
            "readme": runner.run("read_file", {"path": "keys/README.md"}),
            "env": runner.run("read_file", {"path": ".env"}),
            "grep": runner.run("grep", {"pattern": "AKIA|DB_PASSWORD|TOKEN"}),
            "diff": runner.run("git_diff", {"base": "HEAD~1"}),
            "log": runner.run("git_log", {}),
            "blame": runner.run("git_blame", {"path": "settings.py"}),
            "blame_env": runner.run("git_blame", {"path": ".env"}),
        }
    everything = "\n".join(outputs.values())
    for secret in (AWS, GITHUB, DB, "MIIEowIBAAKCAQEA1234"):
        assert secret not in everything
    assert '3 | AWS_ACCESS_KEY_ID = "[REDACTED:AWS Access Key]"' in outputs["read"]
    assert "5 | DEBUG = True" in outputs["read"]  # line numbers stay true
    assert "8 | Do not share." in outputs["readme"]  # a removed key block keeps its lines
    assert outputs["env"].startswith("error:") and "secret file" in outputs["env"]
    assert outputs["blame_env"].startswith("error:")
    assert "settings.py:3:" in outputs["grep"] and "[REDACTED:" in outputs["grep"]
    assert "+DEBUG = True" in outputs["diff"]
