"""Read-only access to a git repository: revisions, file lists, blob contents, diffs.

Bulk work goes through single git processes (``ls-tree -r``, ``ls-files``, one
``cat-file --batch``) rather than one call per file, and git runs directly (a pack never imports
GitPython: ~50 ms of start-up; ``GitRepository.repo`` opens it on demand). A blob whose work-tree
file holds exactly its bytes (same size, same blob SHA) is read from the disk instead of being
inflated by git. Nothing here writes to the repository.
"""

from __future__ import annotations

import contextlib
import os
import queue
import stat
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from repoagent.cache import blob_sha
from repoagent.errors import RepositoryError

if TYPE_CHECKING:
    import git

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
"""Work-tree reads: bytes as stored (O_BINARY on Windows), never through a symlink."""
SUBMODULE_MODE = "160000"
SYMLINK_MODE = "120000"
DIFF_PATHS_PER_CALL = 500
"""Paths given to one ``git diff`` (a command line has a length limit)."""


@dataclass(frozen=True)
class FileEntry:
    """One file as git sees it at a revision (or in the work tree)."""

    path: str
    """POSIX path relative to the repository root."""
    mode: str
    """git mode: ``100644``, ``100755``, ``120000`` (symlink) or ``160000`` (submodule)."""
    sha: str | None
    """Blob SHA at the revision; ``None`` for work-tree files (known once read)."""
    size: int
    """Size in bytes (of the blob, or of the file on disk)."""


def _git_error(args: tuple[str, ...], stderr: str) -> RepositoryError:
    """git's own reason for a failed command, as one line."""
    message = [m.strip() for m in stderr.strip().splitlines() if m.strip()]
    command = next((a for a in args if not a.startswith("-") and "=" not in a), "")
    fatal = [m for m in message if m.startswith(("fatal:", "error:"))]
    detail = (fatal or message or ["exit status"])[0]
    return RepositoryError(f"git {command} failed: {detail}")


class GitRepository:
    """A git repository read through the ``git`` command.

    A bare repository opens too: its revisions are read from git objects as any other's
    (``root`` is then the repository directory itself); what needs a work tree raises
    RepositoryError.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        target = Path(path).expanduser()
        if not target.exists():
            raise RepositoryError(f"path does not exist: {target}")
        where = target if target.is_dir() else target.parent
        try:
            # In a bare repository (or a .git directory) --show-toplevel fails after the other
            # three answers are printed.
            proc = subprocess.run(
                [
                    "git",
                    "rev-parse",
                    "--is-bare-repository",
                    "--is-inside-git-dir",
                    "--absolute-git-dir",
                    "--show-toplevel",
                ],
                cwd=where,
                capture_output=True,
                text=True,
                errors="surrogateescape",
                check=False,
            )
        except OSError as exc:
            raise RepositoryError(f"cannot run git: {exc.strerror or exc}") from None
        lines = proc.stdout.splitlines()
        if proc.returncode != 0 and "not a git repository" in proc.stderr:
            raise RepositoryError(f"not a git repository: {target}")
        self.bare = len(lines) >= 3 and lines[0] == "true"
        """No work tree: files are read from git objects only."""
        if self.bare:
            self.root = Path(lines[2]).resolve()
            if target.resolve() != self.root:  # what is inside is git's, not the project's
                raise RepositoryError(f"{target} is inside the bare repository {self.root}")
        elif len(lines) >= 3 and lines[1] == "true":
            raise RepositoryError(
                f"{target} is inside a repository's .git directory: pass its work tree"
            )
        elif proc.returncode != 0 or len(lines) < 4:
            raise _git_error(("rev-parse",), proc.stderr)
        else:
            self.root = Path(lines[3]).resolve()
        self._unchanged: dict[str, frozenset[str]] = {}

    @cached_property
    def repo(self) -> git.Repo:
        """The repository opened with GitPython (imported on first use)."""
        import git

        return git.Repo(self.root)

    @property
    def name(self) -> str:
        """The repository's directory name (of a bare ``project.git``: ``project``)."""
        if self.bare:
            return self.root.name.removesuffix(".git") or self.root.parent.name
        return self.root.name

    def _need_work_tree(self) -> None:
        """Raise RepositoryError when the repository is bare."""
        if self.bare:
            raise RepositoryError(
                f"{self.root} is a bare repository: it has no work tree to read "
                "(without --worktree, a revision is packed from git objects)"
            )

    def _git(self, *args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> str:
        try:
            proc = subprocess.run(
                ["git", *args],
                cwd=self.root,
                capture_output=True,
                check=False,
                env=env,
                input=stdin,
            )
        except OSError as exc:
            raise RepositoryError(f"cannot run git: {exc.strerror or exc}") from None
        if proc.returncode != 0:
            raise _git_error(args, proc.stderr.decode("utf-8", "replace"))
        return proc.stdout.decode("utf-8", "surrogateescape")

    def _git_ok(self, *args: str) -> str | None:
        """Output of a git command, or ``None`` when it fails."""
        try:
            return self._git(*args)
        except RepositoryError:
            return None

    def resolve(self, rev: str = "HEAD", flag: str | None = None) -> str:
        """Return the commit SHA that ``rev`` names, or raise RepositoryError.

        ``flag`` (``--rev``, ``--base``) names the option ``rev`` came from, for the message
        when it names an object that is not a commit (a tree, a blob, a tag of either).
        """
        if rev.startswith("-"):
            raise RepositoryError(f"unknown revision: {rev}")
        # ":/text" searches commit messages to the end of the string (a suffix would be part of
        # the text searched for), and it always names a commit.
        spec = rev if rev.startswith(":/") else f"{rev}^{{commit}}"
        found = self._git_ok("rev-parse", "--verify", "--quiet", spec)
        if found is None or not found.strip():
            self._git("rev-parse", "--git-dir")  # raises git's own reason (e.g. dubious ownership)
            if rev == "HEAD" and not self._has_commits():
                raise RepositoryError(f"repository has no commits yet: {self.root}") from None
            kind = None if rev.startswith(":/") else self._object_kind(rev)
            if kind is not None:
                raise RepositoryError(
                    f"{flag or 'revision'} {rev} names a {kind}, not a commit"
                ) from None
            raise RepositoryError(f"unknown revision: {rev}") from None
        return found.strip()

    def _object_kind(self, rev: str) -> str | None:
        """The kind of object ``rev`` names once its tags are peeled (``tree``, ``blob``), or
        ``None`` when it names nothing."""
        # No "^{}" suffix on rev itself: in "REV:path" it would be part of the path.
        found = self._git_ok("rev-parse", "--verify", "--quiet", rev)  # rev has no leading "-"
        if not found or not found.strip():
            return None
        sha = found.strip()
        kind = (self._git_ok("cat-file", "-t", sha) or "").strip()
        if kind == "tag":
            peeled = (self._git_ok("rev-parse", "--verify", "--quiet", f"{sha}^{{}}") or "").strip()
            kind = (self._git_ok("cat-file", "-t", peeled) or "").strip() if peeled else ""
        return kind or None

    def _has_commits(self) -> bool:
        return self._git_ok("rev-parse", "--verify", "--quiet", "HEAD") is not None

    def list_files(self, commit: str) -> list[FileEntry]:
        """List every file in the tree of ``commit`` (submodules as entries, not entered).

        Sizes come from the work tree for files git vouches are unchanged since ``commit``,
        and from ``cat-file --batch-check`` for the rest (``ls-tree --long`` inflates the head
        of every loose blob: 0.1 s on a freshly committed 5,000-file tree).
        """
        pending = (
            self._ask_unchanged(commit) if commit not in self._unchanged and not self.bare else None
        )
        try:
            out = self._git("ls-tree", "-r", "-z", "--full-tree", commit)
        finally:
            if pending is not None:  # git answers while ls-tree runs
                self._unchanged[commit] = pending()
        listed: list[tuple[str, str, str]] = []
        for record in out.split("\0"):
            if record:
                meta, path = record.split("\t", 1)
                mode, _kind, sha = meta.split(maxsplit=2)
                listed.append((path, mode, sha))
        unchanged = self._unchanged_since(commit)
        sizes: dict[str, int] = {}
        for path, mode, _sha in listed:
            if path in unchanged and mode in ("100644", "100755"):
                with contextlib.suppress(OSError):
                    info = os.lstat(f"{self.root}/{path}")
                    if stat.S_ISREG(info.st_mode):
                        sizes[path] = info.st_size
        unknown = {
            sha for path, mode, sha in listed if path not in sizes and mode != SUBMODULE_MODE
        }
        blob_sizes = self._blob_sizes(unknown)
        entries = [
            FileEntry(
                path,
                mode,
                sha,
                0 if mode == SUBMODULE_MODE else sizes.get(path, blob_sizes.get(sha, 0)),
            )
            for path, mode, sha in listed
        ]
        return sorted(entries, key=lambda e: e.path)

    def _blob_sizes(self, shas: Iterable[str]) -> dict[str, int]:
        """The sizes of blobs, by SHA, from one ``cat-file --batch-check``."""
        wanted = sorted(shas)
        if not wanted:
            return {}
        try:
            proc = subprocess.run(
                ["git", "cat-file", "--batch-check=%(objectname) %(objectsize)"],
                cwd=self.root,
                input="".join(f"{sha}\n" for sha in wanted).encode(),
                capture_output=True,
                check=False,
            )
        except OSError as exc:
            raise RepositoryError(f"cannot run git: {exc.strerror or exc}") from None
        sizes: dict[str, int] = {}
        for line in proc.stdout.decode("ascii", "replace").splitlines():
            name, _, size = line.partition(" ")
            if size.isdigit():
                sizes[name] = int(size)
        return sizes

    def list_worktree(self) -> list[FileEntry]:
        """List tracked files as they are on disk plus untracked files git does not ignore."""
        self._need_work_tree()
        entries: dict[str, FileEntry] = {}
        staged = self._git("ls-files", "-s", "-z")
        for record in staged.split("\0"):
            if not record:
                continue
            meta, path = record.split("\t", 1)
            mode = meta.split()[0]
            self._add_disk_entry(entries, path, mode)
        others = self._git("ls-files", "--others", "--exclude-standard", "-z")
        for path in others.split("\0"):
            if path and not path.endswith("/"):
                self._add_disk_entry(entries, path, None)
            elif path:  # an untracked nested repository
                entries[path.rstrip("/")] = FileEntry(path.rstrip("/"), SUBMODULE_MODE, None, 0)
        return [entries[p] for p in sorted(entries)]

    def _add_disk_entry(self, entries: dict[str, FileEntry], path: str, mode: str | None) -> None:
        if mode == SUBMODULE_MODE:
            entries[path] = FileEntry(path, mode, None, 0)
            return
        full = self.root / path
        try:
            st = full.lstat()
        except OSError:
            return  # tracked but deleted in the work tree: not part of it any more
        if full.is_symlink():
            entries[path] = FileEntry(path, SYMLINK_MODE, None, st.st_size)
        elif full.is_file():
            executable = st.st_mode & 0o111
            entries[path] = FileEntry(path, "100755" if executable else "100644", None, st.st_size)

    def read_worktree_file(self, entry: FileEntry) -> bytes:
        """Return a work-tree file's bytes (a symlink's target path, as git stores it)."""
        self._need_work_tree()
        full = self.root / entry.path
        if entry.mode == SYMLINK_MODE:
            return os.readlink(full).encode()
        return full.read_bytes()

    def read_tree_files(
        self, files: Iterable[FileEntry], commit: str | None = None
    ) -> Iterator[tuple[FileEntry, bytes]]:
        """Yield ``(entry, bytes)`` for files of a revision (each with its blob SHA), in no set order.

        A regular file whose work-tree copy has the blob's size and SHA is read from the disk
        (git's inflating would cost more than the hashing); every other blob comes from git.
        With ``commit`` (the revision the entries are from), files git itself finds unchanged
        since it (stat data in the index, no assume-unchanged or skip-worktree bit) skip the
        hashing.
        """
        unchanged = self._unchanged_since(commit) if commit else frozenset()
        from_git: dict[str, list[FileEntry]] = {}
        for entry in files:
            if entry.sha is None:
                continue
            data = (
                self._disk_copy(entry, verify=entry.path not in unchanged)
                if entry.mode in ("100644", "100755")
                else None
            )
            if data is not None:
                yield entry, data
            else:
                from_git.setdefault(entry.sha, []).append(entry)
        for sha, data in self.read_blobs(list(from_git)):
            for entry in from_git[sha]:
                yield entry, data

    def _unchanged_since(self, commit: str) -> frozenset[str]:
        """Paths whose work-tree file git considers identical to ``commit``'s blob (asked once
        per commit for this object: a pack reads its config files, then the rest)."""
        if commit not in self._unchanged:
            self._unchanged[commit] = frozenset() if self.bare else self._ask_unchanged(commit)()
        return self._unchanged[commit]

    def _ask_unchanged(self, commit: str) -> Callable[[], frozenset[str]]:
        """Start asking git which paths are unchanged since ``commit``; the answer comes from
        the function returned (so the caller can run another git command meanwhile)."""
        try:
            changed = subprocess.Popen(
                ["git", "diff-index", "--name-only", "-z", "--no-renames", commit, "--"],
                cwd=self.root,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return frozenset
        try:
            flags = subprocess.Popen(
                ["git", "ls-files", "-v", "-z"],
                cwd=self.root,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            changed.communicate()
            return frozenset

        def answer() -> frozenset[str]:
            # One after the other: a full pipe only pauses ls-files until its turn comes.
            out, _ = changed.communicate()
            listing, _ = flags.communicate()
            if changed.returncode != 0 or flags.returncode != 0:
                return frozenset()
            differs = set(out.split(b"\0"))
            # "H": an ordinary cached entry; "S" (skip-worktree) and lower case
            # (assume-unchanged) are entries git does not compare with the disk, so they are
            # not vouched for.
            return frozenset(
                os.fsdecode(record[2:])
                for record in listing.split(b"\0")
                if record[:2] == b"H " and record[2:] not in differs
            )

        return answer

    def _disk_copy(self, entry: FileEntry, verify: bool = True) -> bytes | None:
        """The work-tree bytes of ``entry`` if they are exactly its blob, else ``None``.

        ``verify=False`` (git vouches for the file) checks the size only.
        """
        if self.bare:  # root is the repository directory: its files are git's own
            return None
        try:  # O_NOFOLLOW: a symlink in the work tree is not the regular file git stored
            fd = os.open(f"{self.root}/{entry.path}", _READ_FLAGS)
        except (OSError, ValueError):
            return None
        try:  # one read of the size fstat gives: no file object (thousands of small files)
            info = os.fstat(fd)
            if info.st_size != entry.size or not stat.S_ISREG(info.st_mode):
                return None
            data = os.read(fd, info.st_size + 1)
        except OSError:
            return None
        finally:
            os.close(fd)
        if len(data) != info.st_size:  # changed while read, or a short read: ask git
            return None
        if not verify:
            return data
        return data if blob_sha(data) == entry.sha else None

    def read_blobs(self, shas: Iterable[str], workers: int = 2) -> Iterator[tuple[str, bytes]]:
        """Yield ``(sha, bytes)`` for each blob SHA (in no set order), via ``cat-file --batch``.

        Inflating objects is git's work; ``workers`` processes share it across cores.
        """
        wanted = list(shas)
        if not wanted:
            return
        shares = [wanted[i::workers] for i in range(min(workers, len(wanted)))]
        results: queue.Queue[tuple[str, bytes] | BaseException | None] = queue.Queue(maxsize=256)
        stop = threading.Event()
        threads = [
            threading.Thread(target=self._cat_file, args=(share, results, stop), daemon=True)
            for share in shares
        ]
        for thread in threads:
            thread.start()
        finished = 0
        try:
            while finished < len(threads):
                item = results.get()
                if item is None:
                    finished += 1
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield item
        finally:
            stop.set()
            while any(t.is_alive() for t in threads):
                with contextlib.suppress(queue.Empty):
                    results.get(timeout=0.05)

    def _cat_file(
        self,
        shas: list[str],
        results: queue.Queue[tuple[str, bytes] | BaseException | None],
        stop: threading.Event,
    ) -> None:
        proc = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None and proc.stdout is not None
        stdin, stdout = proc.stdin, proc.stdout

        def feed() -> None:
            try:
                for sha in shas:
                    stdin.write(sha.encode() + b"\n")
                stdin.close()
            except OSError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for sha in shas:
                if stop.is_set():
                    break
                header = stdout.readline().split()
                if len(header) < 3 or header[1] == b"missing":
                    results.put(RepositoryError(f"cannot read blob {sha}"))
                    break
                data = stdout.read(int(header[2]))
                stdout.read(1)
                results.put((sha, data))
        finally:
            stdout.close()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            writer.join(timeout=1)
            results.put(None)

    def merge_base(self, base: str, commit: str) -> str:
        """Return the merge base of ``base`` and ``commit``."""
        base_sha = self.resolve(base, flag="--base")
        found = self._git_ok("merge-base", base_sha, commit)
        if found is None:
            raise RepositoryError(f"{base} and the packed revision share no history")
        return found.strip()

    def changed_paths(self, since: str, commit: str | None) -> list[str]:
        """Paths changed from ``since`` to ``commit`` (or the work tree when ``None``)."""
        if commit is None:
            self._need_work_tree()
        args = ["diff", "--name-only", "-z", "--no-renames", since]
        out = self._git(*args, *([commit] if commit else []), "--")
        return sorted(p for p in out.split("\0") if p)

    def diff(self, since: str, commit: str | None, paths: Sequence[str] | None = None) -> str:
        """The unified diff from ``since`` to ``commit`` (or the work tree when ``None``), of
        ``paths`` only when given (taken literally, not as globs)."""
        if commit is None:
            self._need_work_tree()
        args = ["diff", "--no-color", "--no-ext-diff", "--find-renames", since]
        args += [commit] if commit else []
        if paths is None:
            return self._git(*args, "--")
        out: list[str] = []
        for start in range(0, len(paths), DIFF_PATHS_PER_CALL):  # bounded command lines
            group = paths[start : start + DIFF_PATHS_PER_CALL]
            out.append(self._git("--literal-pathspecs", *args, "--", *group))
        return "".join(out)

    def untracked_paths(self) -> list[str]:
        """Work-tree files git neither tracks nor ignores (what ``--worktree`` adds)."""
        self._need_work_tree()
        out = self._git("ls-files", "--others", "--exclude-standard", "-z")
        return sorted(p for p in out.split("\0") if p and not p.endswith("/"))

    def untracked_diff(self, since: str, paths: Sequence[str]) -> str:
        """The diff from ``since`` to the work-tree content of untracked ``paths``: new files,
        and files ``since`` has that were removed from the index (``git rm --cached``) but are
        still on disk, which git's own diff of the work tree calls deleted.

        git diffs them through a temporary index that lists only them, whose blobs go to a
        temporary object store (the repository's own objects stay readable as its alternate):
        nothing is written to the repository. (``update-index --info-only`` wrote no blob at
        all, and git needs them when a line-ending conversion applies: ``* text=auto``,
        ``core.autocrlf``.)
        """
        self._need_work_tree()
        if not paths:
            return ""
        objects = self._git("rev-parse", "--git-path", "objects").rstrip("\n")
        with tempfile.TemporaryDirectory(prefix="repoagent-index-") as scratch:
            os.mkdir(os.path.join(scratch, "objects"))
            env = {
                **os.environ,
                "GIT_INDEX_FILE": os.path.join(scratch, "index"),
                "GIT_OBJECT_DIRECTORY": os.path.join(scratch, "objects"),
                "GIT_ALTERNATE_OBJECT_DIRECTORIES": os.path.join(self.root, objects),
            }
            listing = b"".join(os.fsencode(p) + b"\0" for p in paths)
            self._git("update-index", "--add", "-z", "--stdin", env=env, stdin=listing)
            args = ["diff", "--no-color", "--no-ext-diff", "--find-renames", since]
            out: list[str] = []
            for start in range(0, len(paths), DIFF_PATHS_PER_CALL):  # bounded command lines
                group = paths[start : start + DIFF_PATHS_PER_CALL]
                out.append(self._git("--literal-pathspecs", *args, "--", *group, env=env))
        return "".join(out)

    def last_changed(self, commit: str, limit: int = 300) -> dict[str, int]:
        """Commit time of the latest change to each path, from the last ``limit`` commits."""
        out = self._git(
            "log", f"-n{limit}", "--format=%x00%ct", "--name-only", "--no-renames", commit
        )
        times: dict[str, int] = {}
        stamp = 0
        for line in out.splitlines():
            if line.startswith("\0"):
                stamp = int(line[1:] or 0)
            elif line and line not in times:
                times[line] = stamp
        return times
