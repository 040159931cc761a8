"""Choose each file's detail level so the rendered document fits the token budget.

Start with every candidate ``listed`` (the skeleton: header, tree, manifest, diff, task). Walk the
candidates by priority and give each ``full`` if it fits, else ``outline`` if that fits, else leave
it ``listed`` with reason ``budget``. Only files that may still fit are counted exactly: a size
estimate (characters per token, calibrated on the texts counted so far) skips the hopeless ones
without tokenizing them, and an outline is only made for a file whose outline could fit, from
at most OUTLINE_SOURCE_CHARS of source in all (parsing is the cost of an outline). Then
render, count the whole document, and demote the lowest-priority files until the exact count is
within budget.

When the skeleton alone takes more than SKELETON_SHARE of the budget (a repository of thousands
of files), whole directories of the least relevant files are first collapsed into one line each
(see ``repoagent.pack.collapse``); only a skeleton that cannot fit even then is an error.
"""

from __future__ import annotations

from collections.abc import Callable

from repoagent.errors import BudgetTooSmallError, PackError
from repoagent.pack.collapse import collapse_directories
from repoagent.pack.document import Assembler, Document
from repoagent.pack.options import ManifestEntry

#: Tokens kept back for the header's digits and manifest changes while fitting.
SLACK = 24
TYPICAL_CHARS_PER_TOKEN = 3.5
#: A text is counted exactly only if its estimate times this could fit (code varies ~0.7-1.3x);
#: once texts were counted, the worst underestimate seen replaces it (not below MIN_MARGIN).
FULL_MARGIN = 0.7
MIN_MARGIN = 0.5
#: Every file is tried in full first when its size estimate times this fits the room.
ALL_FULL_MARGIN = 0.6
#: Weight, in tokens, of the prior characters-per-token before any text is counted.
PRIOR_TOKENS = 1000
#: An outline is made only if the full estimate times this could fit (few outlines are smaller).
OUTLINE_MARGIN = 0.06
#: Share of the room past the skeleton kept for outlines while placing full texts.
OUTLINE_SHARE = 0.4
#: Outlines are made from at most this many characters of source per pack (focus files aside):
#: each costs a tree-sitter parse (~0.3 s a megabyte), and a 10%-of-sympy budget asked for 7.6
#: MB of them (2 s). Budgets up to ~128k rarely reach it; past it, the rest go whole or listed.
OUTLINE_SOURCE_CHARS = 1_000_000
#: Scores at or above this mark --focus / --base files (see repoagent.pack.relevance).
EXPLICIT_SCORE = 500.0
#: Below this many tokens left, nothing more can be placed.
MIN_ROOM = 8
#: Largest share of the budget the skeleton may take before directories are collapsed.
SKELETON_SHARE = 0.5
BATCH_FILES = 256

Verify = Callable[[Document], int]


class Estimate:
    """Tokens of a text from its length, calibrated on the texts of one kind counted so far.

    ``hopeless`` is the gate before an exact count: the estimate, lowered by the worst
    underestimate seen so far (``margin``), must fit the room.
    """

    def __init__(self, prior_chars_per_token: float = TYPICAL_CHARS_PER_TOKEN) -> None:
        self.chars = PRIOR_TOKENS * prior_chars_per_token
        self.tokens = float(PRIOR_TOKENS)
        self.margin = FULL_MARGIN
        self.learned = False

    def learn(self, chars: int, tokens: int) -> None:
        """Record an exact count (a text of ``chars`` characters had ``tokens`` tokens)."""
        if tokens <= 0:
            return
        guess = self(chars)
        self.chars += chars
        self.tokens += tokens
        if self.tokens > PRIOR_TOKENS * 2:  # enough seen: the margin follows the data
            self.margin = max(MIN_MARGIN, min(self.margin if self.learned else 1.0, guess / tokens))
            self.learned = True

    def __call__(self, chars: int) -> float:
        """Estimated tokens of a text of ``chars`` characters."""
        return chars * self.tokens / self.chars

    def hopeless(self, chars: int, room: float) -> bool:
        """Whether a text of ``chars`` characters cannot fit ``room`` tokens unless it is denser
        (more tokens per character) than any text counted so far."""
        return self(chars) * self.margin > room


def _precount(
    assembler: Assembler,
    batch: list[ManifestEntry],
    room: float,
    estimate: Callable[[ManifestEntry], float],
) -> None:
    """Count, in one threaded batch, the full units of the files likely to be kept."""
    likely: list[ManifestEntry] = []
    total = 0.0
    for entry in batch:
        total += estimate(entry)
        if total > room * 1.1:
            break
        likely.append(entry)
    levels = [e.level for e in likely]
    for entry in likely:
        entry.level = "full"
    assembler.count_units(likely, assembler.units(likely))
    for entry, level in zip(likely, levels, strict=True):
        entry.level = level


def _all_in_full(
    assembler: Assembler,
    ranked: list[ManifestEntry],
    room: int,
    budget: int,
    text_length: Callable[[ManifestEntry], int],
    verify: Verify,
) -> Document | None:
    """The document with every candidate in full, if it fits (the passes below keep room for
    outlines, and would outline files that fit). Tried only when the texts' size says it may
    (``ALL_FULL_MARGIN``), so a budget well below the repository's size counts nothing extra."""
    if Estimate()(sum(map(text_length, ranked))) * ALL_FULL_MARGIN > room:
        return None
    for entry in ranked:
        entry.level, entry.reason = "full", None
    document = assembler.render()
    if verify(document) <= budget:
        return document
    for entry in ranked:
        entry.level, entry.reason, entry.tokens = "listed", "budget", None
    return None


def _smallest_file(assembler: Assembler) -> int:
    """Tokens of the cheapest file there can be: empty, named ``x``, its wrapper and glue."""
    fmt = assembler.fmt
    empty = ManifestEntry("x", "full", tokens=0)
    parts = [fmt.file_prefix(empty, False), *fmt.unit(""), fmt.file_suffix(empty)]
    return sum(assembler.counter.count([p for p in parts if p]))


def fit_budget(
    assembler: Assembler,
    ranked: list[ManifestEntry],
    budget: int,
    outline_length: Callable[[ManifestEntry], int | None],
    text_length: Callable[[ManifestEntry], int],
    verify: Verify,
    may_outline: Callable[[ManifestEntry], bool],
) -> Document:
    """Set levels on ``ranked`` (best first) so the document fits ``budget``; return it.

    ``outline_length`` makes the outline (parses the file; ``None``: there is none);
    ``may_outline`` is the cheap question (is there a grammar?) asked first, so only outlines
    that could fit are made, and only those whose length could fit are counted.
    """
    full_estimate, outline_estimate = Estimate(), Estimate(prior_chars_per_token=2.5)

    def estimate(entry: ManifestEntry) -> float:
        return full_estimate(text_length(entry))

    for entry in ranked:
        entry.level, entry.reason = "listed", "budget"
    skeleton = assembler.render()
    if skeleton.tokens > budget * SKELETON_SHARE and ranked:
        focused = {e.path for e in ranked if e.score >= EXPLICIT_SCORE}
        target, limit = int(budget * SKELETON_SHARE), budget - SLACK
        skeleton = collapse_directories(
            assembler, skeleton, target, {ranked[0].path} | focused, limit
        )
        if skeleton.tokens > limit and ranked[0].path not in focused:
            # The best file's directories (a --query hit deep in a test tree) fold too.
            skeleton = collapse_directories(assembler, skeleton, target, focused, limit)
        ranked = [e for e in ranked if e.level == "listed"]
    if skeleton.tokens > budget:
        extras = "".join(
            name
            for name, present in ((", diff", assembler.diff), (", query", assembler.query))
            if present
        )
        raise BudgetTooSmallError(
            f"budget {budget} is too small: the header, tree, manifest{extras} alone take "
            f"{skeleton.tokens} tokens (raise --budget, or narrow with --exclude)"
        )
    remaining = budget - skeleton.tokens - SLACK
    fmt = assembler.fmt
    if not assembler.folded:
        whole = _all_in_full(assembler, ranked, remaining, budget, text_length, verify)
        if whole is not None:
            return whole

    def cost(entry: ManifestEntry, level: str) -> int:
        """Exact tokens of ``entry`` rendered at ``level``, wrapper included (sets the level)."""
        entry.level = level  # type: ignore[assignment]
        tokens = assembler.count_units([entry], assembler.units([entry]))[0]
        entry.tokens = tokens
        if level == "full":
            full_estimate.learn(text_length(entry), tokens)
        elif (length := outline_length(entry)) is not None:
            outline_estimate.learn(length, tokens)
        wrap = assembler.counter.count([fmt.file_prefix(entry, False), fmt.file_suffix(entry)])
        return tokens + sum(wrap)

    def full_is_hopeless(entry: ManifestEntry, room: float) -> bool:
        return full_estimate.hopeless(text_length(entry), room)

    outlined: set[str] = set()
    outlined_chars = 0

    def outline_fits(entry: ManifestEntry) -> bool:
        """Whether ``entry`` may have an outline small enough (makes it only then)."""
        nonlocal outlined_chars
        if not may_outline(entry) or estimate(entry) * OUTLINE_MARGIN > remaining:
            return False
        if entry.path not in outlined:
            chars = text_length(entry)
            if entry.score < EXPLICIT_SCORE and outlined_chars + chars > OUTLINE_SOURCE_CHARS:
                return False
            outlined.add(entry.path)
            outlined_chars += chars
        length = outline_length(entry)
        return length is not None and not outline_estimate.hopeless(length, remaining)

    # Pass 1 (code intelligence): full text for the best files, but past the explicit focus keep
    # OUTLINE_SHARE of the room for outlines of the files that follow, so the model sees the
    # structure of many relevant files rather than the bodies of a few. Files without an outline
    # (docs, config) still go in whole when they fit.
    reserve = (remaining * OUTLINE_SHARE) if any(may_outline(e) for e in ranked[:50]) else 0.0
    kept_cost: dict[int, int] = {}
    position = 0
    # Below the cost of the smallest file there can be (an empty one with a one-letter name),
    # no file fits: the walk stops there instead of counting thousands of small files that
    # cannot (ansible-core: 2,300 exact costs for 470, +0.13 s).
    room_for_one = max(MIN_ROOM, _smallest_file(assembler) - 2)
    while position < len(ranked) and remaining > room_for_one:
        batch = ranked[position : position + BATCH_FILES]
        position += len(batch)
        room = remaining if any(e.score >= EXPLICIT_SCORE for e in batch) else remaining - reserve
        _precount(assembler, [e for e in batch if not full_is_hopeless(e, room)], room, estimate)
        for entry in batch:
            if remaining <= room_for_one:
                break
            explicit = entry.score >= EXPLICIT_SCORE
            room_for_full = remaining if explicit else remaining - reserve
            placed = False
            if not full_is_hopeless(entry, room_for_full):
                c = cost(entry, "full")
                if c <= room_for_full:
                    entry.reason, placed = None, True
            if not placed and outline_fits(entry):
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
