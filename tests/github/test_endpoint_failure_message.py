"""A pull-request review the model endpoint cut short exits 3 with one error line on stderr
(the Actions log shows why the job failed), after publishing what it found."""

from __future__ import annotations

from pathlib import Path

import pytest

from repoagent.testing import GitHubServer

from .conftest import PullRequestRepo, actions_env, bug_finding, make_report
from .test_review_flow import report_file, run_cli


@pytest.mark.parametrize("quiet", [[], ["-q"]])
def test_an_endpoint_failure_says_so_on_stderr(
    pr_repo: PullRequestRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    quiet: list[str],
) -> None:
    report = make_report(pr_repo, [bug_finding()]).model_copy(
        update={"stopped_by": "provider-error", "notes": ["Model endpoint error: HTTP 503"]}
    )
    with GitHubServer() as gh:
        gh.add_pull_request(7, pr_repo.base, pr_repo.head)
        env = actions_env(tmp_path, pr_repo, gh.api_url)
        code = run_cli(monkeypatch, env, "--report", report_file(tmp_path, report), *quiet)
        assert gh.pulls[7].issue_comments, "what was found is still published"
    assert code == 3
    err = capsys.readouterr().err
    assert "repoagent: error: the model endpoint failed" in err
    assert "Traceback" not in err
