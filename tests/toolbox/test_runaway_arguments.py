"""A runaway argument (a 100,000-character path or pattern) gets a short error back: the error
quotes the argument, and must not put the whole of it into the model's context."""

from __future__ import annotations

import git
import pytest

from repoagent.toolbox import SandboxToolRunner


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("read_file", {"path": "x" * 100_000}),
        ("read_file", {"path": "src/" + "y" * 100_000 + ".py"}),
        ("git_blame", {"path": "z" * 100_000, "start_line": 1}),
        ("list_files", {"path": "p" * 100_000}),
    ],
)
def test_an_error_about_a_huge_argument_is_short(
    sandbox_repo: git.Repo, name: str, arguments: dict
) -> None:
    runner = SandboxToolRunner(sandbox_repo.working_tree_dir or "", "HEAD")
    out = runner.run(name, arguments)
    assert out.startswith("error:")
    assert len(out) < 1200
