"""Fixtures for the model layer: a role config pointing at the scripted server, no sleeping."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from repoagent.config import RoleConfig, load_settings
from repoagent.llm import OpenAIChatClient, RetryPolicy, UsageLedger
from repoagent.testing import ScriptedLLMServer
from repoagent.testing.pytest_plugin import llm_server  # noqa: F401  (the fixture users get)


class SleepRecorder(list[float]):
    """Stands in for time.sleep: records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    """The waits the client asked for."""
    return SleepRecorder()


MakeClient = Callable[..., OpenAIChatClient]


@pytest.fixture
def make_client(sleeps: SleepRecorder) -> Iterator[MakeClient]:
    """``make_client(server, role="maverick", **role_overrides)`` → a client on that server
    (closed after the test, so no keep-alive socket is left for the garbage collector)."""
    made: list[OpenAIChatClient] = []

    def make(
        server: ScriptedLLMServer,
        role: str = "maverick",
        ledger: UsageLedger | None = None,
        **overrides: Any,
    ) -> OpenAIChatClient:
        settings = load_settings(None, {"base_url": server.base_url}, environ={})
        config: RoleConfig = settings.role(role).model_copy(update={"model": "m", **overrides})
        retry = RetryPolicy(max_retries=config.max_retries, base_delay=0.5, sleep=sleeps)
        client = OpenAIChatClient(config, role, ledger, retry=retry)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
