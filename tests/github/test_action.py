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
    assert '/repoagent-venv/bin/repoagent" "${args[@]}"' in scripts and "github review" in scripts
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


def test_action_leaves_the_jobs_python_and_path_alone() -> None:
    """Later steps of the user's job keep their Python: no PATH change, no venv on PATH."""
    steps = load(ROOT / "action.yml")["runs"]["steps"]
    setup = steps[0]
    assert setup["with"]["update-environment"] is False
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "GITHUB_PATH" not in scripts and "GITHUB_ENV" not in scripts
    assert "${{ steps.python.outputs.python-path }}" in steps[1]["env"].values()


def test_review_step_passes_inputs_verbatim_and_omits_empty_ones(tmp_path: Path) -> None:
    """Run the review step's script in bash with a stand-in repoagent that prints its argv."""
    import json
    import os
    import subprocess
    import sys

    step = load(ROOT / "action.yml")["runs"]["steps"][-1]
    fake = tmp_path / "repoagent-venv" / "bin" / "repoagent"
    fake.parent.mkdir(parents=True)
    fake.write_text(
        f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n", encoding="utf-8"
    )
    fake.chmod(0o755)
    env = {name: "" for name in step["env"]}
    hostile = "m $(touch pwned) `id` ; x"
    env.update(
        PATH=os.environ["PATH"],
        RUNNER_TEMP=str(tmp_path),
        INPUT_FAIL_ON="high",
        INPUT_RUN_TESTS="false",
        INPUT_SARIF_FILE="",
        INPUT_MAX_COMMENTS="25",
        INPUT_SCOUT_MODEL=hostile,
        INPUT_PATH="checkouts/my repo",
    )
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    argv = json.loads(done.stdout)
    assert argv[:4] == ["github", "review", "--fail-on", "high"]
    assert argv[argv.index("--scout-model") + 1] == hostile
    assert "--sarif-file" not in argv  # sarif-file: "" means none
    assert argv[argv.index("--path") + 1] == "checkouts/my repo"
    assert "--no-run-tests" in argv and "--max-comments" in argv
    assert not (tmp_path / "pwned").exists()
