"""The ``--base`` diff of a pack: what it may show, redacted, and cut to fit a budget."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from repoagent.pack.redaction import redact_diff

if TYPE_CHECKING:
    from repoagent.pack.collect import Collected
    from repoagent.pack.counting import CachedCounter
    from repoagent.pack.options import PackOptions
    from repoagent.repo import GitRepository

DIFF_SHARE = 0.5
"""Largest share of the budget the diff may take; past it, whole files' sections are left out
of it."""
SMALLER_DIFF_SHARES = (0.25, 0.1, 0.0)
"""Shares the diff is cut to, in turn, when the rest of the skeleton leaves it no room."""
DIFF_NOTE_TOKENS = 24
MAX_NEW_FILE_DIFFS = 200
"""New untracked files a ``--worktree`` diff adds, at most (a work tree full of untracked
files would fill the diff)."""
_DIFF_FILE = re.compile(r"^(?=diff --git )", re.M)

DiffSection = tuple[str, str]
"""One changed file's part of the diff: as git wrote it, and as the pack shows it."""


def diff_sections(
    repo: GitRepository, commit: str, base: str, options: PackOptions, collected: Collected
) -> tuple[list[str], list[DiffSection]]:
    """The paths changed since the merge base with ``base``, and the diff's sections.

    The diff shows what the pack may show: not secret files, lock files, binaries, files
    excluded by a glob or outside the packed directory (deleted ones judged by their path);
    with ``--worktree``, the untracked files the pack shows are diffed as the pack shows them:
    from the base (new files, or changed ones when only the index lost them) to their
    work-tree content."""
    since = repo.merge_base(base, commit)
    target = None if options.worktree else commit
    changed = repo.changed_paths(since, target)
    showable = {e.path for e in collected.entries if e.level == "full"}
    listed = {e.path for e in collected.entries}
    untracked = [p for p in repo.untracked_paths() if p in showable] if options.worktree else []
    # An untracked file git lists as changed is in the base: `git rm --cached` took it out of
    # the index, and git's diff of the work tree (through the index) calls it deleted.
    in_base = set(untracked).intersection(changed)
    wanted = [
        p
        for p in changed
        if p not in in_base and (p in showable or (p not in listed and not collected.path_rule(p)))
    ]
    text = repo.diff(since, target, wanted)
    if options.worktree:
        new = [p for p in untracked if p not in in_base][:MAX_NEW_FILE_DIFFS]
        changed = sorted({*changed, *new})
        text += repo.untracked_diff(since, sorted({*in_base, *new}))
    return changed, [
        (part, redact_diff(part) if options.redact else part)
        for part in _DIFF_FILE.split(text)
        if part
    ]


def cut_diff(
    sections: list[DiffSection], budget: int | None, share: float, counter: CachedCounter
) -> tuple[str, int]:
    """The diff as shown within ``share`` of ``budget`` (whole without one), and the secrets
    redacted in what is kept."""
    kept, note = sections, ""
    if budget is not None:
        kept, note = _fit_diff(sections, int(budget * share), counter)
    redactions = sum(count_markers(shown) - count_markers(raw) for raw, shown in kept)
    return "".join(shown for _, shown in kept) + note, redactions


def count_markers(text: str) -> int:
    """How many redaction markers ``text`` holds."""
    return text.count("[REDACTED:")


def _fit_diff(
    sections: list[DiffSection], limit: int, counter: CachedCounter
) -> tuple[list[DiffSection], str]:
    """The sections that fit ``limit`` tokens, in order, and a line saying how many are not
    shown (empty when all fit)."""
    counts = counter.count([shown for _, shown in sections])
    if sum(counts) <= limit:
        return sections, ""
    kept: list[DiffSection] = []
    room = limit - DIFF_NOTE_TOKENS
    for section, tokens in zip(sections, counts, strict=True):
        if tokens <= room:
            kept.append(section)
            room -= tokens
    left = len(sections) - len(kept)
    return kept, (
        f"[diff cut to fit the budget: {left} more changed file{'s' * (left != 1)} not shown]\n"
    )
