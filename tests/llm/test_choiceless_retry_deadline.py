"""The wait before retrying a reply with no choices keeps to the run's deadline, as every other
retry does: a run with 5 s left does not sleep the policy's 60 s."""

from __future__ import annotations

import time

from repoagent.llm import RetryPolicy
from repoagent.testing import ScriptedLLMServer, replies

from .conftest import MakeClient, SleepRecorder


def test_a_choiceless_retry_waits_no_longer_than_the_deadline(
    make_client: MakeClient, sleeps: SleepRecorder
) -> None:
    with ScriptedLLMServer([replies.no_choices(), replies.text("hi")]) as server:
        client = make_client(server, max_retries=2)
        client.retry = RetryPolicy(max_retries=2, base_delay=60, max_delay=60, sleep=sleeps)
        client.deadline = time.monotonic() + 5
        assert client.chat([{"role": "user", "content": "hello"}]).content == "hi"
    assert len(sleeps) == 1 and sleeps[0] <= 5
