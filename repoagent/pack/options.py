"""What a pack is asked for (``PackOptions``) and what it produced (``ManifestEntry``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from repoagent.errors import PackError

Format = Literal["xml", "markdown", "json", "plain"]
Level = Literal["full", "outline", "listed"]
FORMATS: tuple[str, ...] = ("xml", "markdown", "json", "plain")

#: Why a file was left out (level ``None``) or not shown in full; see ``repoagent pack --help``.
REASONS = (
    "binary",
    "lockfile",
    "generated",
    "vendored",
    "minified",
    "too-large",
    "excluded-by-glob",
    "ignored-by-repoagentignore",
    "secret-file",
    "submodule",
    "symlink",
    "symlink-outside",
    "unreadable",
    "not-utf8",
    "budget",
)


@dataclass(frozen=True)
class PackOptions:
    """Everything ``pack_repository`` needs; defaults match ``repoagent pack PATH``."""

    path: str | Path = "."
    rev: str = "HEAD"
    worktree: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    budget: int | None = None
    """Maximum tokens of the rendered document; ``None`` is unlimited."""
    focus: tuple[str, ...] = ()
    base: str | None = None
    query: str | None = None
    format: str = "xml"
    line_numbers: bool = False
    tokenizer: str = "llama4"
    redact: bool = True
    ranking: str = "graph"
    """``graph``: code-intelligence ranking when not everything fits; ``simple``: role, recency
    and path words only (no parsing, much faster on large repositories)."""
    within: str | None = None
    """Pack only the files under this directory of the repository (``src/app``); paths in the
    document stay relative to the repository root."""

    def __post_init__(self) -> None:
        if self.include or self.exclude:
            from repoagent.pack.select import check_globs

            check_globs(self.include, "--include")
            check_globs(self.exclude, "--exclude")


@dataclass
class ManifestEntry:
    """One file of the repository and what the pack did with it."""

    path: str
    level: Level | None
    """``full``, ``outline``, ``listed`` (tree only), or ``None`` when left out (also, with reason
    ``budget``, for the files of a directory collapsed to one line because the file list alone
    did not fit the budget)."""
    tokens: int | None = None
    """Tokens of the file's content as rendered (``None`` when not rendered)."""
    score: float = 0.0
    reason: str | None = None
    size: int = 0
    sha: str | None = None
    redactions: int = 0
    target: str | None = field(default=None, repr=False)
    """For symlinks inside the repository: the path they point at."""
    fence: int = field(default=3, repr=False)
    """Backtick fence length that encloses the content in Markdown."""


def parse_budget(value: str | int | None) -> int | None:
    """Parse ``128k``, ``1m``, ``200000``, ``none`` into a token count (``None``: unlimited)."""
    if value is None or isinstance(value, int):
        if isinstance(value, int) and value <= 0:
            raise PackError(_NOT_POSITIVE.format(value=value))
        return value
    text = value.strip().lower().replace("_", "").replace(",", "")
    if text in ("none", "unlimited"):
        return None
    match = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)([km]?)", text)
    if not match:
        raise PackError(
            f"cannot read budget {value!r}: use a number like 200000, 128k or 1m, or none"
        )
    number = float(match.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2)]
    if number < 1:
        raise PackError(_NOT_POSITIVE.format(value=value))
    return int(number)


_NOT_POSITIVE = "budget must be a positive number of tokens (none means no limit), got {value}"
