"""A scripted OpenAI-compatible server on 127.0.0.1, for repoagent's tests and yours.

It speaks real HTTP, so the real ``openai`` client (and anything built on it) runs unchanged::

    from repoagent.testing import ScriptedLLMServer, replies

    script = [
        replies.tool_calls(("grep", {"pattern": "TODO"})),
        replies.leaked_calls(("read_file", {"path": "a.py"}), style="pythonic"),
        replies.rate_limited(retry_after=1),
        replies.text("done").with_usage(1200, 40, cached_tokens=1024),
    ]
    with ScriptedLLMServer(script, models=[{"id": "m", "max_model_len": 131072}]) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        ...
        assert server.requests[0].body["tools"][0]["function"]["name"] == "grep"

Endpoints: ``GET /v1/models`` (the configured entries; vLLM-style ``max_model_len`` and any other
fields pass through) and ``POST /v1/chat/completions`` (JSON, or SSE when ``stream: true``, with a
final usage chunk when ``stream_options.include_usage``).

Scripts. Each request is answered from the script of the model it names (``scripts={"scout-id":
[...], "maverick-id": [...]}``), else from the default script. A script is:

* a list — a queue of replies, consumed in order;
* a callable ``body -> reply`` — called for every request (use it when requests run concurrently
  and their order is not fixed);
* :class:`Rules` (or a plain list of ``(matcher, reply)`` pairs) — the first matcher that
  accepts the body answers; rules are not consumed.
  A matcher is a callable ``body -> bool`` or a string searched in the request's messages.

A reply is a :class:`~repoagent.testing.llm_replies.Reply` (see the builders in
``repoagent.testing.replies``), a ``str`` (plain text), or a callable ``body -> reply``. An exhausted
or unmatched script answers HTTP 500 ``script exhausted`` so the test fails visibly.
Every request is recorded in ``server.requests`` (method, path, headers, JSON body).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from repoagent.testing.llm_replies import Reply, text
from repoagent.testing.llm_wire import completion, stream_chunks

Body = dict[str, Any]
ReplyLike = Reply | str | Callable[[Body], Any]
Matcher = Callable[[Body], bool] | str


@dataclass
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    """Request headers, names lower-cased."""
    body: Any
    """The parsed JSON body (``None`` for GET; the raw text if it was not JSON)."""

    @property
    def model(self) -> str | None:
        """The ``model`` the request named, if any."""
        return self.body.get("model") if isinstance(self.body, dict) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat messages sent (empty for non-chat requests)."""
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def tool_names(self) -> list[str]:
        """Names of the tools offered in this request."""
        tools = self.body.get("tools") or [] if isinstance(self.body, dict) else []
        return [t.get("function", {}).get("name", "") for t in tools]


@dataclass
class Rules:
    """A script of ``(matcher, reply)`` pairs, checked in order for every request."""

    rules: list[tuple[Matcher, ReplyLike]] = field(default_factory=list)

    def __init__(self, rules: Iterable[tuple[Matcher, ReplyLike]] = ()) -> None:
        self.rules = list(rules)

    def answer(self, body: Body) -> ReplyLike | None:
        """Return the reply of the first matching rule, or ``None``."""
        for matcher, reply in self.rules:
            if _matches(matcher, body):
                return reply
        return None


def _matches(matcher: Matcher, body: Body) -> bool:
    if callable(matcher):
        return bool(matcher(body))
    return matcher in json.dumps(body.get("messages", []), ensure_ascii=False)


Script = Sequence[ReplyLike] | Callable[[Body], Any] | Rules


class ScriptedLLMServer:
    """An OpenAI-compatible HTTP server on 127.0.0.1 answering from scripts; a context manager."""

    def __init__(
        self,
        script: Script | None = None,
        *,
        scripts: Mapping[str, Script] | None = None,
        models: Sequence[str | Mapping[str, Any]] | None = None,
        port: int = 0,
    ) -> None:
        self._lock = threading.Lock()
        self._default: Script | list[ReplyLike] = _own(script)
        self._scripts: dict[str, Script | list[ReplyLike]] = {
            name: _own(value) for name, value in (scripts or {}).items()
        }
        names = list(self._scripts) or ["scripted-model"]
        self.models: list[dict[str, Any]] = [
            {"id": m} if isinstance(m, str) else dict(m) for m in (models or names)
        ]
        self.requests: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> ScriptedLLMServer:
        """Bind a free port on 127.0.0.1 and serve in a background thread."""
        handler = type("Handler", (_Handler,), {"server_ref": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; delayed replies still waiting are abandoned."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The OpenAI base URL of this server, ending in ``/v1``."""
        if self._httpd is None:
            raise RuntimeError("ScriptedLLMServer is not running; use it as a context manager")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    # -- scripting -------------------------------------------------------------------------
    def script(self, replies: Script, model: str | None = None) -> None:
        """Replace the script of ``model`` (or the default script) while running."""
        with self._lock:
            if model is None:
                self._default = _own(replies)
            else:
                self._scripts[model] = _own(replies)

    def add_replies(self, *replies: ReplyLike, model: str | None = None) -> None:
        """Append replies to the queue of ``model`` (or the default queue)."""
        with self._lock:
            queue = self._scripts.get(model, []) if model else self._default
            if not isinstance(queue, list):
                raise TypeError("add_replies needs a list script; use script() to replace it")
            queue.extend(replies)
            if model:
                self._scripts[model] = queue

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The recorded ``POST …/chat/completions`` requests, in arrival order."""
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def pending(self, model: str | None = None) -> int:
        """Number of queued replies not yet consumed (0 for callable or rule scripts)."""
        script = self._scripts.get(model, []) if model else self._default
        return len(script) if isinstance(script, list) else 0

    def next_reply(self, body: Body) -> Reply:
        """Choose the reply for a chat request (used by the HTTP handler)."""
        with self._lock:
            script = self._scripts.get(str(body.get("model")), self._default)
            chosen: Any = None
            if isinstance(script, list):
                chosen = script.pop(0) if script else None
            elif isinstance(script, Rules):
                chosen = script.answer(body)
            elif callable(script):
                chosen = script
        return _resolve(chosen, body)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _wait(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def _own(script: Script | None) -> Script | list[ReplyLike]:
    if script is None:
        return []
    if isinstance(script, Rules) or callable(script):
        return script
    items: list[Any] = list(script)
    if items and all(isinstance(item, tuple) and len(item) == 2 for item in items):
        return Rules(items)  # a list of (matcher, reply) pairs is a rule script
    return items


def _resolve(chosen: Any, body: Body) -> Reply:
    for _ in range(5):  # a callable may return another callable; stop cycles early
        if chosen is None:
            return Reply(status=500, body={"error": {"message": "script exhausted"}})
        if isinstance(chosen, Reply):
            return chosen
        if isinstance(chosen, str):
            return text(chosen)
        if callable(chosen):
            chosen = chosen(body)
            continue
        raise TypeError(f"not a scripted reply: {chosen!r}")
    raise TypeError("scripted reply callables nest too deeply")


class _Handler(BaseHTTPRequestHandler):
    server_ref: ScriptedLLMServer
    protocol_version = "HTTP/1.1"
    # Small replies on keep-alive connections otherwise stall ~40 ms (Nagle + delayed ACK).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _headers(self) -> dict[str, str]:
        return {key.lower(): value for key, value in self.headers.items()}

    def do_GET(self) -> None:
        self.server_ref._record(RecordedRequest("GET", self.path, self._headers(), None))
        if self.path.rstrip("/").endswith("/models"):
            models = [
                {"object": "model", "owned_by": "repoagent-testing", "created": 0, **m}
                for m in self.server_ref.models
            ]
            self._send_json(200, {"object": "list", "data": models})
        else:
            self._send_json(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        try:
            body: Any = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            body = raw
        self.server_ref._record(RecordedRequest("POST", self.path, self._headers(), body))
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, {"error": {"message": f"no route {self.path}"}})
            return
        if not isinstance(body, dict):
            self._send_json(400, {"error": {"message": "request body is not JSON"}})
            return
        try:
            reply = self.server_ref.next_reply(body)
        except Exception as exc:  # a broken script must fail the test visibly, not hang it
            reply = Reply(status=500, body={"error": {"message": f"script error: {exc!r}"}})
        if reply.delay:
            self.server_ref._wait(reply.delay)
        try:
            if reply.status != 200 or reply.body is not None:
                self._send_raw(reply)
            elif body.get("stream"):
                self._send_stream(reply, body)
            else:
                self._send_json(200, completion(reply, body))
        except (BrokenPipeError, ConnectionResetError):  # client gave up (timeout test)
            pass

    def _send_json(self, status: int, payload: Any, headers: Mapping[str, str] = {}) -> None:
        data = json.dumps(payload).encode()
        self._send_bytes(status, data, {"Content-Type": "application/json", **headers})

    def _send_raw(self, reply: Reply) -> None:
        if isinstance(reply.body, dict):
            self._send_json(reply.status, reply.body, reply.headers)
            return
        data = reply.body.encode() if isinstance(reply.body, str) else reply.body or b""
        headers = {"Content-Type": "application/json", **reply.headers}
        self._send_bytes(reply.status, data, headers)

    def _send_bytes(self, status: int, data: bytes, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_stream(self, reply: Reply, body: Body) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunks = list(stream_chunks(reply, body))
        if reply.cut_stream:  # the connection drops halfway: no finish, no [DONE]
            chunks = chunks[: max(len(chunks) // 2, 1)]
        for chunk in chunks:
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        if not reply.cut_stream:
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
