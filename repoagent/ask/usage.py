"""Tokens and cost of a conversation: per turn (ledger differences) and per session (saved)."""

from __future__ import annotations

from typing import Any

from repoagent.findings.model import RoleUsage

#: The additive counters of a RoleUsage (everything but role and model).
_COUNTERS = tuple(name for name in RoleUsage.model_fields if name not in ("role", "model"))


def _combine(a: RoleUsage, b: RoleUsage, sign: int) -> RoleUsage:
    values: dict[str, Any] = {n: getattr(a, n) + sign * getattr(b, n) for n in _COUNTERS}
    values["cost"] = round(values["cost"], 6)
    return RoleUsage(role=a.role, model=a.model or b.model, **values)


def usage_delta(now: RoleUsage, before: RoleUsage | None) -> RoleUsage:
    """What a role spent between two ledger readings."""
    return now if before is None else _combine(now, before, -1)


def add_usage(saved: list[dict[str, Any]], turn: list[RoleUsage]) -> list[dict[str, Any]]:
    """Session totals (as saved in the checkpoint) plus one turn, scout first."""
    totals = {u["role"]: RoleUsage.model_validate(u) for u in saved}
    for u in turn:
        t = totals.get(u.role) or RoleUsage(role=u.role, model=u.model)
        totals[u.role] = _combine(u, t, +1)
    return [totals[r].model_dump() for r in sorted(totals, key=lambda r: (r != "scout", r))]
