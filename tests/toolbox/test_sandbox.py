"""Every path a model gives stays inside the repository, through every tool."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from repoagent.toolbox import SandboxToolRunner

ESCAPES = [
    "../outside/secret.txt",
    "/etc/passwd",
    "src/../../outside/secret.txt",
    "~/x",
    ".git/config",
]


def runner_for(repo: git.Repo, rev: str | None) -> SandboxToolRunner:
    return SandboxToolRunner(repo.working_tree_dir or "", rev, run_tests=True)


@pytest.mark.parametrize("rev", ["HEAD", None])
@pytest.mark.parametrize("path", ESCAPES)
def test_escaping_paths_are_refused_by_every_path_tool(
    sandbox_repo: git.Repo, rev: str | None, path: str
) -> None:
    runner = runner_for(sandbox_repo, rev)
    calls = [
        ("read_file", {"path": path}),
        ("grep", {"pattern": "SECRET", "path": path}),
        ("list_files", {"pattern": path}),
        ("git_log", {"path": path}),
        ("git_diff", {"base": "HEAD", "path": path}),
        ("git_blame", {"path": path}),
        ("run_tests", {"path": path}),
    ]
    for name, args in calls:
        text = runner.run(name, args)
        if name == "list_files" and path in ("~/x", ".git/config"):
            assert "no files match" in text or text.startswith("error:"), (name, text)
            continue
        if name in ("grep",) and path in ("~/x", ".git/config"):
            assert "TOP-SECRET" not in text and "[core]" not in text, (name, text)
            continue
        assert text.startswith("error:"), (name, path, text)
        assert "TOP-SECRET" not in text


@pytest.mark.parametrize("rev", ["HEAD", None])
def test_symlinks_leaving_the_repository_are_refused(
    sandbox_repo: git.Repo, rev: str | None
) -> None:
    runner = runner_for(sandbox_repo, rev)
    for path in ("leak.txt", "leakdir/secret.txt", "data/up/etc/passwd"):
        for tool in ("read_file", "git_blame"):
            text = runner.run(tool, {"path": path})
            assert text.startswith("error:"), (tool, path, text)
            assert "outside the repository" in text
            assert "TOP-SECRET" not in text
    for args in ({"pattern": "TOP-SECRET"}, {"pattern": "TOP-SECRET", "path": "leakdir"}):
        assert "TOP-SECRET-CONTENT" not in runner.run("grep", args)
    assert "TOP-SECRET" not in runner.run("find_symbol", {"name": "secret"})


@pytest.mark.parametrize("rev", ["HEAD", None])
def test_symlink_inside_the_repository_is_followed(sandbox_repo: git.Repo, rev: str | None) -> None:
    text = runner_for(sandbox_repo, rev).run("read_file", {"path": "data/util_link.py"})
    assert text.startswith("src/util.py (lines 1-2 of 2")
    assert "return 42" in text


def test_option_injection_through_revisions_is_refused(
    sandbox_repo: git.Repo, tmp_path: Path
) -> None:
    runner = runner_for(sandbox_repo, "HEAD")
    target = tmp_path / "written"
    text = runner.run("git_diff", {"base": f"--output={target}"})
    assert text.startswith("error:")
    assert not target.exists()
    assert runner.run("grep", {"pattern": "--help"}).startswith("no matches")


def test_bad_arguments_come_back_as_tool_errors(sandbox_repo: git.Repo) -> None:
    runner = SandboxToolRunner(sandbox_repo.working_tree_dir or "", "HEAD")
    assert runner.run("shell", {"cmd": "rm -rf /"}).startswith("error: unknown tool 'shell'")
    assert runner.run("run_tests", {}).startswith("error: unknown tool")  # not enabled
    assert "unexpected argument" in runner.run("read_file", {"path": "README.md", "mode": "w"})
    assert runner.run("read_file", {"path": 3}).startswith("error:")
    assert runner.run("read_file", {"path": "README.md", "start_line": "ten"}).startswith("error:")
    assert runner.run("read_file", {}).startswith("error:")
    assert all(call.error for call in runner.calls)
    # An invalid regular expression is searched as fixed text (models grep for `open(`).
    assert runner.run("grep", {"pattern": "("}).startswith("(not a valid regular expression")


def test_untracked_symlink_leaving_the_repository_is_not_read(
    dirty: git.Repo, outside: Path
) -> None:
    root = Path(dirty.working_tree_dir or "")
    (root / "fresh_leak.txt").symlink_to(outside / "secret.txt")
    runner = SandboxToolRunner(root, None)
    assert "TOP-SECRET" not in runner.run("grep", {"pattern": "SECRET-CONTENT"})
    assert "outside the repository" in runner.run("read_file", {"path": "fresh_leak.txt"})
    assert (
        runner.run("grep", {"pattern": "UNTRACKED-NOTE", "path": "*.txt"})
        == "notes.txt:1: UNTRACKED-NOTE"
    )


def test_grep_scratch_checkout_is_removed_on_close(sandbox_repo: git.Repo) -> None:
    from repoagent.home import repoagent_home

    with SandboxToolRunner(sandbox_repo.working_tree_dir or "", "HEAD") as runner:
        assert runner.run("grep", {"pattern": "helper"}).startswith("src/util.py:1:")
        assert list((repoagent_home() / "scratch").iterdir())
    assert not list((repoagent_home() / "scratch").iterdir())
