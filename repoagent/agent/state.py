"""The graph state: plain JSON-ready values, so checkpoints and trajectories stay readable.

Lists that parallel investigate tasks append to use ``operator.add``; the first budget or
provider error that stops the run wins (``keep_first``).
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict


def keep_first(current: str | None, new: str | None) -> str | None:
    """Reducer: keep the first non-empty value written (the first reason the run stopped)."""
    return current or new


class ReviewState(TypedDict, total=False):
    """State of one review run (one LangGraph thread, ``thread_id`` = run id)."""

    run_id: str
    request: dict[str, Any]
    """``ReviewOptions.request()``: path, rev, base, worktree, focus, query, lang, run_tests."""
    budgets: dict[str, Any]
    pack_budget: int | None
    """Token budget of the pack; shrunk and retried when the scout's context overflows."""
    pack: dict[str, Any]
    """Where the pack text is, its revision, tokens, coverage and ranked paths (``prepare``)."""
    overflowed: bool
    """Set by ``scout`` when the pack did not fit; routes back to ``prepare``."""
    candidates: list[dict[str, Any]]
    findings: Annotated[list[dict[str, Any]], operator.add]
    """Raw ``report_finding`` arguments (plus ``reported_by``), before verification."""
    notes: Annotated[list[str], operator.add]
    dropped_calls: Annotated[int, operator.add]
    """Tool calls the models got wrong twice (dropped and counted)."""
    stopped_by: Annotated[str | None, keep_first]
    provider_error: Annotated[str | None, keep_first]
    verified: dict[str, Any]
    """``{"findings": [...], "unlocated": [...]}`` as JSON, from ``verify``."""
    report: dict[str, Any]


class InvestigateTask(TypedDict):
    """What one ``investigate`` task receives through ``Send``."""

    run_id: str
    request: dict[str, Any]
    candidate: dict[str, Any]
    index: int
    map_files: list[str]
    """Paths listed in the repository map (all files, or the highest-ranked 400)."""
    file_count: int
