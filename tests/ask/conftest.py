"""Fixtures for ``repoagent ask``: a small repository and the scripted server as Scout/Maverick."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import git
import pytest

from repoagent.testing import ScriptedLLMServer

SCOUT = "scout-test"
MAVERICK = "maverick-test"

FILES = {
    "src/app/retry.py": '''"""Retry policy."""

MAX_ATTEMPTS = 3


def should_retry(status, attempt):
    """Retry 429 and 5xx up to MAX_ATTEMPTS."""
    return attempt < MAX_ATTEMPTS and (status == 429 or status >= 500)
''',
    "src/app/client.py": """from app.retry import should_retry


def fetch(url, attempt=0):
    status = get(url)
    if should_retry(status, attempt):
        return fetch(url, attempt + 1)
    return status
""",
    "README.md": "# app\n\nA tiny HTTP client.\n",
}

#: A right citation, a citation past the end of the file, and one whose line does not hold the
#: name the sentence gives.
ANSWER = (
    "The retry policy is decided by `should_retry` (src/app/retry.py:6-8).\n\n"
    "The limit `MAX_ATTEMPTS` is set at src/app/retry.py:3.\n\n"
    "`fetch` retries itself at src/app/client.py:40.\n\n"
    "`get` is defined at src/app/retry.py:1."
)


@pytest.fixture
def code_repo(make_repo: Callable[..., git.Repo]) -> git.Repo:
    """A small committed repository to ask about."""
    return make_repo(FILES, name="app")


@pytest.fixture
def server() -> Iterator[ScriptedLLMServer]:
    """The scripted server; tests give it replies with ``server.script([...], model=…)``."""
    models = [{"id": SCOUT, "max_model_len": 40000}, {"id": MAVERICK, "max_model_len": 40000}]
    with ScriptedLLMServer(scripts={SCOUT: [], MAVERICK: []}, models=models) as running:
        yield running


def role_env(base_url: str) -> dict[str, str]:
    """REPOAGENT_* variables pointing both roles at the scripted server."""
    return {
        "REPOAGENT_SCOUT_BASE_URL": base_url,
        "REPOAGENT_SCOUT_MODEL": SCOUT,
        "REPOAGENT_MAVERICK_BASE_URL": base_url,
        "REPOAGENT_MAVERICK_MODEL": MAVERICK,
        "REPOAGENT_SCOUT_MAX_RETRIES": "0",
        "REPOAGENT_MAVERICK_MAX_RETRIES": "0",
    }


@pytest.fixture
def model_env(server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point both roles at the scripted server."""
    env = role_env(server.base_url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def scout_requests(server: ScriptedLLMServer) -> list[dict]:
    """Chat request bodies sent to the scout model, in order."""
    return [r.body for r in server.chat_requests if r.model == SCOUT]


def maverick_requests(server: ScriptedLLMServer) -> list[dict]:
    """Chat request bodies sent to the maverick model, in order."""
    return [r.body for r in server.chat_requests if r.model == MAVERICK]
