"""Scratch copies of the reviewed code, so tests and fixes never touch the user's checkout.

``git clone --shared --no-checkout`` borrows the user's object store read-only (it adds nothing
to the user's repository, unlike ``git worktree add``), then the snapshot is checked out in the
copy; for a working-tree review, uncommitted and untracked (not ignored) files are copied over.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from repoagent.errors import RepositoryError, ToolError
from repoagent.home import repoagent_home
from repoagent.toolbox.gitcmd import repo_toplevel, resolve_commit, run_git

# Hooks and LFS downloads have no business running in a scratch checkout.
_QUIET = (
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "filter.lfs.smudge=",
    "-c",
    "filter.lfs.process=",
    "-c",
    "filter.lfs.required=false",
    "-c",
    "advice.detachedHead=false",
)


_STALE_SECONDS = 24 * 3600


def scratch_parent() -> Path:
    """Return the directory scratch copies are created in (under REPOAGENT_HOME).

    Copies left behind by a killed process are removed once they are a day old.
    """
    parent = repoagent_home() / "scratch"
    parent.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in parent.glob("repoagent-*"):
        try:
            if now - old.stat().st_mtime > _STALE_SECONDS:
                remove_tree(old)
        except OSError:
            continue
    return parent


@contextmanager
def scratch_copy(root: Path | str, rev: str | None = None) -> Iterator[Path]:
    """Yield a throwaway checkout of ``rev`` (or HEAD plus working-tree changes); remove it after."""
    source = repo_toplevel(root)
    workdir = Path(tempfile.mkdtemp(prefix="repoagent-scratch-", dir=scratch_parent()))
    try:
        populate_scratch(source, workdir, rev)
        yield workdir
    finally:
        remove_tree(workdir)


def remove_tree(path: Path) -> None:
    """Delete a scratch directory, including read-only files a test run left behind."""
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=_force_remove)
    else:
        shutil.rmtree(path, onerror=_force_remove)


def populate_scratch(source: Path, workdir: Path, rev: str | None) -> None:
    """Fill the empty directory ``workdir`` with the snapshot of ``source`` at ``rev``."""
    try:
        commit: str | None = resolve_commit(source, rev or "HEAD")
    except RepositoryError:
        if rev:
            raise
        commit = None  # no commits yet: the working tree is all there is
    run_git(
        source, *_QUIET, "clone", "--quiet", "--shared", "--no-checkout", str(source), str(workdir)
    )
    if commit is not None:
        run_git(workdir, *_QUIET, "checkout", "--quiet", "--detach", commit)
    if rev is None:
        copy_worktree_changes(source, workdir)


def copy_worktree_changes(source: Path, workdir: Path) -> None:
    """Copy uncommitted and untracked (not ignored) files of ``source`` into ``workdir``."""
    out = run_git(
        source,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--ignore-submodules=all",
    ).stdout
    for record in out.split(b"\0"):
        if len(record) < 4:
            continue
        rel = record[3:].decode("utf-8", "surrogateescape")
        src = source / rel
        dst = workdir / rel
        if not _inside(workdir, dst):
            raise ToolError(f"refusing to copy {rel!r}: it leaves the scratch directory")
        if os.path.lexists(src):
            if os.path.isdir(src) and not os.path.islink(src):
                continue  # a nested repository or submodule
            dst.parent.mkdir(parents=True, exist_ok=True)
            if os.path.lexists(dst):
                dst.unlink()
            shutil.copy2(src, dst, follow_symlinks=False)
        elif os.path.lexists(dst):
            dst.unlink()


def _inside(base: Path, path: Path) -> bool:
    try:
        Path(os.path.normpath(path)).relative_to(base)
    except ValueError:
        return False
    return True


def _force_remove(func: object, path: str, _exc: object) -> None:
    # Test runs leave read-only files behind (Go's module cache does); make them writable.
    try:
        os.chmod(path, 0o700)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass
