"""An investigation the model did not finish (turn limit, repeated calls, empty replies) makes
the review incomplete: no bare "No issues found", and the gap is named."""

from __future__ import annotations

import pytest

from repoagent.findings.model import Report
from repoagent.report import render_report
from repoagent.report.summary import is_complete, not_covered, verdict


@pytest.mark.parametrize(
    "note",
    [
        "Investigation of a.py ended at its turn limit.",
        "Investigation of a.py was stopped: the model kept repeating the same tool calls.",
        "Investigation of a.py did not happen: the model's replies were empty.",
    ],
)
def test_an_unfinished_investigation_is_not_a_clean_bill(note: str) -> None:
    report = Report(repository="demo", revision="abc", notes=[note])
    assert not is_complete(report)
    assert verdict(report).startswith("No issues found in what was reviewed, but")
    assert any("did not run to their end" in gap for gap in not_covered(report))
    assert "No issues found.**" not in render_report(report, "markdown")


def test_other_notes_leave_the_review_complete() -> None:
    report = Report(repository="demo", revision="abc", notes=["The scout reported 3 candidates."])
    assert is_complete(report) and verdict(report) == "No issues found."
