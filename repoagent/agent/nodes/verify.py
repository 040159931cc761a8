"""verify: anchor every finding's quote to real lines, check proposed fixes, merge duplicates.

All the proving is :func:`repoagent.findings.verify.verify_findings`; this node turns the raw
``report_finding`` arguments into :class:`~repoagent.findings.model.Finding` objects and keeps
the result as JSON in the state. It calls no model, so re-running it on resume is harmless.
"""

from __future__ import annotations

from typing import Any

from repoagent.agent.services import services_for
from repoagent.agent.state import ReviewState
from repoagent.findings.model import Finding, Fix


def raw_to_finding(raw: dict[str, Any]) -> Finding:
    """Build an unverified Finding from collected ``report_finding`` arguments."""
    replacement = raw.get("replacement")
    return Finding(
        path=raw["path"],
        quote=raw["quote"],
        severity=raw["severity"],
        category=raw["category"],
        title=raw["title"],
        explanation=raw.get("explanation", ""),
        line_hint=raw.get("line_hint"),
        fix=Fix(replacement=replacement) if replacement is not None else None,
        reported_by=list(raw.get("reported_by", [])),
    )


def verify(state: ReviewState) -> dict[str, Any]:
    """Locate quotes, check fixes (and run tests when asked); return located and unlocated."""
    from repoagent.findings.verify import verify_findings

    services = services_for(state)
    request = state["request"]
    findings = [raw_to_finding(raw) for raw in state.get("findings", [])]
    if findings:
        services.say(f"verify: locating {len(findings)} finding(s) and checking fixes")
    result = verify_findings(
        findings,
        request["path"],
        None if request["worktree"] else request["rev"],
        run_tests=bool(request["run_tests"]),
        test_command=getattr(services.settings, "test_command", None),
    )
    return {
        "verified": {
            "findings": [f.model_dump() for f in result.findings],
            "unlocated": [u.model_dump() for u in result.unlocated],
        }
    }
