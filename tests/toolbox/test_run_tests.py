"""run_tests: a scratch copy, no secrets, no network, a timeout, a parsed summary."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import git
import pytest

from repoagent.home import repoagent_home
from repoagent.toolbox import SandboxToolRunner
from repoagent.toolbox.testcommand import detect_test_command
from repoagent.toolbox.testrun import clean_env, network_isolation, run_tests_in_scratch
from repoagent.toolbox.testsummary import summarise

ENV_PRINTER = """\
import os


def test_print_env():
    for key in sorted(os.environ):
        print("ENV", key)
    print("MARKER", os.environ.get("HARMLESS_SETTING"))
"""


def test_run_tests_reports_exit_code_summary_and_failures(planted_repo: git.Repo) -> None:
    runner = SandboxToolRunner(planted_repo.working_tree_dir or "", "HEAD", run_tests=True)
    out = runner.run("run_tests", {})
    assert "exit code 1 — 1 failed, 5 passed" in out
    assert "failing tests:\n  tests/test_paging.py::test_page_has_at_most_size_items" in out
    one = runner.run("run_tests", {"path": "tests/test_paging.py::test_page_count_rounds_up"})
    assert "exit code 0 — 1 passed" in one


def test_run_tests_sees_no_secrets(
    make_repo: Callable[..., git.Repo], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo({"test_env.py": ENV_PRINTER})
    secrets = {
        "FOO_API_KEY": "k1",
        "GITHUB_TOKEN": "k2",
        "REPOAGENT_SCOUT_API_KEY": "k3",
        "MY_SECRET_THING": "k4",
        "AWS_SECRET_ACCESS_KEY": "k5",
        "DB_PASSWORD": "k6",
        "OPENAI_BASE_URL": "http://x",
        "GIT_DIR": "/elsewhere/.git",
    }
    for key, value in secrets.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HARMLESS_SETTING", "visible")
    result = run_tests_in_scratch(
        repo.working_tree_dir or "",
        "HEAD",
        command=[sys.executable, "-m", "pytest", "-s", "-q", "-p", "no:cacheprovider"],
    )
    assert result.passed, result.output
    seen = {line.split()[1] for line in result.output.splitlines() if line.startswith("ENV ")}
    assert seen, result.output
    assert not seen & set(secrets)
    assert "MARKER visible" in result.output
    assert not any(key.startswith(("GITHUB_", "REPOAGENT_")) for key in seen)


def test_clean_env_keeps_ordinary_settings() -> None:
    env = clean_env(
        {
            "PATH": "/bin",
            "LANG": "C",
            "GIT_AUTHOR_NAME": "a",
            "SSH_AUTH_SOCK": "/s",
            "NPM_TOKEN": "t",
        }
    )
    assert env["PATH"] == "/bin" and env["LANG"] == "C" and env["GIT_AUTHOR_NAME"] == "a"
    assert "SSH_AUTH_SOCK" not in env and "NPM_TOKEN" not in env


@pytest.fixture
def local_server() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()  # a connection would complete in the backlog; no accept() needed
    yield server.getsockname()[1]
    server.close()


@pytest.mark.skipif(network_isolation() is None, reason="no network namespaces on this machine")
def test_run_tests_has_no_network(make_repo: Callable[..., git.Repo], local_server: int) -> None:
    probe = f"""\
import socket


def test_reach_host():
    socket.create_connection(("127.0.0.1", {local_server}), timeout=2).close()


def test_own_loopback_works():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    socket.create_connection(s.getsockname(), timeout=2).close()
    s.close()
"""
    repo = make_repo({"test_net.py": probe})
    result = run_tests_in_scratch(repo.working_tree_dir or "", "HEAD")
    assert result.failed == ["test_net.py::test_reach_host"], result.output
    assert "network not isolated" not in result.describe()


def test_run_tests_times_out(make_repo: Callable[..., git.Repo]) -> None:
    repo = make_repo({"test_slow.py": "import time\n\n\ndef test_slow():\n    time.sleep(30)\n"})
    result = run_tests_in_scratch(repo.working_tree_dir or "", "HEAD", timeout=1.5)
    assert result.timed_out and result.exit_code is None
    assert result.describe().splitlines()[1].startswith("timed out — stopped after 2s")


def test_run_tests_uses_the_work_tree_changes_in_a_scratch_copy(
    planted_repo: git.Repo, digest: Callable[[Path], str]
) -> None:
    root = Path(planted_repo.working_tree_dir or "")
    paging = root / "notebox/paging.py"
    paging.write_text(paging.read_text().replace("start + size + 1]", "start + size]"))
    (root / "tests/test_extra.py").write_text("def test_extra():\n    assert True\n")
    before = digest(root)
    worktree = SandboxToolRunner(root, None, run_tests=True).run("run_tests", {})
    assert "exit code 0 — 7 passed" in worktree
    with SandboxToolRunner(root, "HEAD", run_tests=True) as runner:
        committed = runner.run("run_tests", {})
    assert "1 failed, 5 passed" in committed
    assert digest(root) == before
    assert not list((repoagent_home() / "scratch").iterdir())  # scratch copies were removed


def test_missing_test_command_is_a_tool_error(make_repo: Callable[..., git.Repo]) -> None:
    repo = make_repo({"main.c": "int main(void) { return 0; }\n"})
    out = SandboxToolRunner(repo.working_tree_dir or "", "HEAD", run_tests=True).run(
        "run_tests", {}
    )
    assert out.startswith("error: no test command detected")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"go.mod": "module x\n"}, ["go", "test", "./..."]),
        ({"Cargo.toml": "[package]\n"}, ["cargo", "test"]),
        ({"package.json": '{"scripts": {"test": "jest"}}'}, ["npm", "test"]),
        ({"tests/test_a.py": ""}, [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]),
        ({"README": ""}, None),
    ],
)
def test_test_command_detection(
    tmp_path: Path, files: dict[str, str], expected: list[str] | None
) -> None:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    assert detect_test_command(tmp_path) == expected


def test_summaries_of_other_runners() -> None:
    go = "--- FAIL: TestParse (0.00s)\nFAIL\texample.com/x\t0.01s\nok  \texample.com/y\t0.02s\n"
    assert summarise(go, 1) == ("1 packages ok, 1 failed", ["TestParse"])
    cargo = "test tests::adds ... FAILED\ntest result: FAILED. 3 passed; 1 failed; 0 ignored\n"
    assert summarise(cargo, 101) == (
        "test result: FAILED. 3 passed; 1 failed; 0 ignored",
        ["tests::adds"],
    )
    jest = "  ✕ adds numbers (3 ms)\nTests:       1 failed, 2 passed, 3 total\n"
    assert summarise(jest, 1) == ("Tests:       1 failed, 2 passed, 3 total", ["adds numbers"])


def test_the_projects_own_virtualenv_and_node_modules_are_used(tmp_path: Path) -> None:
    from repoagent.toolbox.testcommand import dependency_env

    source, scratch = tmp_path / "checkout", tmp_path / "scratch"
    (source / ".venv/bin").mkdir(parents=True)
    # A wrapper, not a symlink: a symlinked interpreter finds no pyvenv.cfg beside it and
    # runs as the base Python, which has pytest on some machines and not on others.
    wrapper = source / ".venv/bin/python"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    (source / "node_modules/.bin").mkdir(parents=True)
    (scratch / "tests").mkdir(parents=True)
    (scratch / "tests/test_a.py").write_text("")
    command = detect_test_command(scratch, source)
    assert command is not None and command[0] == str(source / ".venv/bin/python")
    env = {"PATH": "/usr/bin"}
    notes = dependency_env(scratch, source, env)
    assert env["NODE_PATH"] == str(source / "node_modules")
    assert env["PATH"].startswith(str(source / "node_modules/.bin"))
    assert env["PYTHONPATH"] == str(scratch)
    assert notes == ["using node_modules from the checkout (read-only) for dependencies"]


def test_unknown_test_command_is_reported(make_repo: Callable[..., git.Repo]) -> None:
    repo = make_repo({"a.txt": "x\n"})
    result = run_tests_in_scratch(
        repo.working_tree_dir or "", "HEAD", command="no-such-runner --all"
    )
    assert not result.passed
    assert "no-such-runner" in result.describe()
