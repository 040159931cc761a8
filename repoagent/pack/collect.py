"""Collect the files of a revision (or the work tree) with their text and exclusion reasons."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from repoagent.cache import blob_sha
from repoagent.pack.attributes import GitAttributes
from repoagent.pack.options import ManifestEntry
from repoagent.pack.select import compile_globs, content_reason, path_reason, symlink_target
from repoagent.repo import SYMLINK_MODE, FileEntry, GitRepository

#: Reasons ``--include`` cannot override: there is no content to show.
FINAL_REASONS = frozenset({"submodule", "symlink-outside", "symlink", "unreadable"})

Progress = Callable[[str, int, int], None]


@dataclass
class Collected:
    """Every file with its manifest entry; ``texts`` holds the candidates' decoded text."""

    entries: list[ManifestEntry]
    texts: dict[str, str] = field(default_factory=dict)
    path_rule: Callable[[str], str | None] = lambda _: None
    """The reason a file at this path (one the tree does not hold, e.g. deleted since a base)
    would be left out by its path alone (globs, secret files, lock files, attributes, outside
    the packed directory), or ``None``."""


def collect_files(
    repo: GitRepository,
    commit: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    progress: Progress | None = None,
    within: str | None = None,
) -> Collected:
    """List, filter and read the files of ``commit`` (``None``: the work tree), only those
    under the directory ``within`` when it is given."""
    files = repo.list_files(commit) if commit is not None else repo.list_worktree()
    by_path = {f.path: f for f in files}
    config = _read_config_files(repo, commit, by_path)  # all of them, also above ``within``
    if within:
        prefix = within.strip("/") + "/"
        files = [f for f in files if f.path.startswith(prefix) or f.path == within.strip("/")]
    attributes = GitAttributes({p: t for p, t in config.items() if p.endswith(".gitattributes")})
    ignore_text = config.get(".repoagentignore")
    ignore = compile_globs(ignore_text.splitlines()) if ignore_text else None
    include_spec, exclude_spec = compile_globs(_rooted(include)), compile_globs(_rooted(exclude))

    def path_rule(path: str) -> str | None:
        if within and not (path + "/").startswith(within.strip("/") + "/"):
            return "outside"
        entry = FileEntry(path, "100644", None, 0)
        reason = path_reason(entry, attributes, exclude_spec, ignore)
        forced = include_spec is not None and include_spec.match_file(path)
        return None if reason is None or (forced and reason not in FINAL_REASONS) else reason

    entries: list[ManifestEntry] = []
    to_read: list[FileEntry] = []
    for f in files:
        reason = path_reason(f, attributes, exclude_spec, ignore)
        forced = include_spec is not None and include_spec.match_file(f.path)
        if reason is not None and forced and reason not in FINAL_REASONS:
            reason = None
        entry = ManifestEntry(
            f.path, None if reason else "full", reason=reason, size=f.size, sha=f.sha
        )
        entries.append(entry)
        if reason is None:
            to_read.append(f)
    collected = Collected(entries, path_rule=path_rule)
    index = {e.path: e for e in entries}
    for count, (f, data) in enumerate(_read(repo, commit, to_read), 1):
        if progress is not None and count % 50 == 0:
            progress("read", count, len(to_read))
        entry = index[f.path]
        if data is None:
            entry.level, entry.reason = None, "unreadable"
            continue
        entry.sha = entry.sha or blob_sha(data)
        entry.size = len(data)
        if f.mode == SYMLINK_MODE:
            target = symlink_target(f, data.decode("utf-8", "replace"))
            entry.level, entry.reason = (
                (None, "symlink-outside") if target is None else ("listed", "symlink")
            )
            entry.target = target
            continue
        forced = include_spec is not None and include_spec.match_file(f.path)
        reason, text = content_reason(f.path, data, attributes)
        if reason is not None and not forced:
            entry.level, entry.reason = None, reason
            continue
        # A binary file brought back with --include: its bytes as text, NULs shown as U+FFFD
        # (a NUL in a prompt is refused or cut short by some model servers).
        collected.texts[f.path] = (
            text if reason != "binary" else data.decode("utf-8", "replace").replace("\0", "\ufffd")
        )
    return collected


def _rooted(globs: tuple[str, ...]) -> list[str]:
    """``--include``/``--exclude`` globs with a shell's ``./x`` read as ``/x`` (anchored at the
    root), which is what a user typing ``--exclude ./tests`` means; git's syntax has no ``./``."""
    return ["/" + g[2:].lstrip("/") if g.startswith("./") else g for g in globs]


def _read(
    repo: GitRepository, commit: str | None, files: list[FileEntry]
) -> Iterator[tuple[FileEntry, bytes | None]]:
    """Yield each file with its bytes (``None``: unreadable), streaming blobs one at a time."""
    if commit is None:
        for f in files:
            try:
                yield f, repo.read_worktree_file(f)
            except OSError:
                yield f, None
        return
    yield from repo.read_tree_files(files, commit)


def _read_config_files(
    repo: GitRepository, commit: str | None, by_path: dict[str, FileEntry]
) -> dict[str, str]:
    wanted = [
        f
        for p, f in by_path.items()
        if (p == ".repoagentignore" or p.endswith(".gitattributes")) and f.mode != SYMLINK_MODE
    ]
    return {
        f.path: data.decode("utf-8", "replace")
        for f, data in _read(repo, commit, wanted)
        if data is not None
    }
