"""An audit whose review had an investigation cut short (turn limit, repeated calls, empty
replies) says so in its risk reasons, instead of counting the review as a full inspection."""

from __future__ import annotations

from repoagent.audit.history import ChangeSummary, CommitInfo
from repoagent.audit.model import AuditReport
from repoagent.audit.risk import assess_risk
from repoagent.findings.model import Report


def audit_with_review_notes(*notes: str) -> AuditReport:
    commit = CommitInfo(sha="a" * 40, author="a", email="a@x", date="2026-01-01", subject="x")
    return AuditReport(
        repository="demo",
        revision="b" * 40,
        rev_name="HEAD",
        changes=ChangeSummary(commits=[commit]),
        review=Report(repository="demo", revision="b" * 40, notes=list(notes)),
    )


def test_an_unfinished_investigation_is_a_risk_reason() -> None:
    audit = audit_with_review_notes("Investigation of a.py ended at its turn limit.")
    _, reasons = assess_risk(audit)
    assert any("did not run to the end" in r.text and r.section == "findings" for r in reasons)


def test_a_finished_review_adds_no_such_reason() -> None:
    _, reasons = assess_risk(audit_with_review_notes("The scout reported 2 candidates."))
    assert not any("did not run to the end" in r.text for r in reasons)
