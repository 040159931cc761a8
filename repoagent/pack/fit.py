"""Choose each file's detail level so the rendered document fits the token budget.

Start with every candidate ``listed`` (the skeleton: header, tree, manifest, diff, task). Walk the
candidates by priority, counting exactly only the ones that might still fit (a cheap
characters-per-token estimate skips hopeless ones), and give each ``full`` if it fits, else
``outline`` if that fits, else leave it ``listed`` with reason ``budget``. Then render, count the
whole document, and demote the lowest-priority files until the exact count is within budget.
"""

from __future__ import annotations

from collections.abc import Callable

from repoagent.errors import PackError
from repoagent.pack.document import Assembler, Document
from repoagent.pack.options import ManifestEntry

#: Tokens kept back for the header's digits and manifest changes while fitting.
SLACK = 24
#: A rough lower bound of characters per token, to skip files that cannot fit without counting.
MAX_CHARS_PER_TOKEN = 8.0
BATCH_CHARS = 4_000_000

TYPICAL_CHARS_PER_TOKEN = 3.5

Verify = Callable[[Document], int]


def _precount(
    assembler: Assembler,
    batch: list[ManifestEntry],
    remaining: int,
    text_length: Callable[[ManifestEntry], int],
) -> None:
    """Count, in one threaded batch, the full units of the files likely to be kept."""
    likely: list[ManifestEntry] = []
    estimate = 0.0
    for entry in batch:
        estimate += text_length(entry) / TYPICAL_CHARS_PER_TOKEN
        if estimate > remaining * 1.1:
            break
        likely.append(entry)
    levels = [e.level for e in likely]
    for entry in likely:
        entry.level = "full"
    assembler.counter.count(assembler.units(likely))
    for entry, level in zip(likely, levels, strict=True):
        entry.level = level


def fit_budget(
    assembler: Assembler,
    ranked: list[ManifestEntry],
    budget: int,
    has_outline: Callable[[ManifestEntry], bool],
    text_length: Callable[[ManifestEntry], int],
    verify: Verify,
) -> Document:
    """Set levels on ``ranked`` (best first) so the document fits ``budget``; return it."""
    for entry in ranked:
        entry.level, entry.reason = "listed", "budget"
    skeleton = assembler.render()
    if skeleton.tokens > budget:
        raise PackError(
            f"budget {budget} is too small: the header, tree and manifest alone take "
            f"{skeleton.tokens} tokens (raise --budget, or narrow with --exclude)"
        )
    remaining = budget - skeleton.tokens - SLACK
    fmt = assembler.fmt
    position = 0
    while position < len(ranked) and remaining > 0:
        batch: list[ManifestEntry] = []
        size = 0
        while position < len(ranked) and size < BATCH_CHARS:
            entry = ranked[position]
            position += 1
            if text_length(entry) / MAX_CHARS_PER_TOKEN <= remaining or has_outline(entry):
                batch.append(entry)
                size += text_length(entry)
        _precount(assembler, batch, remaining, text_length)
        for entry in batch:
            if remaining <= 0:
                break
            for level in ("full", "outline"):
                if level == "outline" and not has_outline(entry):
                    break
                if level == "full" and text_length(entry) / MAX_CHARS_PER_TOKEN > remaining:
                    continue
                entry.level = level
                unit = assembler.units([entry])[0]
                tokens = assembler.counter.count([unit])[0]
                entry.tokens = tokens
                wrap = assembler.counter.count(
                    [fmt.file_prefix(entry, False), fmt.file_suffix(entry)]
                )
                cost = tokens + sum(wrap)
                if cost <= remaining:
                    entry.reason = None if level == "full" else "budget"
                    remaining -= cost
                    break
                entry.level = "listed"
                entry.tokens = None
    document = assembler.render()
    kept = [e for e in ranked if e.level in ("full", "outline")]
    exact = verify(document)
    while exact > budget and kept:
        victim = kept.pop()
        victim.level, victim.reason, victim.tokens = "listed", "budget", None
        document = assembler.render()
        exact = verify(document)
    if exact > budget:  # pragma: no cover - the skeleton fitted, so this cannot happen
        raise PackError(f"could not fit the document into {budget} tokens")
    return document
