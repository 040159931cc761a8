"""`repoagent review -o`: the report's directory is created; an unusable -o fails before the run."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from repoagent.cli.main import main
from repoagent.testing import ScriptedLLMServer


def _run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
        raise SystemExit(0)
    return int(exit_info.value.code or 0)


def test_report_goes_into_a_new_directory(
    planted: git.Repo, server: ScriptedLLMServer, model_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "today" / "review.json"
    assert _run(["review", str(planted.working_tree_dir), "--format", "json", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())["findings"]) == 3


def test_output_that_is_a_directory_fails_before_any_model_call(
    planted: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(["review", str(planted.working_tree_dir), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a directory" in err and "Traceback" not in err
    assert not server.chat_requests


def test_query_from_a_file_reaches_the_scout(
    planted: git.Repo, server: ScriptedLLMServer, model_env: dict[str, str], tmp_path: Path
) -> None:
    task = tmp_path / "task.md"
    task.write_text("Look hard at the paging arithmetic.\n", encoding="utf-8")
    argv = ["review", str(planted.working_tree_dir), "--format", "json", "--query", f"@{task}"]
    assert _run(argv) == 0
    scout_task = server.chat_requests[0].messages[-1]["content"]
    assert "Look hard at the paging arithmetic." in scout_task and "@" + str(task) not in scout_task


def test_query_file_that_does_not_exist_is_one_line(
    planted: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["review", str(planted.working_tree_dir), "--query", f"@{tmp_path / 'missing.md'}"]
    assert _run(argv) == 2
    assert "cannot read --query file" in capsys.readouterr().err
    assert not server.chat_requests


def test_review_of_a_subdirectory_says_it_reviews_the_repository_with_it_first(
    planted: git.Repo,
    server: ScriptedLLMServer,
    model_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(["review", str(Path(planted.working_tree_dir or "") / "notebox"), "-q"]) == 0
    assert "notebox comes first (--focus)" in capsys.readouterr().err
