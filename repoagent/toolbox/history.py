"""The ``git_log``, ``git_diff`` and ``git_blame`` tools, bounded and read-only."""

from __future__ import annotations

import time

from repoagent.errors import RepositoryError, ToolError
from repoagent.toolbox.capping import MAX_CHARS, cap_text, clip_line
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
    note = ""
    if snapshot.is_worktree:
        new, skipped = _untracked_diffs(snapshot, path, stat_only)
        out = out.rstrip("\n") + ("\n" if out.strip() and new else "") + new
        if skipped:
            note = f" ({skipped} more untracked files not shown)"
    target = snapshot.label
    if not out.strip():
        return f"no differences between {start[:12]} and the {target}" + (
            f" in {path!r}" if path else ""
        )
    header = f"diff {start[:12]} → {target}{note}"
    return header + "\n" + cap_text(out.rstrip("\n"), MAX_CHARS, what="diff")


_MAX_UNTRACKED_DIFFS = 20


def _untracked_diffs(snapshot: Snapshot, path: object, stat_only: bool) -> tuple[str, int]:
    """Diffs that add each untracked (not ignored) file, as ``git diff`` shows new files."""
    prefix = safe_relpath(path, allow_root=True) if path not in (None, "") else ""
    files = [
        f
        for f in snapshot.untracked_files()
        if not prefix or f == prefix or f.startswith(prefix + "/")
    ]
    parts = []
    for rel in files[:_MAX_UNTRACKED_DIFFS]:
        proc = run_git(
            snapshot.root,
            "diff",
            "--no-index",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--stat=120" if stat_only else "--unified=3",
            "--",
            "/dev/null",
            rel,
            ok_codes=(0, 1),
        )
        parts.append(proc.stdout.decode("utf-8", "replace").rstrip("\n"))
    return "\n".join(p for p in parts if p), max(0, len(files) - _MAX_UNTRACKED_DIFFS)


MAX_BLAME_LINES = 100


def git_blame(
    snapshot: Snapshot, path: object, start_line: int | None = None, end_line: int | None = None
) -> str:
    """Return ``line | commit date author | text`` for a window of a file (≤ 100 lines)."""
    if snapshot.commit is None:
        return "the repository has no commits yet; every line is uncommitted"
    resolved, text = snapshot.read_text(path)
    total = len(text.splitlines())
    if total == 0:
        return f"{resolved}: empty file"
    start = max(1, int(start_line or 1))
    if start > total:
        raise ToolError(f"{resolved} has only {total} lines; start_line {start} is past the end")
    end = min(int(end_line) if end_line else start + 49, total, start + MAX_BLAME_LINES - 1)
    if end < start:
        raise ToolError(f"end_line {end} is before start_line {start}")
    args = ["blame", "--line-porcelain", f"-L{start},{end}"]
    if not snapshot.is_worktree:
        args.append(str(snapshot.commit))
    out = run_git(snapshot.root, *args, "--", resolved).stdout
    rows = [f"{resolved} (lines {start}-{end} of {total}, {snapshot.label})"]
    width = len(str(end))
    info: dict[str, str] = {}
    number = start
    for raw in out.decode("utf-8", "replace").splitlines():
        if raw.startswith("\t"):
            sha = info.get("sha", "")
            if set(sha) <= {"0"}:
                who = "not committed yet"
            else:
                day = time.strftime("%Y-%m-%d", time.gmtime(int(info.get("author-time", "0"))))
                who = f"{sha[:8]} {day} {info.get('author', '?')}"
            rows.append(f"{number:>{width}} | {who} | {clip_line(raw[1:], 200)}")
            number += 1
            info = {}
        elif not info:
            info["sha"] = raw.split(" ", 1)[0]
        else:
            key, _, value = raw.partition(" ")
            info[key] = value
    return "\n".join(rows)
