"""Fixtures for the agent tests: the planted-bugs example as a real git repo, the scripted
server answering as Scout and Maverick, and settings pointing both roles at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import git
import pytest

from repoagent.agent import Budgets, ReviewOptions, run_review
from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer
from tests.agent.scripts import (
    MAVERICK,
    SCOUT,
    example_files,
    maverick_script,
    role_env,
    scout_script,
)


@pytest.fixture
def planted(make_repo: Callable[..., git.Repo]) -> git.Repo:
    """The planted-bugs example, copied into a tmp dir and committed."""
    return make_repo(example_files(), message="planted bugs", name="planted")


@pytest.fixture
def server() -> Iterator[ScriptedLLMServer]:
    """A scripted server answering the planted-bugs review (Scout queue, Maverick by content)."""
    models = [{"id": SCOUT, "max_model_len": 60000}, {"id": MAVERICK, "max_model_len": 60000}]
    scripts: dict[str, Any] = {SCOUT: scout_script(), MAVERICK: maverick_script()}
    with ScriptedLLMServer(scripts=scripts, models=models) as running:
        yield running


@pytest.fixture
def model_env(server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point both roles at the scripted server through REPOAGENT_* variables."""
    env = role_env(server.base_url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def review(model_env: dict[str, str]) -> Callable[..., Report]:
    """Run a review in-process: ``review(repo_path, max_turns=…, run_tests=…, …)``."""

    def _review(path: Path | str, budgets: Budgets | None = None, **options: Any) -> Report:
        options.setdefault("concurrency", 3)
        return run_review(ReviewOptions(path=path, budgets=budgets or Budgets(), **options))

    return _review


def chat_requests(server: ScriptedLLMServer, model: str) -> list[dict[str, Any]]:
    """Bodies of the chat requests the server received for ``model``, in arrival order."""
    return [r.body for r in server.chat_requests if r.model == model]


@pytest.fixture(autouse=True)
def fast_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test runs inside scratch copies skip the dev venv's plugins (hypothesis, ...) to stay fast."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
