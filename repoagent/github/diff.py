"""The pull request's diff, computed from the local clone, as the set of lines GitHub accepts
review comments on.

GitHub's three-dot diff is ``merge-base(base, head)..head``; we compute the same locally (the API's
diff endpoint fails past 300 files) with 3 lines of context, GitHub's own, whatever the user's
git config says. A review comment may sit on any line of a hunk: RIGHT-side lines are the head's
line numbers (added or context), LEFT-side lines the merge base's (removed or context). A
multi-line comment must start and end in the same hunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import git

from repoagent.errors import RepositoryError

Side = Literal["RIGHT", "LEFT"]
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_C_ESCAPES = {
    "n": "\n",
    "t": "\t",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "r": "\r",
    "v": "\v",
}


@dataclass(frozen=True)
class Hunk:
    """One ``@@`` hunk: its line ranges on both sides."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int

    def lines(self, side: Side = "RIGHT") -> range:
        """Line numbers of this hunk on ``side`` (empty for a pure deletion on RIGHT)."""
        if side == "RIGHT":
            return range(self.new_start, self.new_start + self.new_count)
        return range(self.old_start, self.old_start + self.old_count)


@dataclass
class FileDiff:
    """The hunks of one changed file (``path`` is the head's path; renames keep ``old_path``)."""

    path: str
    old_path: str | None = None
    hunks: list[Hunk] = field(default_factory=list)
    added: set[int] = field(default_factory=set)
    """Head line numbers added or changed by the pull request."""
    deleted: bool = False


@dataclass
class CommentableLines:
    """Per file and side, the lines a review comment may be attached to."""

    files: dict[str, FileDiff] = field(default_factory=dict)
    base: str = ""
    head: str = ""

    def hunk_of(self, path: str, line: int, side: Side = "RIGHT") -> int | None:
        """Index of the hunk containing ``line`` of ``path`` on ``side``, or None."""
        diff = self.files.get(path)
        if diff is None or (diff.deleted and side == "RIGHT"):
            return None
        for index, hunk in enumerate(diff.hunks):
            if line in hunk.lines(side):
                return index
        return None

    def can_comment(self, path: str, start: int, end: int, side: Side = "RIGHT") -> bool:
        """True when lines ``start``..``end`` of ``path`` lie inside one hunk on ``side``."""
        if start <= 0 or end < start:
            return False
        first = self.hunk_of(path, start, side)
        return first is not None and first == self.hunk_of(path, end, side)

    def lines(self, path: str, side: Side = "RIGHT") -> set[int]:
        """Every commentable line of ``path`` on ``side``."""
        diff = self.files.get(path)
        if diff is None:
            return set()
        return {n for hunk in diff.hunks for n in hunk.lines(side)}

    @property
    def paths(self) -> list[str]:
        """Changed paths (head side), sorted."""
        return sorted(self.files)


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual paths (``"a/t\\303\\251st"``)."""
    if not (path.startswith('"') and path.endswith('"')):
        return path
    raw = path[1:-1]
    out = bytearray()
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt in "01234567" and re.match(r"[0-7]{3}", raw[i + 1 : i + 4]):
                out.append(int(raw[i + 1 : i + 4], 8))
                i += 4
                continue
            out.extend(_C_ESCAPES.get(nxt, nxt).encode())
            i += 2
            continue
        out.extend(ch.encode())
        i += 1
    return out.decode("utf-8", "replace")


def _strip_prefix(path: str, prefix: str) -> str | None:
    path = _unquote(path.rstrip("\t").split("\t")[0] if not path.startswith('"') else path)
    if path == "/dev/null":
        return None
    return path[len(prefix) :] if path.startswith(prefix) else path


def parse_diff(text: str) -> CommentableLines:
    """Parse a unified ``git diff`` (a/ b/ prefixes) into commentable lines."""
    result = CommentableLines()
    lines = text.split("\n")
    current: FileDiff | None = None
    old_path: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("diff --git "):
            current, old_path = None, None
        elif line.startswith("--- ") and current is None:
            old_path = _strip_prefix(line[4:], "a/")
        elif line.startswith("+++ ") and current is None:
            new_path = _strip_prefix(line[4:], "b/")
            path = new_path or old_path or ""
            current = FileDiff(
                path=path,
                old_path=old_path if old_path != new_path else None,
                deleted=new_path is None,
            )
            result.files[path] = current
        elif (match := _HUNK.match(line)) and current is not None:
            old_start, new_start = int(match[1]), int(match[3])
            old_count = 1 if match[2] is None else int(match[2])
            new_count = 1 if match[4] is None else int(match[4])
            current.hunks.append(Hunk(old_start, old_count, new_start, new_count))
            old_left, new_left, new_line = old_count, new_count, new_start
            # Consume the hunk body by its counts: a removed line "-- x" must not read as a header.
            while (old_left > 0 or new_left > 0) and i < len(lines):
                body = lines[i]
                i += 1
                if body.startswith("\\"):
                    continue
                tag = body[:1]
                if tag == "+":
                    current.added.add(new_line)
                    new_line += 1
                    new_left -= 1
                elif tag == "-":
                    old_left -= 1
                else:
                    new_line += 1
                    old_left -= 1
                    new_left -= 1
    return result


def _has_commit(repo: git.Repo, sha: str) -> bool:
    try:
        repo.git.cat_file("-e", f"{sha}^{{commit}}")
    except git.GitCommandError:
        return False
    return True


def merge_base(repo: git.Repo, base_sha: str, head_sha: str) -> str:
    """The merge base of the pull request's base and head commits (both must be in the clone)."""
    for label, sha in (("base", base_sha), ("head", head_sha)):
        if not _has_commit(repo, sha):
            hint = (
                "; on pull_request_target also ref: ${{ github.event.pull_request.head.sha }}"
                if label == "head"
                else ""
            )
            raise RepositoryError(
                f"the pull request's {label} commit {sha[:12]} is not in the local clone; "
                f"check out with full history (actions/checkout with fetch-depth: 0{hint})"
            )
    try:
        return str(repo.git.merge_base(base_sha, head_sha)).strip()
    except git.GitCommandError:
        raise RepositoryError(
            f"no merge base between {base_sha[:12]} and {head_sha[:12]}"
        ) from None


def local_diff(repo: git.Repo, base_sha: str, head_sha: str) -> tuple[str, str]:
    """Return (merge base, unified diff of merge base..head) computed from the local clone."""
    mb = merge_base(repo, base_sha, head_sha)
    text = repo.git.execute(
        [
            "git",
            "-c",
            "core.quotepath=off",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            "-U3",
            "--find-renames",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            mb,
            head_sha,
            "--",
        ],
        strip_newline_in_stdout=False,
    )
    return mb, str(text)


def commentable_lines(
    repo_path: Path | str | git.Repo, base_sha: str, head_sha: str
) -> CommentableLines:
    """The pull request's commentable lines, from the local clone at ``repo_path``."""
    repo = repo_path if isinstance(repo_path, git.Repo) else git.Repo(repo_path)
    mb, text = local_diff(repo, base_sha, head_sha)
    lines = parse_diff(text)
    lines.base, lines.head = mb, head_sha
    return lines
