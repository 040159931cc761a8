"""Usage accounting: tokens, cached tokens, cost, retries and tool-call repairs, per call and role.

One :class:`UsageLedger` per run is shared by the clients of both roles (thread-safe, since
candidates are investigated concurrently). ``ledger.role_usage()`` gives the
:class:`~repoagent.findings.RoleUsage` rows of the report.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from repoagent.findings.model import RoleUsage


@dataclass(frozen=True)
class CallUsage:
    """What one chat call cost."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    """Prompt tokens served from the provider's prefix cache (``prompt_tokens_details``)."""
    cost: float = 0.0
    retries: int = 0

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    @classmethod
    def from_openai(cls, usage: Any, *, cost_of: Any = None, retries: int = 0) -> CallUsage:
        """Read an OpenAI ``usage`` object or dict (missing fields count as 0)."""
        data = _as_dict(usage)
        details = _as_dict(data.get("prompt_tokens_details"))
        prompt = _count(data.get("prompt_tokens"))
        completion = _count(data.get("completion_tokens"))
        cached = _count(details.get("cached_tokens"))
        cost = cost_of(prompt, completion, cached) if cost_of else 0.0
        return cls(prompt, completion, cached, cost, retries)


def _as_dict(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    if hasattr(value, "model_dump"):
        return dict(value.model_dump())
    return dict(vars(value)) if hasattr(value, "__dict__") else {}  # "n/a", 5: no usage


def _count(value: Any) -> int:
    """A token count as a server sent it (int, float, numeric string); anything else is 0."""
    try:
        return max(int(float(value or 0)), 0)
    except (TypeError, ValueError, OverflowError):
        return 0


@dataclass
class RoleTotals:
    """Running totals for one role."""

    role: str
    model: str = ""
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cost: float = 0.0
    retries: int = 0
    repaired_calls: int = 0
    """Tool calls recovered from content or whose arguments were normalised/coerced."""
    rejected_calls: int = 0
    """Tool calls refused (unknown tool, invalid arguments) and sent back to the model."""
    overflows: int = 0

    def as_role_usage(self) -> RoleUsage:
        """The report's view of these totals."""
        return RoleUsage(
            role=self.role,
            model=self.model,
            calls=self.calls,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            cached_tokens=self.cached_tokens,
            cost=round(self.cost, 6),
            retries=self.retries,
            repaired_calls=self.repaired_calls,
            rejected_calls=self.rejected_calls,
        )


@dataclass
class UsageLedger:
    """Usage of a whole run, per role; safe to share between threads."""

    roles: dict[str, RoleTotals] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(
        self, role: str, model: str, usage: CallUsage, *, repaired: int = 0, rejected: int = 0
    ) -> None:
        """Add one completed call."""
        with self._lock:
            totals = self.roles.setdefault(role, RoleTotals(role))
            totals.model = model or totals.model
            totals.calls += 1
            totals.prompt_tokens += usage.prompt_tokens
            totals.completion_tokens += usage.completion_tokens
            totals.cached_tokens += usage.cached_tokens
            totals.cost += usage.cost
            totals.retries += usage.retries
            totals.repaired_calls += repaired
            totals.rejected_calls += rejected

    def record_failure(self, role: str, model: str, *, retries: int, overflow: bool) -> None:
        """Count the retries (and overflow) of a call that did not complete."""
        with self._lock:
            totals = self.roles.setdefault(role, RoleTotals(role))
            totals.model = model or totals.model
            totals.retries += retries
            totals.overflows += int(overflow)

    def totals(self, role: str) -> RoleTotals:
        """A copy of the totals of ``role`` (zeros if it made no call)."""
        with self._lock:
            current = self.roles.get(role, RoleTotals(role))
            return RoleTotals(**{k: getattr(current, k) for k in RoleTotals.__dataclass_fields__})

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens over every role."""
        with self._lock:
            return sum(t.prompt_tokens + t.completion_tokens for t in self.roles.values())

    @property
    def total_cost(self) -> float:
        """Cost over every role."""
        with self._lock:
            return sum(t.cost for t in self.roles.values())

    def role_usage(self) -> list[RoleUsage]:
        """One :class:`RoleUsage` per role that made calls, scout first."""
        with self._lock:
            order = sorted(self.roles, key=lambda r: (r != "scout", r != "maverick", r))
            return [self.roles[r].as_role_usage() for r in order]
