"""`repoagent review` from the command line: exit codes, formats, partial results."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from repoagent.cli.main import main
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.scripts import MAVERICK, maverick_script


def _run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
        raise SystemExit(0)
    return int(exit_info.value.code or 0)


def test_fail_on_exits_1_and_writes_the_json_report(
    planted: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "report.json"
    argv = ["review", str(planted.working_tree_dir), "--format", "json", "-o", str(out)]
    assert _run([*argv, "--fail-on", "high"]) == 1
    document = json.loads(out.read_text())
    assert len(document["findings"]) == 3
    err = capsys.readouterr().err
    assert "--resume " in err  # the run id is printed at start, on stderr


def test_no_finding_at_fail_on_level_exits_0(
    planted: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script(lambda body: replies.text("Nothing found."), model=MAVERICK)
    assert (
        _run(["review", str(planted.working_tree_dir), "--format", "markdown", "--fail-on", "info"])
        == 0
    )
    assert capsys.readouterr().out.strip()


def test_bad_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["review", str(tmp_path / "missing")]) == 2


def test_not_a_repository_exits_2_with_one_line(
    tmp_path: Path, model_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["review", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "repoagent: error:" in err and "Traceback" not in err


def test_provider_failing_mid_run_exits_3_with_partial_results(
    planted: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    failing = maverick_script(
        override=lambda key, turn: replies.server_error(503) if key == "never closes" else None
    )
    server.script(failing, model=MAVERICK)
    out = tmp_path / "partial.json"
    argv = [
        "review",
        str(planted.working_tree_dir),
        "--format",
        "json",
        "-o",
        str(out),
        "--concurrency",
        "1",
    ]
    assert _run(argv) == 3
    document = json.loads(out.read_text())
    titles = {f["title"] for f in document["findings"]}
    assert titles == {"page() returns one item too many", "read_note allows path traversal"}
    assert document["usage"]["stopped_by"] == "provider-error"
    assert "repoagent: error:" in capsys.readouterr().err


def test_worktree_with_rev_is_bad_usage(
    planted: git.Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["review", str(planted.working_tree_dir), "--worktree", "--rev", "HEAD~1"]) == 2
    assert "--worktree" in capsys.readouterr().err
