"""``repoagent audit``: a pre-release report of what changed since the last tag and what is risky.

Public surface::

    run_audit(AuditOptions(path, rev="HEAD", since=None, ...)) -> AuditReport
    render_audit(audit, "html" | "markdown" | "json" | "sarif") -> str
    load_audit(path) -> AuditReport            # re-render a saved JSON audit

The deterministic sections (changes, public API, dependencies, markers, test gaps) never need
a model; the review of the changes is the agent's, and the risk rating cites its reasons.
"""

from __future__ import annotations

from repoagent.audit.api_changes import ApiChange
from repoagent.audit.dependencies import DependencyChange
from repoagent.audit.history import AuditRange, ChangeSummary, resolve_range
from repoagent.audit.markers import Marker
from repoagent.audit.model import AuditReport, RiskReason
from repoagent.audit.render import AUDIT_FORMATS, audit_schema, load_audit, render_audit
from repoagent.audit.run import AuditOptions, deterministic_sections, run_audit
from repoagent.audit.test_gaps import TestGap

__all__ = [
    "AUDIT_FORMATS",
    "ApiChange",
    "AuditOptions",
    "AuditRange",
    "AuditReport",
    "ChangeSummary",
    "DependencyChange",
    "Marker",
    "RiskReason",
    "TestGap",
    "audit_schema",
    "deterministic_sections",
    "load_audit",
    "render_audit",
    "resolve_range",
    "run_audit",
]
