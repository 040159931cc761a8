"""Findings: the one model every renderer views, plus anchoring and fingerprints."""

from repoagent.findings.model import (
    SEVERITIES,
    CoverageFile,
    Finding,
    Fix,
    Report,
    RoleUsage,
    UnlocatedFinding,
    fingerprint,
    severity_rank,
)

__all__ = [
    "SEVERITIES",
    "CoverageFile",
    "Finding",
    "Fix",
    "Report",
    "RoleUsage",
    "UnlocatedFinding",
    "fingerprint",
    "severity_rank",
]
