"""Models grep for code (`open(`, `items[0`): an invalid regular expression is searched as text."""

from __future__ import annotations

import git
import pytest

from repoagent.toolbox import SandboxToolRunner


@pytest.mark.parametrize("worktree", [False, True])
def test_invalid_regex_is_searched_as_fixed_text(sandbox_repo: git.Repo, worktree: bool) -> None:
    runner = SandboxToolRunner(sandbox_repo.working_tree_dir or "", None if worktree else "HEAD")
    with runner:
        out = runner.run("grep", {"pattern": "open(path"})
        assert "src/app.py:5:     return open(path).read()" in out
        assert "searched as fixed text" in out and not out.startswith("error")
        missing = runner.run("grep", {"pattern": "nothing[("})
        assert "no matches" in missing and not missing.startswith("error")
        # A valid regular expression is still a regular expression.
        assert "src/util.py:2:" in runner.run("grep", {"pattern": "return 4[0-9]"})
