"""The code the tools read: one commit's tree (from git objects) or the working tree.

The agent must see the same snapshot the review packed. A revision is read from git objects
(``git ls-tree``, ``git cat-file``) so uncommitted edits do not leak in; ``rev=None`` reads the
working tree (tracked and untracked, not ignored files). Nothing here writes anything.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from repoagent.errors import RepositoryError, ToolError
from repoagent.toolbox.checkout import BackgroundCheckout
from repoagent.toolbox.gitcmd import git_env, repo_toplevel, resolve_commit, run_git
from repoagent.toolbox.paths import resolve_link, safe_relpath

_MAX_LINK_HOPS = 16
_CHECKOUT_MAX_FILES = 50_000
_CHECKOUT_MAX_BYTES = 1 << 30


@dataclass(frozen=True)
class Entry:
    """One file of the snapshot."""

    path: str
    mode: str
    """git mode: ``100644``, ``100755``, ``120000`` (symlink), ``160000`` (submodule)."""
    size: int
    sha: str = ""
    """Blob SHA (revision snapshots only)."""
    tracked: bool = True
    """False for untracked (not ignored) files of the working tree."""


class Snapshot:
    """Read-only view of a repository at a revision (``rev``) or of its working tree (``None``)."""

    def __init__(self, root: Path | str, rev: str | None = None) -> None:
        self.root = repo_toplevel(root)
        self.real_root = Path(os.path.realpath(self.root))
        self.rev = rev
        self.commit: str | None = resolve_commit(self.root, rev) if rev else self._head()
        self._entries: dict[str, Entry] | None = None
        self._dirs: set[str] | None = None
        self._blobs: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._checkout: BackgroundCheckout | None = None
        self._checkout_refused = False

    @property
    def is_worktree(self) -> bool:
        """True when the snapshot is the working tree rather than a commit."""
        return self.rev is None

    @property
    def label(self) -> str:
        """Short human description: ``commit abc1234`` or ``working tree``."""
        return "working tree" if self.is_worktree else f"commit {(self.commit or '')[:12]}"

    def _head(self) -> str | None:
        try:
            return resolve_commit(self.root, "HEAD")
        except RepositoryError:
            return None  # a repository without commits yet

    def checkout(self, *, wait: bool = True) -> Path | None:
        """A private checkout of the revision for fast grep (see :mod:`.checkout`), or None.

        Started on first call; with ``wait=False`` returns None until it is ready. Trees over
        50,000 files or 1 GiB are not copied (grep then reads git objects).
        """
        if self.is_worktree or self.commit is None or self._checkout_refused:
            return None
        with self._lock:
            if self._checkout is None:
                entries = self._entries
                if entries is not None and (
                    len(entries) > _CHECKOUT_MAX_FILES
                    or sum(e.size for e in entries.values()) > _CHECKOUT_MAX_BYTES
                ):
                    self._checkout_refused = True
                    return None
                self._checkout = BackgroundCheckout(self.root, self.commit)
            checkout = self._checkout
        return checkout.path(wait=wait)

    def close(self) -> None:
        """Remove the grep checkout, if one was made (waiting for it to finish first)."""
        with self._lock:
            checkout, self._checkout = self._checkout, None
        if checkout is not None:
            checkout.close()

    # -- listing ---------------------------------------------------------------------------

    def entries(self) -> dict[str, Entry]:
        """Return every file of the snapshot by path (computed once)."""
        with self._lock:
            if self._entries is None:
                self._entries = self._list_tree() if not self.is_worktree else self._list_worktree()
                dirs: set[str] = set()
                for path in self._entries:
                    parts = path.split("/")[:-1]
                    for i in range(1, len(parts) + 1):
                        dirs.add("/".join(parts[:i]))
                self._dirs = dirs
            return self._entries

    def _list_tree(self) -> dict[str, Entry]:
        out = run_git(
            self.root, "ls-tree", "-r", "-z", "-l", "--full-tree", str(self.commit)
        ).stdout
        entries: dict[str, Entry] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            mode, _kind, sha, size = meta.split()
            name = path.decode("utf-8", "surrogateescape")
            entries[name] = Entry(
                name, mode.decode(), int(size) if size != b"-" else 0, sha.decode()
            )
        return entries

    def _list_worktree(self) -> dict[str, Entry]:
        tracked = run_git(self.root, "ls-files", "-z", "--cached").stdout.split(b"\0")
        others = run_git(
            self.root, "ls-files", "-z", "--others", "--exclude-standard"
        ).stdout.split(b"\0")
        entries: dict[str, Entry] = {}
        for is_tracked, raw in [(True, r) for r in tracked] + [(False, r) for r in others]:
            if not raw:
                continue
            name = raw.decode("utf-8", "surrogateescape")
            try:
                st = (self.root / name).lstat()
            except OSError:
                continue  # deleted in the working tree but still in the index
            if os.path.isdir(self.root / name) and not os.path.islink(self.root / name):
                entries[name] = Entry(name, "160000", 0)
                continue
            mode = "120000" if os.path.islink(self.root / name) else "100644"
            entries[name] = Entry(name, mode, st.st_size, tracked=is_tracked)
        return entries

    def untracked_files(self) -> list[str]:
        """Untracked, not ignored regular files of the working tree (never symlinks)."""
        return sorted(
            e.path for e in self.entries().values() if not e.tracked and e.mode == "100644"
        )

    def files(self) -> list[str]:
        """Return every file path, sorted."""
        return sorted(self.entries())

    def is_dir(self, path: str) -> bool:
        """True when ``path`` is a directory of the snapshot (the root is ``""``)."""
        self.entries()
        return path == "" or path in (self._dirs or set())

    # -- resolving and reading -----------------------------------------------------------------

    def resolve(self, raw: object) -> str:
        """Return the repository path a model-given path names, following in-repo symlinks."""
        path = safe_relpath(raw)
        if self.is_worktree:
            return self._resolve_on_disk(path, raw)
        entries = self.entries()
        for _ in range(_MAX_LINK_HOPS):
            entry = entries.get(path)
            if entry is not None and entry.mode != "120000":
                return path
            if entry is not None:
                path = resolve_link(path, self._blob(entry.sha).decode("utf-8", "surrogateescape"))
                continue
            # A directory symlink somewhere in the middle: a/link/b.py
            parts = path.split("/")
            for i in range(1, len(parts)):
                prefix = "/".join(parts[:i])
                link = entries.get(prefix)
                if link is not None and link.mode == "120000":
                    target = resolve_link(
                        prefix, self._blob(link.sha).decode("utf-8", "surrogateescape")
                    )
                    path = safe_relpath(target + "/" + "/".join(parts[i:]))
                    break
            else:
                if self.is_dir(path):
                    raise ToolError(
                        f"{path} is a directory; use list_files with `{path}/` to see its files"
                    )
                raise ToolError(self._missing(path))
        raise ToolError(f"{raw!r}: too many levels of symbolic links")

    def _resolve_on_disk(self, path: str, raw: object) -> str:
        full = self.root / path
        real = Path(os.path.realpath(full))
        try:
            rel = real.relative_to(self.real_root).as_posix()
        except ValueError:
            raise ToolError(
                f"{path} resolves (through a symlink) outside the repository; refused"
            ) from None
        if rel == ".git" or rel.startswith(".git/"):
            raise ToolError(f"{path} resolves into .git, which the tools do not read")
        if real.is_dir():
            raise ToolError(
                f"{path} is a directory; use list_files with `{path}/` to see its files"
            )
        if not real.is_file() or rel not in self.entries():
            # Ignored files (.env, build output) are not part of the reviewed snapshot either.
            raise ToolError(self._missing(path))
        return rel

    def _missing(self, path: str) -> str:
        """The message for a path that is not in the snapshot, with close matches."""
        name = path.rsplit("/", 1)[-1]
        files = list(self.entries())
        same_name = [f for f in files if f.rsplit("/", 1)[-1] == name][:5]
        close = same_name or difflib.get_close_matches(path, files, n=3, cutoff=0.7)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        return f"no file {path!r} in the {self.label}{hint} (use list_files or grep to find files)"

    def _blob(self, sha: str) -> bytes:
        with self._lock:
            data = self._blobs.get(sha)
            if data is not None:
                self._blobs.move_to_end(sha)
                return data
        data = run_git(self.root, "cat-file", "blob", sha).stdout
        with self._lock:
            self._blobs[sha] = data
            while len(self._blobs) > 64:
                self._blobs.popitem(last=False)
        return data

    def read_blobs(self, shas: list[str]) -> Iterator[tuple[str, bytes]]:
        """Yield ``(sha, content)`` for many blobs through one ``git cat-file --batch``."""
        if not shas:
            return
        proc = subprocess.Popen(
            ["git", "-C", str(self.root), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_env(),
        )
        assert proc.stdin is not None and proc.stdout is not None
        # Feed stdin from a thread so a large request cannot deadlock on full pipes.
        feeder = threading.Thread(
            target=_feed, args=(proc.stdin, "".join(f"{sha}\n" for sha in shas).encode())
        )
        feeder.start()
        try:
            for _ in shas:
                header = proc.stdout.readline().split()
                if len(header) < 3 or header[1] != b"blob":
                    continue
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)  # the newline after each object
                yield header[0].decode(), data
        finally:
            feeder.join()
            proc.stdout.close()
            proc.wait()

    def read_bytes(self, raw: object) -> tuple[str, bytes]:
        """Return ``(resolved path, content)`` of a file named by a model-given path."""
        path = self.resolve(raw)
        if self.is_worktree:
            return path, (self.real_root / path).read_bytes()
        entry = self.entries()[path]
        if entry.mode == "160000":
            raise ToolError(f"{path} is a git submodule; its files are not part of this repository")
        return path, self._blob(entry.sha)

    def read_text(self, raw: object) -> tuple[str, str]:
        """Return ``(resolved path, text)``; binary files are refused with a ToolError."""
        path, data = self.read_bytes(raw)
        if b"\0" in data[:8192]:
            raise ToolError(
                f"{path} is a binary file ({len(data)} bytes); it cannot be shown as text"
            )
        return path, data.decode("utf-8", "replace")


def _feed(stream: IO[bytes], data: bytes) -> None:
    try:
        stream.write(data)
    finally:
        stream.close()
