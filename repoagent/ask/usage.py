"""Tokens and cost of a conversation: per turn (ledger differences) and per session (saved)."""

from __future__ import annotations

from typing import Any

from repoagent.findings.model import RoleUsage


def usage_delta(now: RoleUsage, before: RoleUsage | None) -> RoleUsage:
    """What a role spent between two ledger readings."""
    if before is None:
        return now
    return RoleUsage(
        role=now.role,
        model=now.model,
        calls=now.calls - before.calls,
        prompt_tokens=now.prompt_tokens - before.prompt_tokens,
        completion_tokens=now.completion_tokens - before.completion_tokens,
        cached_tokens=now.cached_tokens - before.cached_tokens,
        cost=round(now.cost - before.cost, 6),
    )


def add_usage(saved: list[dict[str, Any]], turn: list[RoleUsage]) -> list[dict[str, Any]]:
    """Session totals (as saved in the checkpoint) plus one turn, scout first."""
    totals = {u["role"]: RoleUsage.model_validate(u) for u in saved}
    for u in turn:
        t = totals.get(u.role) or RoleUsage(role=u.role, model=u.model)
        totals[u.role] = RoleUsage(
            role=u.role,
            model=u.model or t.model,
            calls=t.calls + u.calls,
            prompt_tokens=t.prompt_tokens + u.prompt_tokens,
            completion_tokens=t.completion_tokens + u.completion_tokens,
            cached_tokens=t.cached_tokens + u.cached_tokens,
            cost=round(t.cost + u.cost, 6),
        )
    return [totals[r].model_dump() for r in sorted(totals, key=lambda r: (r != "scout", r))]
