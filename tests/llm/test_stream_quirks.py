"""Streams as sloppy servers send them, from a stand-in server written here (the scripted server
always streams properly): ``stream: true`` ignored, no ``finish_reason`` before ``[DONE]``, an
error in the middle, chunks that are not objects, usage that is not numbers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from repoagent.config import load_settings
from repoagent.errors import ProviderError
from repoagent.llm import OpenAIChatClient, RetryPolicy, UsageLedger

HELLO = [{"role": "user", "content": "hello"}]


def chunk(delta: dict | None = None, finish: str | None = None) -> dict:
    """One chat.completion.chunk with a single choice."""
    return {
        "id": "c",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}],
    }


def sse(*events: object) -> bytes:
    """The events as server-sent events (dicts as JSON, strings as they are)."""
    return b"".join(
        f"data: {e if isinstance(e, str) else json.dumps(e)}\n\n".encode() for e in events
    )


COMPLETION = {
    "id": "c",
    "object": "chat.completion",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "whole"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
}

BODIES: dict[str, tuple[str, bytes]] = {
    "ignores-stream": ("application/json", json.dumps(COMPLETION).encode()),
    "no-finish": (
        "text/event-stream",
        sse(chunk({"content": "one "}), chunk({"content": "two"}), "[DONE]"),
    ),
    "no-finish-no-done": (
        "text/event-stream",
        sse(chunk({"content": "one "}), chunk({"content": "tw"})),
    ),
    "error-midway": (
        "text/event-stream",
        sse(chunk({"content": "one "}), {"error": {"message": "upstream overloaded"}}, "[DONE]"),
    ),
    "junk-chunks": (
        "text/event-stream",
        b": keep-alive\n\n"
        + sse(
            {"choices": [None, "x"]},
            "not json",
            [1, 2],
            chunk({"content": "ok"}),
            {"choices": [], "usage": {"prompt_tokens": "7", "completion_tokens": "n/a"}},
            chunk(finish="stop"),
            "[DONE]",
        ),
    ),
    "usage-not-an-object": (
        "text/event-stream",
        sse(chunk({"content": "ok"}, "stop"), {"choices": [], "usage": "n/a"}, "[DONE]"),
    ),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        content_type, body = BODIES[self.server.mode]  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def serve() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def client_for(server: ThreadingHTTPServer, mode: str, ledger: UsageLedger) -> OpenAIChatClient:
    server.mode = mode  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    settings = load_settings(None, {"base_url": url}, environ={})
    config = settings.role("scout").model_copy(update={"model": "m"})
    return OpenAIChatClient(config, "scout", ledger, retry=RetryPolicy(0, sleep=lambda _s: None))


@pytest.mark.parametrize(
    ("mode", "text", "prompt_tokens"),
    [
        ("ignores-stream", "whole", 12),
        ("no-finish", "one two", 0),
        ("junk-chunks", "ok", 7),
        ("usage-not-an-object", "ok", 0),
    ],
)
def test_sloppy_streams_still_give_the_answer(
    serve: ThreadingHTTPServer, mode: str, text: str, prompt_tokens: int
) -> None:
    ledger = UsageLedger()
    with client_for(serve, mode, ledger) as client:
        assert "".join(client.stream(HELLO)) == text
    (usage,) = ledger.role_usage()
    assert usage.calls == 1 and usage.prompt_tokens == prompt_tokens


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("no-finish-no-done", "the stream ended before the answer was complete"),
        ("error-midway", "returned an error: upstream overloaded"),
    ],
)
def test_broken_streams_are_one_clear_error(
    serve: ThreadingHTTPServer, mode: str, message: str
) -> None:
    pieces: list[str] = []
    client = client_for(serve, mode, UsageLedger())
    with client, pytest.raises(ProviderError, match=message) as err:
        pieces.extend(client.stream(HELLO))
    assert pieces[0] == "one " and "\n" not in str(err.value)
