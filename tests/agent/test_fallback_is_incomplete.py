"""When the scout cannot be used, Maverick reviews only the highest-ranked files: the report
must not say "No issues found" for the whole repository."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.findings.model import Report
from repoagent.report import render_report
from repoagent.report.summary import is_complete, verdict
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.scripts import MAVERICK, SCOUT, example_files


def test_a_fallback_review_is_not_complete(
    make_repo: Callable[..., git.Repo],
    review: Callable[..., Report],
    server: ScriptedLLMServer,
) -> None:
    extra = {f"notebox/extra_{i}.py": f"def f{i}():\n    return {i}\n" for i in range(6)}
    repo = make_repo({**example_files(), **extra}, name="fallback")
    server.script(lambda body: replies.context_overflow("llamacpp"), model=SCOUT)
    server.script(lambda body: replies.text("Nothing to report."), model=MAVERICK)
    report = review(repo.working_tree_dir)

    assert any(n.startswith("Scout could not be used") for n in report.notes)
    assert not is_complete(report)
    assert not verdict(report).startswith("No issues found.")
    skipped = [c for c in report.coverage if c.reason == "scout-unusable"]
    assert skipped and all(c.level == "listed" for c in skipped)
    assert "were not reviewed because the scout could not be used" in render_report(
        report, "markdown"
    )
