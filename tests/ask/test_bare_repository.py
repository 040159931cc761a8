"""review, audit and ask on a bare repository: one line before any model request."""

from __future__ import annotations

import git
import pytest

from repoagent.testing import ScriptedLLMServer
from tests.ask.conftest import FILES
from tests.pack.helpers import run_cli


@pytest.mark.parametrize(
    "command", [["review"], ["audit"], ["ask", "what does fetch do?"]], ids=lambda c: c[0]
)
def test_a_bare_repository_is_refused_before_the_model_is_asked(
    make_repo, tmp_path, capsys, server: ScriptedLLMServer, model_env, command: list[str]
) -> None:  # type: ignore[no-untyped-def]
    source = make_repo(FILES, name="app")
    bare = tmp_path / "app.git"
    git.Repo.clone_from(source.working_tree_dir, bare, bare=True)
    code, out, err = run_cli(capsys, command[0], str(bare), *command[1:])
    assert code == 2 and out == ""
    assert err.strip().endswith(
        "clone it first; 'repoagent pack' packs a bare repository's revisions)"
    )
    assert f"is a bare repository: {command[0]} reads a work tree" in err
    assert server.requests == []  # nothing was sent (nor paid for)
