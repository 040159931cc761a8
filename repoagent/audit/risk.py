"""The risk rating: the highest level among its reasons, each reason tied to a report section.

Rules (stated so a reader can check them):

* a critical / high review finding → critical / high; medium findings → medium;
* a removed public symbol or changed signature → high (a breaking change for callers);
* a dependency downgrade or major-version upgrade → medium; other added dependencies → low
  unless more than five were added (medium);
* more than five source files changed without tests → medium; any → low;
* new FIXME / XXX markers → medium when there are more than three, else low;
* no review ran (model unreachable) → at least medium: the code was not inspected;
* the review stopped early, or an investigation did not run to its end → low.
"""

from __future__ import annotations

from collections import Counter

from repoagent.audit.dependencies import version_of
from repoagent.audit.manifests import is_development_group
from repoagent.audit.model import RISK_LEVELS, AuditReport, RiskLevel, RiskReason
from repoagent.report.summary import unfinished_investigations


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _finding_reasons(audit: AuditReport) -> list[RiskReason]:
    if not audit.changes.commits:
        return []  # nothing changed, nothing to review
    if audit.review is None:
        return [
            RiskReason(
                level="medium",
                section="findings",
                text="No model review of the changes: the changed code was not inspected.",
            )
        ]
    by_severity: Counter[str] = Counter(f.severity for f in audit.review.findings)
    reasons = []
    levels: tuple[RiskLevel, ...] = ("critical", "high", "medium")
    for level in levels:
        if by_severity[level]:
            titles = [f.title.strip() for f in audit.review.findings if f.severity == level]
            shown = "; ".join(titles[:3]) + ("; …" if len(titles) > 3 else "")
            reasons.append(
                RiskReason(
                    level=level,
                    section="findings",
                    text=f"{_plural(by_severity[level], level + ' finding')} in the review: {shown}.",
                )
            )
    if audit.review.stopped_by == "provider-error":
        # Like no review at all: the model could not inspect (all of) the changed code.
        reasons.append(
            RiskReason(
                level="medium",
                section="findings",
                text="The model endpoint failed during the review: the changed code was not "
                "fully inspected.",
            )
        )
    elif audit.review.stopped_by:
        reasons.append(
            RiskReason(
                level="low",
                section="findings",
                text=f"The review stopped early ({audit.review.stopped_by}); it may be incomplete.",
            )
        )
    elif unfinished := unfinished_investigations(audit.review):
        reasons.append(
            RiskReason(
                level="low",
                section="findings",
                text=f"{_plural(len(unfinished), 'investigation')} of the review did not run to "
                "the end (turn limit, repeated calls or empty replies); it may be incomplete.",
            )
        )
    return reasons


def _api_reasons(audit: AuditReport) -> list[RiskReason]:
    removed = sum(1 for c in audit.api if c.change == "removed")
    changed = sum(1 for c in audit.api if c.change == "signature")
    annotated = sum(1 for c in audit.api if c.change == "annotations")
    typing_only = RiskReason(
        level="low",
        section="api",
        text=f"{_plural(annotated, 'signature')} changed only in type annotations.",
    )
    if not (removed or changed):
        return [typing_only] if annotated else []
    parts = [
        _plural(n, w)
        for n, w in ((removed, "removed public symbol"), (changed, "changed signature"))
        if n
    ]
    breaking = [c.name for c in audit.api if c.change in ("removed", "signature")]
    named = ", ".join(breaking[:5]) + (
        f" and {len(breaking) - 5} more" if len(breaking) > 5 else ""
    )
    text = " and ".join(parts) + f" ({named}): callers may break."
    return [
        RiskReason(level="high", section="api", text=text),
        *([typing_only] if annotated else []),
    ]


def _is_major_upgrade(old: str | None, new: str | None) -> bool:
    before, after = version_of(old or ""), version_of(new or "")
    return before is not None and after is not None and after.major > before.major


def _dependency_reasons(audit: AuditReport) -> list[RiskReason]:
    declared = [d for d in audit.dependencies if d.group != "lock"]
    shipped = [d for d in declared if not is_development_group(d.group)]
    deps = shipped if declared else audit.dependencies
    if declared and not shipped:
        groups = ", ".join(sorted({d.group for d in declared}))
        return [
            RiskReason(
                level="low",
                section="dependencies",
                text=f"Only development dependencies changed ({_plural(len(declared), 'change')} "
                f"in {groups}).",
            )
        ]
    downgraded = [d.name for d in deps if d.change == "downgraded"]
    major = [d.name for d in deps if d.change == "upgraded" and _is_major_upgrade(d.old, d.new)]
    added = [d.name for d in deps if d.change == "added"]
    reasons = []
    if downgraded:
        reasons.append(
            RiskReason(
                level="medium",
                section="dependencies",
                text=f"Downgraded: {', '.join(sorted(set(downgraded)))}.",
            )
        )
    if major:
        reasons.append(
            RiskReason(
                level="medium",
                section="dependencies",
                text=f"Major-version upgrades: {', '.join(sorted(set(major)))}.",
            )
        )
    if added:
        level: RiskLevel = "medium" if len(set(added)) > 5 else "low"
        reasons.append(
            RiskReason(
                level=level,
                section="dependencies",
                text=f"New dependencies: {', '.join(sorted(set(added)))}.",
            )
        )
    return reasons


def _hygiene_reasons(audit: AuditReport) -> list[RiskReason]:
    reasons = []
    if audit.test_gaps:
        level: RiskLevel = "medium" if len(audit.test_gaps) > 5 else "low"
        reasons.append(
            RiskReason(
                level=level,
                section="test-gaps",
                text=f"{_plural(len(audit.test_gaps), 'source file')} changed without a matching test change.",
            )
        )
    serious = [m for m in audit.markers if m.marker in {"FIXME", "XXX"}]
    if audit.markers:
        level = "medium" if len(serious) > 3 else "low"
        reasons.append(
            RiskReason(
                level=level,
                section="markers",
                text=f"{_plural(len(audit.markers), 'new marker')} ({len(serious)} FIXME/XXX).",
            )
        )
    return reasons


def assess_risk(audit: AuditReport) -> tuple[RiskLevel, list[RiskReason]]:
    """The overall rating and its reasons, most severe first."""
    reasons = (
        _finding_reasons(audit)
        + _api_reasons(audit)
        + _dependency_reasons(audit)
        + _hygiene_reasons(audit)
    )
    reasons.sort(key=lambda r: -RISK_LEVELS.index(r.level))
    level = reasons[0].level if reasons else "low"
    return level, reasons
