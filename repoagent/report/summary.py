"""Facts every renderer states the same way: order of findings, coverage, cost, the verdict.

"No issues found" is only ever said when nothing was left out for budget reasons and no budget
stopped the run; otherwise the verdict says what was not covered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from repoagent.findings.model import SEVERITIES, CoverageFile, Finding, Report, severity_rank

#: Fix statuses whose replacement text was proven to apply (safe to offer as a suggestion).
PROVEN_FIX_STATUSES = ("verified", "applies")


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in reading order: most severe first, then by path and line."""
    return sorted(
        findings,
        key=lambda f: (severity_rank(f.severity), f.path, f.start_line, f.end_line, f.fingerprint),
    )


def findings_by_severity(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Group findings by severity, most severe first, skipping empty groups."""
    ordered = sorted_findings(findings)
    groups: list[tuple[str, list[Finding]]] = [
        (sev, [f for f in ordered if f.severity == sev]) for sev in SEVERITIES
    ]
    other = [f for f in ordered if f.severity not in SEVERITIES]
    if other:
        groups.append(("other", other))
    return [(sev, items) for sev, items in groups if items]


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    """Number of findings per severity, in severity order (zero counts included)."""
    counts = Counter(f.severity for f in findings)
    return {sev: counts.get(sev, 0) for sev in SEVERITIES}


@dataclass(frozen=True)
class CoverageSummary:
    """How much of the repository the models saw."""

    full: int
    outline: int
    listed: int
    left_out: int
    left_out_by_reason: dict[str, int]
    left_out_for_budget: list[CoverageFile]

    @property
    def seen(self) -> int:
        """Files the models saw in any form."""
        return self.full + self.outline + self.listed


def coverage_summary(report: Report) -> CoverageSummary:
    """Count files per detail level and files left out per reason."""
    levels = Counter(c.level for c in report.coverage)
    reasons = Counter((c.reason or "unspecified") for c in report.coverage if c.level is None)
    return CoverageSummary(
        full=levels.get("full", 0),
        outline=levels.get("outline", 0),
        listed=levels.get("listed", 0),
        left_out=sum(reasons.values()),
        left_out_by_reason=dict(sorted(reasons.items())),
        left_out_for_budget=report.left_out_for_budget,
    )


def listed_for_budget(report: Report) -> list[CoverageFile]:
    """Files the scout saw only by name because the budget had no room for their text."""
    return [c for c in report.coverage if c.level == "listed" and c.reason == "budget"]


def not_reviewed(report: Report) -> list[CoverageFile]:
    """Files nobody reviewed because the scout could not be used (a fallback run)."""
    return [c for c in report.coverage if c.level == "listed" and c.reason == "scout-unusable"]


def is_complete(report: Report) -> bool:
    """True when nothing was cut: no file left out or only listed, no stop, no scout fallback,
    no investigation cut short."""
    return (
        not report.left_out_for_budget
        and not listed_for_budget(report)
        and not not_reviewed(report)
        and not report.stopped_by
        and not unfinished_investigations(report)
    )


#: How the agent's notes say an investigation did not run to its end (see agent/nodes/investigate).
UNFINISHED = (
    "ended at its turn limit",
    "ended at the context window",
    "kept repeating",
    "did not happen",
)


def unfinished_investigations(report: Report) -> list[str]:
    """The notes about investigations cut short (turn limit, repeated calls, empty replies)."""
    return [
        n
        for n in report.notes
        if n.startswith("Investigation of ") and any(u in n for u in UNFINISHED)
    ]


def _some_paths(files: list[CoverageFile], shown: int = 5) -> str:
    """The first ``shown`` paths, then how many more (``a.py, b.py and 12 more``)."""
    names = ", ".join(c.path for c in files[:shown])
    return names + (f" and {len(files) - shown} more" if len(files) > shown else "")


def not_covered(report: Report) -> list[str]:
    """Plain sentences naming what the run did not cover (empty when it covered everything)."""
    gaps = []
    budget_files = report.left_out_for_budget
    if budget_files:
        gaps.append(
            f"{len(budget_files)} file(s) were left out because the token budget had no room: "
            f"{_some_paths(budget_files)}."
        )
    listed = listed_for_budget(report)
    if listed:
        gaps.append(
            f"{len(listed)} file(s) were only listed by name, not read, because the token budget "
            f"had no room for their text: {_some_paths(listed)}."
        )
    skipped = not_reviewed(report)
    if skipped:
        gaps.append(
            f"{len(skipped)} file(s) were not reviewed because the scout could not be used and "
            f"only the highest-ranked files were investigated: {_some_paths(skipped)}."
        )
    unfinished = unfinished_investigations(report)
    if unfinished:
        gaps.append(
            f"{len(unfinished)} investigation(s) did not run to their end (see the notes); "
            "their candidates may still hold problems."
        )
    if report.stopped_by:
        gaps.append(
            f"The run stopped early because {_stop_cause(report.stopped_by)}; "
            "candidates not yet investigated were not reviewed."
        )
    return gaps


def _stop_cause(stopped_by: str) -> str:
    if stopped_by == "provider-error":
        return "the model endpoint failed"
    return f"the {stopped_by} budget ran out"


def stop_sentence(report: Report) -> str:
    """Why the run ended early, as one sentence (or that no budget stopped it)."""
    if not report.stopped_by:
        return "No budget stopped the run."
    return f"Stopped early: {_stop_cause(report.stopped_by)}."


def verdict(report: Report) -> str:
    """One sentence: how many findings, or "No issues found" only when coverage was complete."""
    n = len(report.findings)
    if n:
        counts = ", ".join(f"{c} {s}" for s, c in severity_counts(report.findings).items() if c)
        text = f"{n} finding{'s' if n != 1 else ''} ({counts})."
    elif is_complete(report):
        text = "No issues found."
    elif report.stopped_by == "provider-error" and not any(u.calls for u in report.usage):
        text = "The review did not run: the model endpoint failed before answering."
    else:
        text = "No issues found in what was reviewed, but the review was not complete."
    if report.unlocated:
        text += f" {len(report.unlocated)} more could not be located in the code."
    return text


def format_cost(cost: float) -> str:
    """Cost with enough precision to see small runs (``$0.0123``)."""
    return f"${cost:.4f}" if cost < 1 else f"${cost:.2f}"


def line_range(finding: Finding) -> str:
    """``path:12`` or ``path:12-14`` (``path`` alone when the lines are unknown)."""
    if finding.start_line <= 0:
        return finding.path
    if finding.end_line > finding.start_line:
        return f"{finding.path}:{finding.start_line}-{finding.end_line}"
    return f"{finding.path}:{finding.start_line}"


def numbered_excerpt(finding: Finding) -> list[tuple[int | None, str]]:
    """The quoted code as (line number, text) pairs, numbered from the finding's start line."""
    lines = finding.quote.splitlines() or [""]
    start = finding.start_line if finding.start_line > 0 else None
    return [(start + i if start is not None else None, text) for i, text in enumerate(lines)]
