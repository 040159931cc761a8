"""The audit report: deterministic sections, the review's findings, and a traceable risk rating.

An :class:`AuditReport` is what one ``repoagent audit`` run produces; every output format
(HTML, Markdown, JSON, SARIF) is rendered from the same object, and its JSON round-trips, so a
saved run can be rendered again without re-running anything.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from repoagent.audit.api_changes import ApiChange
from repoagent.audit.dependencies import DependencyChange
from repoagent.audit.history import ChangeSummary
from repoagent.audit.markers import Marker
from repoagent.audit.test_gaps import TestGap
from repoagent.findings.model import Report

RiskLevel = Literal["low", "medium", "high", "critical"]
RISK_LEVELS: tuple[RiskLevel, ...] = ("low", "medium", "high", "critical")

#: Section anchors shared by every renderer, so a risk reason can link to its evidence.
SECTIONS: dict[str, str] = {
    "summary": "Executive summary",
    "changes": "What changed",
    "findings": "Review findings",
    "api": "Public API changes",
    "dependencies": "Dependency changes",
    "markers": "New TODO / FIXME / XXX markers",
    "test-gaps": "Source changed without test changes",
    "coverage": "Coverage",
    "cost": "Cost",
}


class RiskReason(BaseModel):
    """One reason behind the risk rating, pointing at the section that holds the evidence."""

    level: RiskLevel
    section: str
    """A key of :data:`SECTIONS` (also the HTML anchor)."""
    text: str


class AuditReport(BaseModel):
    """Everything one audit run found, ready for any renderer."""

    repository: str
    revision: str
    rev_name: str
    since: str | None = None
    since_name: str | None = None
    range_note: str = ""
    changes: ChangeSummary = Field(default_factory=ChangeSummary)
    api: list[ApiChange] = Field(default_factory=list)
    api_note: str = ""
    """Why the API section may be incomplete (e.g. files the code index cannot parse)."""
    dependencies: list[DependencyChange] = Field(default_factory=list)
    markers: list[Marker] = Field(default_factory=list)
    test_gaps: list[TestGap] = Field(default_factory=list)
    review: Report | None = None
    """The review of the changes; None when no review ran (``--no-review`` or model down)."""
    review_note: str = ""
    """Why the review is missing or partial, for the reader."""
    model_failed: bool = False
    """The model endpoint was unusable during the review (``repoagent audit`` exits 3)."""
    risk: RiskLevel = "low"
    risk_reasons: list[RiskReason] = Field(default_factory=list)

    @property
    def findings_count(self) -> int:
        """Number of located review findings."""
        return len(self.review.findings) if self.review else 0
