"""The one Finding model: every renderer (terminal, Markdown, JSON, SARIF, HTML, GitHub) is a
view of these objects.

A finding is anchored by ``path`` + an exact ``quote`` of the code; ``start_line``/``end_line``
are filled by the verifier from the file, never taken from the model.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
FixStatus = Literal["verified", "applies", "rejected", "unchecked"]
DetailLevel = Literal["full", "outline", "listed"]


def severity_rank(severity: str) -> int:
    """Return 0 for ``critical`` up to 4 for ``info`` (unknown severities sort last)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def normalise_code(text: str) -> str:
    """Collapse whitespace runs so formatting changes do not change a fingerprint."""
    return re.sub(r"\s+", " ", text).strip()


def fingerprint(category: str, path: str, quote: str) -> str:
    """Stable identity of a finding: category + path + hash of the normalised quoted code."""
    digest = hashlib.sha256(f"{category}\0{path}\0{normalise_code(quote)}".encode()).hexdigest()
    return digest[:16]


class Fix(BaseModel):
    """A proposed replacement for the quoted lines, and what the verifier proved about it."""

    replacement: str
    """The new text for the quoted lines (plain text, not JSON-escaped code)."""
    status: FixStatus = "unchecked"
    """``verified`` (tests pass after), ``applies`` (applies and parses), ``rejected``."""
    reason: str = ""
    """Why it was rejected, or what the verification ran."""
    diff: str = ""
    """Unified diff of the fix against the reviewed revision."""


class Finding(BaseModel):
    """One problem in the code, anchored to real lines."""

    path: str
    quote: str
    """The exact code the finding is about (1–10 lines), as the model quoted it."""
    severity: Severity = "medium"
    category: str = "correctness"
    title: str
    explanation: str = ""
    """Why this is a problem, with the evidence gathered by the tools."""
    start_line: int = 0
    end_line: int = 0
    start_column: int = 1
    end_column: int = 1
    """1-based, exclusive end column on ``end_line`` (SARIF convention)."""
    line_hint: int | None = None
    """The line the model claimed; used only to choose between several matches."""
    fix: Fix | None = None
    fingerprint: str = ""
    reported_by: list[str] = Field(default_factory=list)
    """Roles or stages that reported it (merged duplicates keep all)."""

    def with_fingerprint(self) -> Finding:
        """Return a copy whose fingerprint is computed from category, path and quote."""
        return self.model_copy(
            update={"fingerprint": fingerprint(self.category, self.path, self.quote)}
        )


class UnlocatedFinding(BaseModel):
    """A finding the verifier could not anchor to the file; shown apart, with the reason."""

    finding: Finding
    reason: str


class CoverageFile(BaseModel):
    """One file of the repository and how much of it the models saw."""

    path: str
    level: DetailLevel | None = None
    """``None`` when the file was left out entirely."""
    tokens: int = 0
    reason: str = ""
    """Why it got this level, or why it was left out (``binary``, ``budget``, …)."""


class RoleUsage(BaseModel):
    """Tokens and cost spent by one model role."""

    role: str
    model: str = ""
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cost: float = 0.0
    retries: int = 0
    """Requests retried after 429/5xx/timeouts."""
    repaired_calls: int = 0
    """Tool calls recovered from text or whose arguments had to be normalised."""
    rejected_calls: int = 0
    """Tool calls refused (unknown tool, invalid arguments) and sent back to the model."""


class Report(BaseModel):
    """Everything one run produced: findings plus the coverage and cost that qualify them."""

    repository: str
    revision: str
    base: str | None = None
    run_id: str = ""
    findings: list[Finding] = Field(default_factory=list)
    unlocated: list[UnlocatedFinding] = Field(default_factory=list)
    coverage: list[CoverageFile] = Field(default_factory=list)
    usage: list[RoleUsage] = Field(default_factory=list)
    turns: int = 0
    stopped_by: str | None = None
    """The budget that stopped the run early (``max-turns``, ``max-cost``, …), if any."""
    notes: list[str] = Field(default_factory=list)
    """Plain sentences for the reader: fallbacks taken, errors survived."""

    @property
    def left_out_for_budget(self) -> list[CoverageFile]:
        """Files the models did not see because the budget had no room for them."""
        return [c for c in self.coverage if c.level is None and c.reason == "budget"]

    @property
    def total_cost(self) -> float:
        """Cost of the run over every role, in the configured currency units."""
        return sum(u.cost for u in self.usage)
