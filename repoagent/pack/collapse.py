"""Shrink a skeleton that does not fit: collapse whole directories into one line each.

A large repository's tree and manifest alone can exceed a model's window. Directories whose
files would all be ``listed`` or left out anyway are then folded into a line such as
``unit/ (1,234 files, 5.6 MB, not shown)``, least relevant first (a directory is as relevant as
its best file; at equal relevance the deeper, then the larger goes first), until the skeleton takes at most the
target share of the budget. Directories holding a protected file (the top-ranked one, ``--focus``
and ``--base`` files) are never folded. Their files become left out with reason ``budget``: the
model sees neither their text nor their names. Files left out for a reason of their own (binary,
secret-file, ...) stay in the manifest with it, unless the skeleton fits no other way.
"""

from __future__ import annotations

import posixpath

from repoagent.pack.document import Assembler, Document
from repoagent.pack.options import ManifestEntry


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _line_chars(entry: ManifestEntry, json_like: bool) -> int:
    """About how many characters folding ``entry``'s directory saves on it in the tree and
    manifest (none for a file left out for its own reason: it stays listed with the reason)."""
    if entry.level is None:
        return 0
    depth = entry.path.count("/")
    tree = len(posixpath.basename(entry.path)) + 2 * depth + 18
    return tree + (len(entry.path) + 70 if json_like else 0)


def collapse_directories(
    assembler: Assembler,
    skeleton: Document,
    target: int,
    protected: set[str],
    limit: int | None = None,
) -> Document:
    """Fold directories into ``assembler.folded`` until the skeleton is ≤ ``target`` tokens
    (or nothing more may fold); return the last rendered skeleton. Only called while no file is
    shown, so every file of a folded directory is ``listed`` or left out. Files left out for a
    reason of their own stay listed unless the skeleton exceeds ``limit`` (default: target)."""
    limit = target if limit is None else limit
    json_like = assembler.fmt.manifest_after_files
    blocked = {d for path in protected for d in _ancestors(path)}
    stats: dict[str, list[float]] = {}  # dir -> [best score, files, bytes, chars]
    for entry in assembler.entries:
        chars = _line_chars(entry, json_like)
        for d in _ancestors(entry.path):
            if d in blocked:
                continue
            row = stats.get(d)
            if row is None:  # a directory's own line, counted once in it and its ancestors
                row = stats[d] = [float("-inf"), 0, 0, 0]
                line = len(posixpath.basename(d)) + 2 * d.count("/") + 2
                for up in [*_ancestors(d), d]:
                    if up in stats:
                        stats[up][3] += line
            row[0] = max(row[0], entry.score if entry.level is not None else float("-inf"))
            row[1] += 1
            row[2] += entry.size
            row[3] += chars
    order = sorted(stats, key=lambda d: (stats[d][0], -d.count("/"), -stats[d][1], d))

    def gain(d: str) -> float:
        """Characters saved by folding ``d`` (its contents out, its folded line in)."""
        return stats[d][3] - (len(posixpath.basename(d)) + 2 * d.count("/") + 30)

    folded = assembler.folded
    position = 0
    chars_per_token = len(skeleton.text) / max(1, skeleton.tokens)
    while skeleton.tokens > target and position < len(order):
        # Estimates run a little low, so this folds too little rather than too much; the exact
        # re-render below decides whether another round is needed.
        need = (skeleton.tokens - target) * chars_per_token
        saved = 0.0
        while saved < need and position < len(order):
            d = order[position]
            position += 1
            if assembler.is_folded(d + "/x"):
                continue  # an ancestor is folded already
            inner = [f for f in folded if f.startswith(d + "/")]
            for f in inner:
                saved -= gain(f)
                del folded[f]
            folded[d] = (int(stats[d][1]), int(stats[d][2]))
            saved += gain(d)
        for entry in assembler.entries:
            if entry.level == "listed" and assembler.is_folded(entry.path):
                entry.level, entry.reason, entry.tokens = None, "budget", None
        skeleton = assembler.render()
        if skeleton.tokens > limit and position >= len(order) and not assembler.fold_left_out:
            # Every directory that may fold is folded: the left-out files' own lines go too.
            assembler.fold_left_out = True
            skeleton = assembler.render()
    return skeleton
