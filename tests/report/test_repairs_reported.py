"""What the client had to repair in the model's output reaches the reader of the report."""

from __future__ import annotations

from repoagent.findings import Report
from repoagent.llm import CallUsage, UsageLedger
from repoagent.report import render_report


def test_repaired_and_rejected_calls_reach_markdown_and_json() -> None:
    ledger = UsageLedger()
    ledger.record("maverick", "m", CallUsage(100, 10, 0, 0.0, 2), repaired=3, rejected=1)
    report = Report(repository="r", revision="0" * 40, usage=ledger.role_usage())

    markdown = render_report(report, "markdown")
    assert "3 tool call(s) recovered or normalised" in markdown
    assert "1 invalid call(s) sent back" in markdown
    assert "2 request(s) retried" in markdown

    clean = Report(repository="r", revision="0" * 40, usage=UsageLedger().role_usage())
    assert "recovered or normalised" not in render_report(clean, "markdown")
    assert '"repaired_calls": 3' in render_report(report, "json")
