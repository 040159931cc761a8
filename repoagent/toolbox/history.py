"""The ``git_log`` and ``git_diff`` tools, bounded and read-only."""

from __future__ import annotations

from repoagent.errors import RepositoryError, ToolError
from repoagent.toolbox.capping import MAX_CHARS, cap_text
from repoagent.toolbox.gitcmd import resolve_commit, run_git
from repoagent.toolbox.paths import safe_relpath
from repoagent.toolbox.snapshot import Snapshot

DEFAULT_COMMITS = 10
MAX_COMMITS = 50


def _pathspec(path: object) -> list[str]:
    if path in (None, ""):
        return []
    rel = safe_relpath(path, allow_root=True)
    return [f":(literal){rel}"] if rel else []


def git_log(snapshot: Snapshot, path: object = None, *, max_count: int = DEFAULT_COMMITS) -> str:
    """Return recent commits (short hash, date, author, subject) of the reviewed revision."""
    if snapshot.commit is None:
        return "the repository has no commits yet"
    count = max(1, min(int(max_count), MAX_COMMITS))
    out = run_git(
        snapshot.root,
        "log",
        "--no-color",
        "--date=short",
        "--format=%h %ad %an: %s",
        f"--max-count={count}",
        snapshot.commit,
        "--",
        *_pathspec(path),
    ).stdout.decode("utf-8", "replace")
    if not out.strip():
        return f"no commits touch {path!r} up to {snapshot.label}"
    return cap_text(out.rstrip("\n"), MAX_CHARS, what="log")


def _base_commit(snapshot: Snapshot, base: object) -> str:
    if base in (None, ""):
        if snapshot.commit is None:
            raise ToolError("the repository has no commits yet; there is nothing to diff against")
        if snapshot.is_worktree:
            return snapshot.commit
        try:
            return resolve_commit(snapshot.root, f"{snapshot.commit}^")
        except RepositoryError:
            raise ToolError("the reviewed commit has no parent; pass base explicitly") from None
    if not isinstance(base, str):
        raise ToolError("base must be a revision string such as HEAD~1, main or a commit hash")
    try:
        return resolve_commit(snapshot.root, base.strip())
    except RepositoryError as exc:
        raise ToolError(str(exc)) from None


def git_diff(
    snapshot: Snapshot, base: object = None, path: object = None, *, stat_only: bool = False
) -> str:
    """Return the diff from ``base`` (default: parent commit) to the reviewed code, capped."""
    start = _base_commit(snapshot, base)
    args = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M"]
    args.append("--stat=120" if stat_only else "--unified=3")
    args.append(start)
    if not snapshot.is_worktree:
        args.append(str(snapshot.commit))
    out = run_git(snapshot.root, *args, "--", *_pathspec(path)).stdout.decode("utf-8", "replace")
    target = snapshot.label
    if not out.strip():
        return f"no differences between {start[:12]} and the {target}" + (
            f" in {path!r}" if path else ""
        )
    header = f"diff {start[:12]} → {target}" + (
        " (untracked files are not included)" if snapshot.is_worktree else ""
    )
    return header + "\n" + cap_text(out.rstrip("\n"), MAX_CHARS, what="diff")
