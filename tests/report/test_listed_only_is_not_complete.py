"""Files the scout saw only by name (no room in the budget) were not reviewed: the verdict must
not say "No issues found" and the report names them."""

from __future__ import annotations

import json

from repoagent.findings.model import CoverageFile, Report
from repoagent.report import render_report


def _report() -> Report:
    coverage = [CoverageFile(path="a.py", level="full", tokens=10)]
    coverage += [
        CoverageFile(path=f"pkg/m{i}.py", level="listed", reason="budget") for i in range(7)
    ]
    return Report(repository="/r", revision="0" * 40, coverage=coverage)


def test_listed_only_files_make_the_review_incomplete() -> None:
    document = json.loads(render_report(_report(), "json"))
    assert document["summary"]["complete"] is False
    assert not document["summary"]["verdict"].startswith("No issues found.")
    (gap,) = document["summary"]["not_covered"]
    assert gap.startswith("7 file(s) were only listed by name") and "and 2 more" in gap
    assert "only listed by name" in render_report(_report(), "markdown")
