"""Shared fixtures: an isolated REPOAGENT_HOME and real git repositories in tmp dirs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import git
import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point REPOAGENT_HOME at a fresh directory and strip model/GitHub settings from the env."""
    home = tmp_path_factory.mktemp("repoagent-home")
    monkeypatch.setenv("REPOAGENT_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("user-home")))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    import os

    for key in list(os.environ):
        if key.startswith(("REPOAGENT_", "GITHUB_", "OPENAI_")) and key != "REPOAGENT_HOME":
            monkeypatch.delenv(key, raising=False)
    return home


FileSpec = Mapping[str, str | bytes]


def write_files(root: Path, files: FileSpec) -> None:
    """Write ``files`` (relative path -> text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def commit_files(repo: git.Repo, files: FileSpec, message: str = "update") -> str:
    """Write ``files`` into the repo's work tree, stage and commit them; return the commit SHA."""
    write_files(Path(repo.working_tree_dir or "."), files)
    repo.git.add("--all", "--force", *files.keys())
    repo.git.commit("-m", message, "--no-verify")
    return repo.head.commit.hexsha


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., git.Repo]:
    """Factory: ``make_repo({"a.py": "..."})`` builds a git repo with one commit of those files."""
    counter = 0

    def _make(
        files: FileSpec | None = None, message: str = "initial", name: str | None = None
    ) -> git.Repo:
        nonlocal counter
        counter += 1
        root = tmp_path / (name or f"repo{counter}")
        root.mkdir(parents=True)
        repo = git.Repo.init(root, initial_branch="main")
        if files:
            commit_files(repo, files, message)
        return repo

    return _make
