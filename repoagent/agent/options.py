"""What a review run is asked to do: the repository, the revision, the focus and the budgets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: A progress callback receives one short sentence per step ("scout: 3 candidates").
ProgressCallback = Callable[[str], None]


@dataclass(frozen=True)
class Budgets:
    """Limits for one run; ``None`` means unlimited. Checked in one place (``budget.py``)."""

    max_turns: int | None = None
    """Model calls over all roles."""
    max_tokens: int | None = None
    """Prompt + completion tokens over all roles."""
    max_cost: float | None = None
    """Cost over all roles, in the configured price units."""
    timeout: float | None = None
    """Wall-clock seconds for this invocation (a resumed run gets a fresh allowance)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the budgets as a JSON-ready dict (kept in the graph state)."""
        return asdict(self)


@dataclass
class ReviewOptions:
    """Everything :func:`repoagent.agent.run_review` needs; the CLI fills it from its flags."""

    path: Path | str = "."
    rev: str = "HEAD"
    base: str | None = None
    """Review the changes since the merge base with this revision (the rest is context)."""
    worktree: bool = False
    """Review the working tree as it is on disk instead of a commit."""
    focus: tuple[str, ...] = ()
    query: str | None = None
    """Extra instructions for the review ("look at the auth code")."""
    settings: Any = None
    """A :class:`repoagent.config.Settings`; ``None`` loads it for ``path``."""
    run_tests: bool | None = None
    """Offer ``run_tests`` and run tests on fixes; ``None`` follows the configuration."""
    budgets: Budgets = field(default_factory=Budgets)
    concurrency: int | None = None
    """Candidates investigated at the same time; ``None`` follows the configuration."""
    lang: str | None = None
    """Write titles and explanations in this language."""
    resume: str | None = None
    """Run id of an interrupted run to continue."""
    run_id: str | None = None
    """Id for a new run (default: a fresh one), so a caller can print it before starting."""
    progress: ProgressCallback | None = None
    max_candidates: int = 12
    """At most this many candidates are investigated (highest-ranked first)."""

    def request(self) -> dict[str, Any]:
        """Return the JSON-ready part of the options that a resumed run must reuse."""
        return {
            "path": str(Path(self.path).resolve()),
            "rev": self.rev,
            "base": self.base,
            "worktree": self.worktree,
            "focus": list(self.focus),
            "query": self.query,
            "run_tests": bool(self.run_tests),
            "lang": self.lang,
            "max_candidates": self.max_candidates,
        }
