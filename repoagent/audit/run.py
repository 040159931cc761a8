"""Run an audit: the deterministic sections first (no model), then the review of the changes.

The deterministic sections never depend on the model, so an unreachable endpoint costs the
report its findings, not its substance: the report says so in a note and still ships.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import git

from repoagent.audit.api_changes import api_changes
from repoagent.audit.dependencies import dependency_changes
from repoagent.audit.history import (
    AuditRange,
    added_lines,
    open_repository,
    resolve_range,
    summarise_changes,
)
from repoagent.audit.markers import new_markers
from repoagent.audit.model import AuditReport
from repoagent.audit.risk import assess_risk
from repoagent.audit.test_gaps import untested_changes
from repoagent.errors import ProviderError, RepoAgentError
from repoagent.findings.model import Report
from repoagent.resources import read_prompt

Progress = Callable[[str], None]


@dataclass
class AuditOptions:
    """What to audit and how; the CLI flags of ``repoagent audit``."""

    path: Path
    rev: str = "HEAD"
    since: str | None = None
    """Start of the range (default: the latest tag reachable from ``rev``; else all history)."""
    review: bool = True
    """Run the model review of the changes (the deterministic sections always run)."""
    run_tests: bool = False
    lang: str | None = None
    """Language of the review's prose (findings, explanations)."""
    review_options: dict[str, Any] = field(default_factory=dict)
    """Extra :class:`repoagent.agent.ReviewOptions` fields: ``settings``, ``budgets``,
    ``progress``, ``concurrency``."""


def deterministic_sections(repo: git.Repo, rng: AuditRange) -> AuditReport:
    """Every section computed without a model: changes, API, dependencies, markers, test gaps."""
    changes = summarise_changes(repo, rng)
    audit = AuditReport(
        repository=str(rng.root),
        revision=rng.rev,
        rev_name=rng.rev_name,
        since=rng.since,
        since_name=rng.since_name,
        range_note=rng.note,
        changes=changes,
        dependencies=dependency_changes(repo, rng, changes.files),
        markers=new_markers(added_lines(repo, rng)),
        test_gaps=untested_changes(changes.files),
    )
    try:
        audit.api = api_changes(repo, rng, changes.files)
    except ImportError:
        audit.api_note = (
            "The code index is not available in this installation; API changes were not computed."
        )
    return audit


def review_changes(options: AuditOptions, rng: AuditRange) -> tuple[Report | None, str]:
    """Run the agent's review focused on the range; return (report, note for the reader)."""
    from repoagent.agent import ReviewOptions, run_review

    review = ReviewOptions(
        path=rng.root,
        rev=rng.rev,
        base=rng.since,
        query=read_prompt("audit_review.md"),
        run_tests=options.run_tests,
        lang=options.lang,
        **options.review_options,
    )
    try:
        report = run_review(review)
    except ProviderError as exc:
        return None, (
            f"The model was unreachable ({exc}), so there are no review findings; "
            "every other section was computed without a model."
        )
    except RepoAgentError as exc:
        return None, (
            f"The review could not run ({exc}); every other section was computed without a model."
        )
    except Exception as exc:  # an audit is never empty-handed: keep the deterministic sections
        return None, (
            f"The review failed ({type(exc).__name__}: {exc}); every other section was "
            "computed without a model."
        )
    if report.stopped_by == "provider-error":
        what = "its findings are partial" if report.findings else "there are no review findings"
        return report, (
            f"The model endpoint failed during the review, so {what}; "
            "every other section was computed without a model."
        )
    return report, ""


def run_audit(options: AuditOptions, progress: Progress | None = None) -> AuditReport:
    """Audit ``options.path`` from ``since`` to ``rev``: deterministic sections, review, risk."""
    say = progress or (lambda _msg: None)
    repo = open_repository(options.path)
    rng = resolve_range(repo, options.rev, options.since)
    say(f"auditing {rng.since_name or 'the whole history'}..{rng.rev_name}")
    audit = deterministic_sections(repo, rng)
    if not audit.changes.commits:
        audit.review_note = "Nothing changed in the range, so there was nothing to review."
    elif options.review:
        say("reviewing the changes")
        audit.review, audit.review_note = review_changes(options, rng)
        audit.model_failed = (
            audit.review.stopped_by == "provider-error"
            if audit.review is not None
            else audit.review_note.startswith("The model was unreachable")
        )
    else:
        audit.review_note = "The review was skipped (--no-review)."
    audit.risk, audit.risk_reasons = assess_risk(audit)
    return audit
