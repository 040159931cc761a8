"""What changed between two revisions: the audited range, commits, contributors, files, lines.

Everything here reads git objects only (never the work tree), so an audit cannot touch the
user's checkout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import git
from pydantic import BaseModel, Field

from repoagent.errors import RepositoryError

#: git's well-known empty tree; diffing against it shows the whole history as added.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass(frozen=True)
class AuditRange:
    """The two revisions an audit compares."""

    root: Path
    rev: str
    """Full SHA of the audited revision."""
    rev_name: str
    since: str | None
    """Full SHA of the starting point (None: the whole history)."""
    since_name: str | None
    """The tag or ref the user named or the default picked (None: the whole history)."""
    base: str
    """What the diff starts from: merge-base of ``since`` and ``rev``, or the empty tree."""
    note: str = ""
    """How ``since`` was chosen, in one sentence for the reader."""


class CommitInfo(BaseModel):
    """One commit in the audited range."""

    sha: str
    author: str
    email: str
    date: str
    subject: str


class Contributor(BaseModel):
    """An author of commits in the range."""

    name: str
    email: str
    commits: int


class FileChange(BaseModel):
    """One file changed in the range."""

    path: str
    old_path: str | None = None
    status: str = "M"
    """``A`` added, ``M`` modified, ``D`` deleted, ``R`` renamed, ``T`` type change."""
    added: int = 0
    removed: int = 0
    binary: bool = False


class ChangeSummary(BaseModel):
    """What changed since the starting point."""

    commits: list[CommitInfo] = Field(default_factory=list)
    contributors: list[Contributor] = Field(default_factory=list)
    files: list[FileChange] = Field(default_factory=list)
    lines_added: int = 0
    lines_removed: int = 0


def open_repository(path: Path | str) -> git.Repo:
    """Open the git repository containing ``path``, or raise RepositoryError."""
    try:
        repo = git.Repo(Path(path), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RepositoryError(f"{path} is not inside a git repository") from None
    if repo.bare:
        return repo
    try:
        repo.head.commit  # noqa: B018 - raises on an unborn branch
    except ValueError:
        raise RepositoryError(f"{path}: the repository has no commits yet") from None
    return repo


SHALLOW_HINT = (
    "The clone is shallow: fetch the full history (actions/checkout with fetch-depth: 0, "
    "or git fetch --unshallow --tags) for a release audit."
)


def is_shallow(repo: git.Repo) -> bool:
    """True for a shallow clone (CI checkouts often are), whose tags and history are missing."""
    return (Path(repo.git_dir) / "shallow").exists()


def _resolve(repo: git.Repo, ref: str, what: str) -> str:
    try:
        return repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except git.GitCommandError:
        hint = f" ({SHALLOW_HINT})" if is_shallow(repo) else ""
        raise RepositoryError(
            f"{what} {ref!r} does not name a commit in this repository{hint}"
        ) from None


def _latest_tag(repo: git.Repo, commit: str) -> str | None:
    try:
        return repo.git.describe("--tags", "--abbrev=0", commit)
    except git.GitCommandError:
        return None


def resolve_range(repo: git.Repo, rev: str = "HEAD", since: str | None = None) -> AuditRange:
    """Resolve ``--rev`` and ``--since`` (default: the latest tag before ``rev``, else all)."""
    root = Path(repo.working_tree_dir or repo.git_dir)
    rev_sha = _resolve(repo, rev, "--rev")
    note = ""
    if since is None:
        tag = _latest_tag(repo, rev_sha)
        if tag is not None and _resolve(repo, tag, "tag") == rev_sha:
            # The audited revision is itself the tag: compare with the release before it.
            parents = repo.commit(rev_sha).parents
            tag = _latest_tag(repo, parents[0].hexsha) if parents else None
            if tag is not None:
                note = f"{rev} is tagged itself, so the audit starts at the previous tag {tag}."
        if tag is None:
            note = note or "No tag is reachable from the audited revision: whole history."
            if is_shallow(repo):
                note += f" {SHALLOW_HINT}"
            return AuditRange(root, rev_sha, rev, None, None, EMPTY_TREE, note)
        since = tag
        note = note or f"Starting at {tag}, the most recent tag reachable from {rev}."
    since_sha = _resolve(repo, since, "--since")
    try:
        base = repo.git.merge_base(since_sha, rev_sha)
    except git.GitCommandError:
        hint = f" ({SHALLOW_HINT})" if is_shallow(repo) else ""
        raise RepositoryError(f"--since {since!r} shares no history with {rev!r}{hint}") from None
    if base == rev_sha and since_sha != rev_sha:
        raise RepositoryError(
            f"--since {since!r} is later than --rev {rev!r} (it contains every commit of it), "
            "so there is nothing to audit; did you swap them?"
        )
    return AuditRange(root, rev_sha, rev, since_sha, since, base, note)


def list_commits(repo: git.Repo, rng: AuditRange) -> list[CommitInfo]:
    """Commits reachable from ``rev`` but not from ``since``, newest first."""
    spec = rng.rev if rng.since is None else f"{rng.since}..{rng.rev}"
    out = repo.git.log("--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e", spec, "--")
    commits = []
    for record in out.split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 5:
            commits.append(CommitInfo(**dict(zip(CommitInfo.model_fields, fields, strict=True))))
    return commits


def contributors(commits: list[CommitInfo]) -> list[Contributor]:
    """Authors of ``commits``, most commits first."""
    counts: dict[tuple[str, str], int] = {}
    for c in commits:
        counts[(c.author, c.email.lower())] = counts.get((c.author, c.email.lower()), 0) + 1
    people = [Contributor(name=n, email=e, commits=k) for (n, e), k in counts.items()]
    return sorted(people, key=lambda p: (-p.commits, p.name.lower()))


def changed_files(repo: git.Repo, rng: AuditRange) -> list[FileChange]:
    """Files that differ between the base and ``rev``, with line counts (renames detected)."""
    status_out = repo.git.diff("--name-status", "-z", "-M", rng.base, rng.rev, "--")
    tokens = status_out.split("\0")
    changes: dict[str, FileChange] = {}
    i = 0
    while i < len(tokens) and tokens[i]:
        status = tokens[i][0]
        if status in "RC":
            old, new = tokens[i + 1], tokens[i + 2]
            changes[new] = FileChange(path=new, old_path=old, status=status)
            i += 3
        else:
            changes[tokens[i + 1]] = FileChange(path=tokens[i + 1], status=status)
            i += 2
    numstat = repo.git.diff("--numstat", "-z", "-M", rng.base, rng.rev, "--")
    parts = numstat.split("\0")
    j = 0
    while j < len(parts) and parts[j]:
        added, removed, path = parts[j].split("\t", 2)
        if path == "":  # rename: the two paths follow as separate fields
            path = parts[j + 2]
            j += 3
        else:
            j += 1
        change = changes.get(path)
        if change is None:
            continue
        if added == "-":
            change.binary = True
        else:
            change.added, change.removed = int(added), int(removed)
    return sorted(changes.values(), key=lambda c: c.path)


def summarise_changes(repo: git.Repo, rng: AuditRange) -> ChangeSummary:
    """Commits, contributors, files and line totals of the audited range."""
    commits = list_commits(repo, rng)
    files = changed_files(repo, rng)
    return ChangeSummary(
        commits=commits,
        contributors=contributors(commits),
        files=files,
        lines_added=sum(f.added for f in files),
        lines_removed=sum(f.removed for f in files),
    )


def _git(repo: git.Repo, *args: str) -> str:
    # core.quotepath=off keeps non-ASCII paths readable instead of octal-escaped.
    out = repo.git.execute(["git", "-c", "core.quotepath=off", *args])
    return out if isinstance(out, str) else str(out)


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def added_lines(repo: git.Repo, rng: AuditRange) -> dict[str, list[tuple[int, str]]]:
    """Lines added in the range, per file: ``path -> [(line number at rev, text)]``."""
    diff = _git(repo, "diff", "-U0", "-M", "--no-color", "--no-ext-diff", rng.base, rng.rev, "--")
    result: dict[str, list[tuple[int, str]]] = {}
    path: str | None = None
    line_no = 0
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            path = target[2:] if target.startswith("b/") else None
            continue
        if line.startswith("diff --git"):
            path = None
            continue
        match = _HUNK.match(line)
        if match:
            line_no = int(match.group(1))
            continue
        if path is not None and line.startswith("+"):
            result.setdefault(path, []).append((line_no, line[1:]))
            line_no += 1
    return result


def read_texts(repo: git.Repo, rev: str, paths: Iterable[str]) -> dict[str, str]:
    """Texts of many files at ``rev`` through one ``git cat-file --batch``.

    Files missing at ``rev``, binary or not UTF-8 are left out.
    """
    from repoagent.repo import open_repository as open_git

    wanted = sorted(set(paths))
    if rev == EMPTY_TREE or not wanted:
        return {}
    sha_of: dict[str, str] = {}
    for start in range(0, len(wanted), 500):  # keep the command line short
        out = _git(repo, "ls-tree", "-r", "-z", rev, "--", *wanted[start : start + 500])
        for record in out.split("\0"):
            if "\t" in record:
                meta, path = record.split("\t", 1)
                if meta.split()[1] == "blob":
                    sha_of[path] = meta.split()[2]
    blobs = dict(open_git(str(repo.working_tree_dir)).read_blobs(sorted(set(sha_of.values()))))
    texts = {}
    for path, sha in sha_of.items():
        data = blobs.get(sha, b"")
        if b"\0" in data[:8192]:
            continue
        try:
            texts[path] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts
