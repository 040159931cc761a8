"""``repoagent pack``: the document on stdout, everything else on stderr, bad input in one line."""

from __future__ import annotations

import json
import os

import pytest

from tests.pack.helpers import root_of, run_cli


def test_stdout_is_only_the_document(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", "b.bin": b"\0\0"})
    code, out, err = run_cli(capsys, "pack", repo.working_tree_dir, "-f", "json", "--stats")
    assert code == 0
    doc = json.loads(out)
    assert doc["files"][0]["path"] == "a.py"
    assert "Top files by tokens" in err and "binary" in err


def test_output_file_and_budget_suffix(make_repo, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    target = tmp_path / "out.md"
    code, out, _ = run_cli(
        capsys, "pack", repo.working_tree_dir, "-o", str(target), "--budget", "2k", "-f", "markdown"
    )
    assert code == 0 and out == ""
    text = target.read_text()
    assert "budget: 2000" in text and "a = 1" in text


def test_query_from_file(make_repo, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    task = tmp_path / "task.txt"
    task.write_text("Why is a one?\n")
    code, out, _ = run_cli(capsys, "pack", repo.working_tree_dir, "--query", f"@{task}")
    assert code == 0 and out.rstrip().endswith("<query>\nWhy is a one?\n</query>\n</repository>")


def test_never_writes_into_the_repository(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", ".gitignore": "x\n"})
    root = root_of(repo)

    def snapshot() -> dict[str, float]:
        return {
            os.path.join(d, f): os.stat(os.path.join(d, f)).st_mtime_ns
            for d, _, fs in os.walk(root)
            for f in fs
        }

    before = snapshot()
    assert run_cli(capsys, "pack", str(root), "--worktree", "--base", "HEAD")[0] == 0
    assert run_cli(capsys, "pack", str(root))[0] == 0
    assert snapshot() == before


def _bad_inputs(make_repo, tmp_path):  # type: ignore[no-untyped-def]
    plain = tmp_path / "plain"
    plain.mkdir()
    empty = make_repo(name="empty")
    repo = make_repo({"a.py": "a = 1\n"}, name="ok")
    return {
        "not a git repository": ["pack", str(plain)],
        "unknown revision": ["pack", repo.working_tree_dir, "--rev", "no-such-rev"],
        "no commits": ["pack", empty.working_tree_dir],
        "too small": ["pack", repo.working_tree_dir, "--budget", "5"],
        "does not exist": ["pack", str(tmp_path / "missing")],
        "cannot read budget": ["pack", repo.working_tree_dir, "--budget", "lots"],
        "not in the repository": ["pack", repo.working_tree_dir, "--focus", "nope.py"],
        "cannot read --query file": ["pack", repo.working_tree_dir, "--query", "@/no/such/file"],
        "unknown tokenizer": ["pack", repo.working_tree_dir, "--tokenizer", "nonsense"],
        "unknown revision: base": ["pack", repo.working_tree_dir, "--base", "base"],
        "cannot be combined": ["pack", repo.working_tree_dir, "--worktree", "--rev", "HEAD~1"],
    }


@pytest.mark.parametrize(
    "problem",
    [
        "not a git repository",
        "unknown revision",
        "no commits",
        "too small",
        "does not exist",
        "cannot read budget",
        "not in the repository",
        "cannot read --query file",
        "unknown tokenizer",
        "unknown revision: base",
        "cannot be combined",
    ],
)
def test_bad_input_is_one_line_and_nonzero(make_repo, tmp_path, capsys, problem) -> None:  # type: ignore[no-untyped-def]
    args = _bad_inputs(make_repo, tmp_path)[problem]
    code, out, err = run_cli(capsys, *args)
    assert code != 0
    assert out == ""
    assert err.startswith("repoagent: error: ")
    assert problem in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_unreadable_file_is_a_manifest_entry(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    repo = make_repo({"a.py": "a = 1\n", "secret.txt": "x\n"})
    path = root_of(repo) / "secret.txt"
    path.chmod(0)
    try:
        code, out, _ = run_cli(capsys, "pack", repo.working_tree_dir, "--worktree")
    finally:
        path.chmod(0o644)
    assert code == 0 and 'reason="unreadable"' in out


def test_default_budget_is_the_scout_window_minus_room(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    config = "[scout]\ncontext_window = 20000\nmax_output_tokens = 4000\n"
    repo = make_repo({"a.py": "a = 1\n", ".repoagent.toml": config})
    code, out, _ = run_cli(capsys, "pack", repo.working_tree_dir)
    assert code == 0 and 'budget="10000"' in out
    code, out, _ = run_cli(capsys, "pack", repo.working_tree_dir, "--budget", "none")
    assert code == 0 and 'budget="none"' in out


def test_unconfigured_scout_means_unlimited(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    code, out, _ = run_cli(capsys, "pack", repo.working_tree_dir)
    assert code == 0 and 'budget="none"' in out
