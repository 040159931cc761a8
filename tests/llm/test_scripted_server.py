"""The scripted OpenAI-compatible server, driven by the real ``openai`` client."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import openai
import pytest

from repoagent.testing import Rules, ScriptedLLMServer, replies

_OPEN: list[openai.OpenAI] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Close every client a test made: a keep-alive socket left to the garbage collector
    surfaces as an unraisable ResourceWarning in whichever later test collects it."""
    yield
    while _OPEN:
        _OPEN.pop().close()


def _client(server: ScriptedLLMServer) -> openai.OpenAI:
    client = openai.OpenAI(base_url=server.base_url, api_key="test-key", max_retries=0)
    _OPEN.append(client)
    return client


def _ask(client: openai.OpenAI, model: str = "m", text: str = "hi") -> str | None:
    reply = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": text}]
    )
    return reply.choices[0].message.content


def test_base_url_ends_in_v1_and_requests_are_recorded() -> None:
    with ScriptedLLMServer(["hello"]) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.base_url.endswith("/v1")
        assert _ask(_client(server), text="question") == "hello"
    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.messages == [{"role": "user", "content": "question"}]
    assert request.headers["authorization"] == "Bearer test-key"


def test_tool_calls_several_per_reply() -> None:
    script = [replies.tool_calls(("grep", {"pattern": "x"}), ("read_file", {"path": "a.py"}))]
    with ScriptedLLMServer(script) as server:
        reply = _client(server).chat.completions.create(model="m", messages=[])
    calls = reply.choices[0].message.tool_calls or []
    assert [c.function.name for c in calls] == ["grep", "read_file"]
    assert json.loads(calls[1].function.arguments) == {"path": "a.py"}
    assert reply.choices[0].finish_reason == "tool_calls"


def test_scripts_per_model_and_default() -> None:
    scripts = {"scout": ["from scout"], "maverick": ["from maverick"]}
    with ScriptedLLMServer(["default"], scripts=scripts) as server:
        client = _client(server)
        assert _ask(client, "maverick") == "from maverick"
        assert _ask(client, "scout") == "from scout"
        assert _ask(client, "other") == "default"


def test_exhausted_script_answers_500() -> None:
    with ScriptedLLMServer([]) as server, pytest.raises(openai.InternalServerError) as err:
        _ask(_client(server))
    assert "script exhausted" in str(err.value)


def test_callable_and_rules_scripts_answer_by_content() -> None:
    rules = Rules([("alpha", "A"), (lambda body: "beta" in str(body), replies.text("B"))])
    with ScriptedLLMServer(rules) as server:
        client = _client(server)
        assert _ask(client, text="beta") == "B"
        assert _ask(client, text="alpha") == "A"
        with pytest.raises(openai.InternalServerError):
            _ask(client, text="gamma")
        server.script(lambda body: body["messages"][-1]["content"].upper())
        assert _ask(client, text="echo") == "ECHO"


def test_concurrent_requests_with_a_callable_script() -> None:
    with ScriptedLLMServer(lambda body: "re: " + body["messages"][0]["content"]) as server:
        client = _client(server)
        answers: dict[str, str | None] = {}
        threads = [
            threading.Thread(target=lambda n=n: answers.update({n: _ask(client, text=n)}))
            for n in ("a", "b", "c", "d")
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert answers == {n: f"re: {n}" for n in "abcd"}


def test_streaming_with_final_usage_chunk() -> None:
    script = [replies.text("streamed prose here").with_usage(100, 5, cached_tokens=64)]
    with ScriptedLLMServer(script) as server:
        stream = _client(server).chat.completions.create(
            model="m", messages=[], stream=True, stream_options={"include_usage": True}
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "streamed prose here"
    usage = chunks[-1].usage
    assert usage is not None and usage.prompt_tokens == 100
    assert usage.prompt_tokens_details is not None
    assert usage.prompt_tokens_details.cached_tokens == 64


def test_streaming_tool_calls_reassemble() -> None:
    script = [replies.tool_calls(("grep", {"pattern": "needle"}))]
    with ScriptedLLMServer(script) as server:
        stream = _client(server).chat.completions.create(model="m", messages=[], stream=True)
        pieces = [
            d.function.arguments or ""
            for c in stream
            if c.choices
            for d in (c.choices[0].delta.tool_calls or [])
            if d.function
        ]
    assert json.loads("".join(pieces)) == {"pattern": "needle"}


def test_http_error_with_retry_after_header() -> None:
    script = [replies.rate_limited(retry_after=7)]
    with ScriptedLLMServer(script) as server, pytest.raises(openai.RateLimitError) as err:
        _ask(_client(server))
    assert err.value.response.headers["retry-after"] == "7"


def test_models_endpoint_lists_configured_entries() -> None:
    models = [{"id": "llama-4-scout", "max_model_len": 1_000_000}, "llama-4-maverick"]
    with ScriptedLLMServer(models=models) as server:
        listed = _client(server).models.list().data
    assert [m.id for m in listed] == ["llama-4-scout", "llama-4-maverick"]
    assert listed[0].model_extra == {"max_model_len": 1_000_000}


def test_leaked_call_styles_render_as_documented() -> None:
    call = ("grep", {"pattern": 'say "hi"', "paths": ["a", "b"]})
    pythonic = replies.leaked_calls(call, style="pythonic").message
    tagged = replies.leaked_calls(call, style="python_tag").message
    fenced = replies.leaked_calls(call, style="fenced").message
    assert pythonic is not None and pythonic["content"].startswith("[grep(pattern=")
    assert tagged is not None and tagged["content"].startswith("<|python_start|>[grep(")
    assert fenced is not None and fenced["content"].startswith("```json\n{")


def test_pytest_fixture_serves_scripted_replies(llm_server: ScriptedLLMServer) -> None:
    llm_server.add_replies("first", replies.text("second"))
    client = _client(llm_server)
    assert [_ask(client), _ask(client)] == ["first", "second"]
    assert llm_server.pending() == 0


def test_a_list_of_pairs_is_a_rule_script_per_model() -> None:
    scout_rules = [(lambda body: "tools" in body, replies.tool_calls(("ping", {}))), ("", "text")]
    with ScriptedLLMServer(scripts={"scout": scout_rules}) as server:
        client = _client(server)
        assert _ask(client, "scout") == "text"
        assert _ask(client, "scout") == "text"  # rules are not consumed
