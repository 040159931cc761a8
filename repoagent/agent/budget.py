"""Run budgets: the ONE place where they are checked.

Every model call goes through :class:`~repoagent.agent.recorder.RecordedChat`, which asks
:meth:`BudgetMeter.exhausted` before calling. Spending is read from the run's
:class:`~repoagent.llm.UsageLedger`, which the chat clients of both roles share and update; it is
live and thread-safe, so parallel investigate tasks see each other's spending (each task only
sees the graph state as it was when the task was sent).
"""

from __future__ import annotations

import threading
import time

from repoagent.agent.options import Budgets
from repoagent.findings.model import RoleUsage
from repoagent.llm import CallUsage, UsageLedger


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
    """A run's budgets measured against its usage ledger (and a stop switch for failures)."""

    def __init__(self, budgets: Budgets, ledger: UsageLedger | None = None) -> None:
        self.budgets = budgets
        self.ledger = ledger if ledger is not None else UsageLedger()
        self.started = time.monotonic()
        self._halted: str | None = None
        self._lock = threading.Lock()

    def seed(self, role: str, model: str, usage: CallUsage) -> None:
        """Count a call made before a crash (its reply is replayed, not paid for again)."""
        self.ledger.record(role, model, usage)

    @property
    def turns(self) -> int:
        """Model calls so far over every role."""
        return sum(u.calls for u in self.ledger.role_usage())

    def halt(self, reason: str) -> None:
        """Refuse further model calls (after a provider failure, parallel tasks stop too)."""
        with self._lock:
            self._halted = self._halted or reason

    def exhausted(self) -> str | None:
        """Return the budget that has run out, or ``None`` if another model call may be made."""
        with self._lock:
            if self._halted:
                return self._halted
        return exceeded(
            self.budgets,
            self.turns,
            self.ledger.total_tokens,
            self.ledger.total_cost,
            time.monotonic() - self.started,
        )

    def usage(self) -> list[RoleUsage]:
        """Return the usage per role, scout first."""
        return self.ledger.role_usage()
