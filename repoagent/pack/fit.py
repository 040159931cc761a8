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
#: Share of the room past the skeleton kept for outlines while placing full texts.
OUTLINE_SHARE = 0.4
#: Scores at or above this mark --focus / --base files (see repoagent.pack.relevance).
EXPLICIT_SCORE = 500.0
#: Below this many tokens left, nothing more can be placed.
MIN_ROOM = 8
BATCH_FILES = 256

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
        extras = "".join(
            name
            for name, present in ((", diff", assembler.diff), (", query", assembler.query))
            if present
        )
        raise PackError(
            f"budget {budget} is too small: the header, tree, manifest{extras} alone take "
            f"{skeleton.tokens} tokens (raise --budget, or narrow with --exclude)"
        )
    remaining = budget - skeleton.tokens - SLACK
    fmt = assembler.fmt

    def cost(entry: ManifestEntry, level: str) -> int:
        """Exact tokens of ``entry`` rendered at ``level``, wrapper included (sets the level)."""
        entry.level = level  # type: ignore[assignment]
        tokens = assembler.counter.count(assembler.units([entry]))[0]
        entry.tokens = tokens
        wrap = assembler.counter.count([fmt.file_prefix(entry, False), fmt.file_suffix(entry)])
        return tokens + sum(wrap)

    def full_is_hopeless(entry: ManifestEntry, room: float) -> bool:
        return text_length(entry) / MAX_CHARS_PER_TOKEN > room

    # Pass 1 (code intelligence): full text for the best files, but past the explicit focus keep
    # OUTLINE_SHARE of the room for outlines of the files that follow, so the model sees the
    # structure of many relevant files rather than the bodies of a few. Files without an outline
    # (docs, config) still go in whole when they fit.
    reserve = (remaining * OUTLINE_SHARE) if any(has_outline(e) for e in ranked[:50]) else 0.0
    kept_cost: dict[int, int] = {}
    position = 0
    while position < len(ranked) and remaining > MIN_ROOM:
        batch = ranked[position : position + BATCH_FILES]
        position += len(batch)
        _precount(
            assembler,
            [e for e in batch if not full_is_hopeless(e, remaining)],
            remaining,
            text_length,
        )
        for entry in batch:
            if remaining <= MIN_ROOM:
                break
            explicit = entry.score >= EXPLICIT_SCORE
            room_for_full = remaining if explicit else remaining - reserve
            placed = False
            if not full_is_hopeless(entry, room_for_full):
                c = cost(entry, "full")
                if c <= room_for_full:
                    entry.reason, placed = None, True
            if not placed and has_outline(entry):
                c = cost(entry, "outline")
                placed = c <= remaining
                entry.reason = "budget"
            if not placed and room_for_full < remaining and not full_is_hopeless(entry, remaining):
                c = cost(entry, "full")  # no outline: whole if it fits in what is left
                if c <= remaining:
                    entry.reason, placed = None, True
            if placed:
                kept_cost[id(entry)] = c
                remaining -= c
            else:
                entry.level, entry.reason, entry.tokens = "listed", "budget", None
    # Pass 2: spend what is left upgrading outlines to full text, best first.
    for entry in ranked:
        if remaining <= MIN_ROOM:
            break
        if entry.level != "outline" or full_is_hopeless(entry, remaining + kept_cost[id(entry)]):
            continue
        old_tokens, old_cost = entry.tokens, kept_cost[id(entry)]
        c = cost(entry, "full")
        if c - old_cost <= remaining:
            entry.reason = None
            kept_cost[id(entry)] = c
            remaining -= c - old_cost
        else:
            entry.level, entry.tokens = "outline", old_tokens
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
