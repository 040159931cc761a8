"""A repository whose file list alone does not fit the scout's window: one line that names what
review can do about it (not `repoagent pack`'s --budget/--exclude, which review does not have)."""

from __future__ import annotations

from collections.abc import Callable

import git
import pytest

from repoagent.cli.main import main
from repoagent.testing import ScriptedLLMServer
from tests.agent.scripts import example_files


def test_file_list_too_big_for_the_scout_window(
    make_repo: Callable[..., git.Repo],
    server: ScriptedLLMServer,
    model_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    many = {f"module_with_a_long_name_{i:04d}.py": f"X = {i}\n" for i in range(200)}
    repo = make_repo({**example_files(), **many}, name="many")
    monkeypatch.setenv("REPOAGENT_SCOUT_MAX_OUTPUT_TOKENS", "53000")  # leaves 1,000 for the pack
    with pytest.raises(SystemExit) as exit_info:
        main(["review", str(repo.working_tree_dir)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("repoagent: error: the repository's file list alone takes")
    assert ".repoagentignore" in err and "--exclude" not in err
    assert not server.chat_requests
