"""``repoagent pack``: the document on stdout, everything else on stderr, bad input in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
        "invalid --exclude glob '!'": ["pack", repo.working_tree_dir, "--exclude", "!"],
        "invalid --include glob '!'": ["pack", repo.working_tree_dir, "--include", "!"],
        "invalid --include glob '\\'": ["pack", repo.working_tree_dir, "--include", "\\"],
        "positive number of tokens (none means no limit), got 0": [
            "pack", repo.working_tree_dir, "--budget", "0",
        ],
        "positive number of tokens (none means no limit), got -5": [
            "pack", repo.working_tree_dir, "--budget", "-5",
        ],
        "positive number of tokens (none means no limit), got 0k": [
            "pack", repo.working_tree_dir, "--budget", "0k",
        ],
        "--rev needs a revision": ["pack", repo.working_tree_dir, "--rev", ""],
        "--base needs a revision": ["pack", repo.working_tree_dir, "--base", " "],
        "is a directory (see 'repoagent pack --help')": [
            "pack", repo.working_tree_dir, "-o", str(tmp_path),
        ],
        "No such option '--nope'": ["pack", repo.working_tree_dir, "--nope"],
    }  # fmt: skip


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
        "invalid --exclude glob '!'",
        "invalid --include glob '!'",
        "invalid --include glob '\\'",
        "positive number of tokens (none means no limit), got 0",
        "positive number of tokens (none means no limit), got -5",
        "positive number of tokens (none means no limit), got 0k",
        "--rev needs a revision",
        "--base needs a revision",
        "is a directory (see 'repoagent pack --help')",
        "No such option '--nope'",
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
    assert "Traceback" not in err and "internal error" not in err


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


def test_a_full_disk_on_stdout_is_one_line_and_exit_2(make_repo) -> None:  # type: ignore[no-untyped-def]
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    root = root_of(make_repo({"a.py": "a = 1\n"}))
    with open("/dev/full", "w") as full:
        process = subprocess.run(
            [sys.executable, "-m", "repoagent", "pack", str(root)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert process.returncode == 2, process.stderr
    assert process.stderr == (
        "repoagent: error: cannot write the document to stdout: No space left on device\n"
    )


@pytest.mark.filterwarnings("always::RuntimeWarning")
def test_a_repoagentignore_line_git_would_skip_is_skipped_with_a_warning(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(
        {
            "a.py": "a = 1\n",
            "b.py": "b = 2\n",
            "c.py": "c = 3\n",
            ".repoagentignore": "!\nb.py\nc.py\\\n",
        }
    )
    code, out, err = run_cli(capsys, "pack", repo.working_tree_dir)
    assert code == 0, err
    assert "a = 1" in out and "c = 3" in out and "b = 2" not in out  # the valid line applies
    assert err == (
        "repoagent: warning: .repoagentignore line 1: skipped the invalid pattern '!' "
        "(git skips it too)\n"
        "repoagent: warning: .repoagentignore line 3: skipped the invalid pattern 'c.py\\' "
        "(git skips it too)\n"
    )


def test_an_empty_selection_says_why_on_stderr(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", "b.py": "b = 2\n"})
    code, out, err = run_cli(capsys, "pack", repo.working_tree_dir, "--exclude", "*.py")
    assert code == 0 and "a = 1" not in out
    assert err == (
        "repoagent: note: no file is in the document: all 2 were left out "
        "(excluded-by-glob 2); --include GLOB brings files back\n"
    )
