"""The composite action and the example workflow are wired the way GitHub needs them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")
ROOT = Path(__file__).resolve().parents[2]


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_action_is_composite_installs_itself_and_runs_github_review() -> None:
    action = load(ROOT / "action.yml")
    assert action["runs"]["using"] == "composite"
    for name in (
        "api-key",
        "base-url",
        "scout-model",
        "maverick-model",
        "fail-on",
        "run-tests",
        "sarif-file",
    ):
        assert name in action["inputs"], name
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert '"$GITHUB_ACTION_PATH"' in scripts
    assert 'repoagent "${args[@]}"' in scripts and "github review" in scripts
    # No input is interpolated into a script (that would allow shell injection); keys via env only.
    assert "${{" not in scripts
    review_step = steps[-1]
    assert review_step["env"]["REPOAGENT_API_KEY"] == "${{ inputs.api-key }}"
    assert review_step["env"]["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    # Every flag the script passes exists on the command.
    from click.testing import CliRunner

    from repoagent.cli.github import github

    help_text = CliRunner().invoke(github, ["review", "--help"]).output
    for flag in set(re.findall(r"(--[a-z-]+)", review_step["run"])):
        assert flag in help_text, flag


def test_example_workflow_checks_out_full_history_and_uploads_sarif() -> None:
    workflow = load(ROOT / "examples" / "workflows" / "repoagent-review.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    assert workflow["permissions"] == {
        "contents": "read",
        "pull-requests": "write",
        "security-events": "write",
    }
    steps = workflow["jobs"]["review"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    review = next(s for s in steps if "repoagent" in s.get("uses", ""))
    upload = next(
        s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    )
    assert upload["with"]["sarif_file"] == review["with"]["sarif-file"]
    assert "always()" in upload["if"]
