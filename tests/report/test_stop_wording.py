"""A run ended by a failing endpoint is not described as a budget running out."""

from __future__ import annotations

import pytest

from repoagent.findings import Report, RoleUsage
from repoagent.report import render_report


@pytest.mark.parametrize("fmt", ["markdown", "terminal", "html"])
def test_provider_failure_is_named_as_such(fmt: str) -> None:
    report = Report(repository="r", revision="0" * 40, stopped_by="provider-error")
    text = render_report(report, fmt)
    assert "model endpoint failed" in text
    assert "budget ran out" not in text
    assert "No issues found" not in text


def test_budget_stop_names_the_budget() -> None:
    report = Report(
        repository="r",
        revision="0" * 40,
        stopped_by="max-turns",
        usage=[RoleUsage(role="maverick", calls=3)],
    )
    text = render_report(report, "markdown")
    assert "the max-turns budget ran out" in text
    assert "not complete" in text
