"""Run git read-only against the user's repository.

``--no-optional-locks`` keeps commands such as ``git status`` or ``git diff`` from refreshing
(and so rewriting) the user's index; the repository's own GIT_* redirections are dropped so a
stray ``GIT_DIR`` in the environment cannot point us at another repository.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from repoagent.errors import RepositoryError, ToolError

_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE")


def git_env() -> dict[str, str]:
    """Environment for git subprocesses: no repository redirection, no pager, no prompts."""
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(
        GIT_OPTIONAL_LOCKS="0",
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        LC_ALL="C",
    )
    return env


def run_git(
    root: Path | str,
    *args: str,
    ok_codes: tuple[int, ...] = (0,),
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git -C root args``; raise ToolError (with git's message) on unexpected exit codes."""
    cmd = [
        "git",
        "-C",
        str(root),
        "--no-optional-locks",
        "-c",
        "core.quotepath=off",
        "-c",
        "color.ui=never",
        *args,
    ]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, env=git_env(), timeout=timeout, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(
            f"git {args[0]} took longer than {timeout:.0f}s; narrow the request"
        ) from exc
    if proc.returncode not in ok_codes:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ToolError(f"git {args[0]} failed: {message[-1] if message else proc.returncode}")
    return proc


def resolve_commit(root: Path | str, rev: str) -> str:
    """Return the commit SHA ``rev`` names in ``root``, or raise RepositoryError."""
    if not rev or rev.startswith("-"):
        raise RepositoryError(f"invalid revision {rev!r}")
    try:
        proc = run_git(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
        )
    except ToolError as exc:
        raise RepositoryError(f"unknown revision {rev!r} in {root}") from exc
    return proc.stdout.decode().strip()


def repo_toplevel(path: Path | str) -> Path:
    """Return the work-tree root of the repository containing ``path``, or raise RepositoryError."""
    try:
        proc = run_git(path, "rev-parse", "--show-toplevel")
    except (ToolError, OSError) as exc:
        raise RepositoryError(f"{path} is not inside a git repository") from exc
    return Path(proc.stdout.decode().strip())
