"""Run budgets and the usage ledger of a run: the ONE place where budgets are checked.

Every model call goes through :class:`~repoagent.agent.recorder.RecordedChat`, which asks
:meth:`BudgetMeter.exhausted` before calling and :meth:`BudgetMeter.charge` after. Investigate
tasks run in parallel, so the meter is shared and thread-safe rather than read from the graph
state (parallel tasks each see the state as it was when they were sent).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from repoagent.agent.options import Budgets
from repoagent.findings.model import RoleUsage


@dataclass
class _Tally:
    model: str = ""
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cost: float = 0.0


def exceeded(budgets: Budgets, turns: int, tokens: int, cost: float, elapsed: float) -> str | None:
    """Return the name of the first budget that has run out (``max-turns``, …), or ``None``."""
    if budgets.max_turns is not None and turns >= budgets.max_turns:
        return "max-turns"
    if budgets.max_tokens is not None and tokens >= budgets.max_tokens:
        return "max-tokens"
    if budgets.max_cost is not None and cost >= budgets.max_cost:
        return "max-cost"
    if budgets.timeout is not None and elapsed >= budgets.timeout:
        return "timeout"
    return None


class BudgetMeter:
    """Thread-safe tally of model calls, tokens and cost per role, measured against budgets."""

    def __init__(self, budgets: Budgets) -> None:
        self.budgets = budgets
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._roles: dict[str, _Tally] = {}
        self._halted: str | None = None

    def charge(
        self,
        role: str,
        model: str,
        prompt_tokens: int,
        completion_tokens: int,
        cached_tokens: int = 0,
        cost: float = 0.0,
    ) -> None:
        """Add one model call to the tally of ``role``."""
        with self._lock:
            tally = self._roles.setdefault(role, _Tally())
            tally.model = model or tally.model
            tally.calls += 1
            tally.prompt_tokens += prompt_tokens
            tally.completion_tokens += completion_tokens
            tally.cached_tokens += cached_tokens
            tally.cost += cost

    @property
    def turns(self) -> int:
        """Model calls so far over every role."""
        with self._lock:
            return sum(t.calls for t in self._roles.values())

    def halt(self, reason: str) -> None:
        """Refuse further model calls (after a provider failure, parallel tasks stop too)."""
        with self._lock:
            self._halted = self._halted or reason

    def exhausted(self) -> str | None:
        """Return the budget that has run out, or ``None`` if another model call may be made."""
        with self._lock:
            if self._halted:
                return self._halted
            turns = sum(t.calls for t in self._roles.values())
            tokens = sum(t.prompt_tokens + t.completion_tokens for t in self._roles.values())
            cost = sum(t.cost for t in self._roles.values())
        return exceeded(self.budgets, turns, tokens, cost, time.monotonic() - self.started)

    def usage(self) -> list[RoleUsage]:
        """Return the usage per role, scout first."""
        with self._lock:
            items = sorted(self._roles.items(), key=lambda kv: (kv[0] != "scout", kv[0]))
            return [
                RoleUsage(
                    role=role,
                    model=t.model,
                    calls=t.calls,
                    prompt_tokens=t.prompt_tokens,
                    completion_tokens=t.completion_tokens,
                    cached_tokens=t.cached_tokens,
                    cost=round(t.cost, 6),
                )
                for role, t in items
            ]
