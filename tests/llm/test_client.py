"""OpenAIChatClient against the scripted server: retries, faults, overflow, usage, streaming."""

from __future__ import annotations

import socket

import pytest

from repoagent.errors import ConfigError, ContextOverflowError, ProviderAuthError, ProviderError
from repoagent.llm import META_KEY, UsageLedger
from repoagent.testing import ScriptedLLMServer, replies

from .conftest import MakeClient, SleepRecorder

HELLO = [{"role": "user", "content": "hello"}]


def test_plain_chat_returns_content_and_records_usage(make_client: MakeClient) -> None:
    ledger = UsageLedger()
    script = [replies.text("hi there").with_usage(1000, 20, cached_tokens=800)]
    with ScriptedLLMServer(script) as server:
        client = make_client(
            server,
            ledger=ledger,
            input_price_per_m=1.0,
            output_price_per_m=2.0,
            cached_input_price_per_m=0.25,
        )
        reply = client.chat(HELLO)
    assert reply.content == "hi there"
    assert reply.message == {"role": "assistant", "content": "hi there"}
    assert (reply.usage.prompt_tokens, reply.usage.cached_tokens) == (1000, 800)
    assert reply.usage.cost == pytest.approx((200 * 1.0 + 800 * 0.25 + 20 * 2.0) / 1e6)
    (usage,) = ledger.role_usage()
    assert (usage.role, usage.model, usage.calls, usage.cached_tokens) == ("maverick", "m", 1, 800)


def test_usage_totals_add_up_over_calls_and_roles(make_client: MakeClient) -> None:
    ledger = UsageLedger()
    script = [replies.text(str(n)).with_usage(100, 10, cached_tokens=n) for n in range(3)]
    with ScriptedLLMServer(script) as server:
        for role in ("scout", "maverick", "maverick"):
            make_client(server, role, ledger).chat(HELLO)
    scout, maverick = ledger.role_usage()
    assert (scout.role, scout.calls, scout.prompt_tokens) == ("scout", 1, 100)
    assert (maverick.calls, maverick.completion_tokens, maverick.cached_tokens) == (2, 20, 3)
    assert ledger.total_tokens == 330


def test_request_carries_model_settings_and_strips_metadata(make_client: MakeClient) -> None:
    messages = [{"role": "user", "content": "x", META_KEY: {"stage": "scout"}}]
    with ScriptedLLMServer(["ok"]) as server:
        make_client(server, max_output_tokens=321, temperature=0.2).chat(messages)
    body = server.chat_requests[0].body
    assert body["model"] == "m" and body["max_tokens"] == 321 and body["temperature"] == 0.2
    assert body["messages"] == [{"role": "user", "content": "x"}]
    assert messages[0][META_KEY] == {"stage": "scout"}  # the caller's copy keeps it


def test_429_honours_retry_after_then_succeeds(
    make_client: MakeClient, sleeps: SleepRecorder
) -> None:
    ledger = UsageLedger()
    script = [replies.rate_limited(retry_after=7), replies.rate_limited(retry_after=2), "ok"]
    with ScriptedLLMServer(script) as server:
        reply = make_client(server, ledger=ledger).chat(HELLO)
    assert reply.content == "ok"
    assert sleeps == [7.0, 2.0]
    assert reply.usage.retries == 2 and ledger.totals("maverick").retries == 2
    assert len(server.chat_requests) == 3


def test_5xx_retries_with_exponential_backoff_until_exhausted(
    make_client: MakeClient, sleeps: SleepRecorder
) -> None:
    with (
        ScriptedLLMServer([replies.server_error(503)] * 3) as server,
        pytest.raises(ProviderError) as err,
    ):
        make_client(server, max_retries=2).chat(HELLO)
    assert sleeps == [0.5, 1.0]
    assert len(server.chat_requests) == 3
    message = str(err.value)
    assert "maverick (m at http://127.0.0.1" in message and "HTTP 503" in message
    assert "after 3 attempts" in message
    assert err.value.exit_code == 3


def test_retry_after_too_long_fails_at_once(make_client: MakeClient) -> None:
    with (
        ScriptedLLMServer([replies.rate_limited(retry_after=3600)]) as server,
        pytest.raises(ProviderError, match="asks to wait 3600 s"),
    ):
        make_client(server).chat(HELLO)
    assert len(server.chat_requests) == 1


@pytest.mark.parametrize(
    ("reply", "error", "hint"),
    [
        (replies.http_error(400, {"error": {"message": "bad field"}}), ProviderError, "bad field"),
        (replies.http_error(401), ProviderAuthError, "check the key in REPOAGENT_API_KEY"),
        (replies.http_error(403), ProviderAuthError, "HTTP 403"),
        (replies.http_error(404), ProviderError, "check the model id and base_url"),
    ],
)
def test_client_errors_are_not_retried(
    make_client: MakeClient, sleeps: SleepRecorder, reply: replies.Reply, error: type, hint: str
) -> None:
    with ScriptedLLMServer([reply, "never"]) as server, pytest.raises(error, match=hint):
        make_client(server).chat(HELLO)
    assert len(server.chat_requests) == 1 and sleeps == []


@pytest.mark.parametrize("wording", ["vllm", "llamacpp", "openai"])
def test_context_overflow_is_its_own_error(
    make_client: MakeClient, wording: replies.OverflowWording
) -> None:
    ledger = UsageLedger()
    with (
        ScriptedLLMServer([replies.context_overflow(wording), "never"]) as server,
        pytest.raises(ContextOverflowError, match="context overflow"),
    ):
        make_client(server, ledger=ledger).chat(HELLO)
    assert len(server.chat_requests) == 1
    assert ledger.totals("maverick").overflows == 1


def test_timeout_is_retried(make_client: MakeClient, sleeps: SleepRecorder) -> None:
    with ScriptedLLMServer([replies.text("late").after(5), "on time"]) as server:
        reply = make_client(server, request_timeout=0.2).chat(HELLO)
    assert reply.content == "on time"
    assert len(sleeps) == 1


def test_timeouts_exhausted_say_so(make_client: MakeClient) -> None:
    with (
        ScriptedLLMServer([replies.text("late").after(5)] * 2) as server,
        pytest.raises(ProviderError, match=r"timed out after 0.2 s \(after 2 attempts\)"),
    ):
        make_client(server, request_timeout=0.2, max_retries=1).chat(HELLO)


def test_unreachable_endpoint_names_role_and_url(make_client: MakeClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with ScriptedLLMServer() as server:
        client = make_client(server, base_url=f"http://127.0.0.1:{port}/v1", max_retries=1)
    with pytest.raises(ProviderError) as err:
        client.chat(HELLO)
    assert f"127.0.0.1:{port}/v1" in str(err.value)
    assert "cannot connect" in str(err.value) and "is the server running?" in str(err.value)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (replies.html_error_page(502), "HTML error page: 502 Bad Gateway"),
        (replies.raw("<html><body>proxy login</body></html>", content_type="text/html"), "JSON"),
        (replies.raw('{"id": "x", "choices": [{"message": {"rol'), "did not return JSON"),
        (replies.no_choices(), "no choices"),
        (replies.truncated(""), "cut off by max_tokens=4096 before any output"),
    ],
)
def test_malformed_replies_are_clear_provider_errors(
    make_client: MakeClient, reply: replies.Reply, expected: str
) -> None:
    with ScriptedLLMServer([reply] * 5) as server, pytest.raises(ProviderError) as err:
        make_client(server, max_retries=1).chat(HELLO)
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


def test_truncated_reply_with_text_is_returned_and_flagged(make_client: MakeClient) -> None:
    with ScriptedLLMServer([replies.truncated("partial answ")]) as server:
        reply = make_client(server).chat(HELLO)
    assert reply.truncated and reply.content == "partial answ"


def test_stream_yields_text_and_records_usage(make_client: MakeClient) -> None:
    ledger = UsageLedger()
    script = [replies.rate_limited(1), replies.text("a streamed answer").with_usage(50, 4, 32)]
    with ScriptedLLMServer(script) as server:
        pieces = list(make_client(server, "scout", ledger).stream(HELLO))
    assert "".join(pieces) == "a streamed answer" and len(pieces) > 1
    body = server.chat_requests[-1].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    totals = ledger.totals("scout")
    assert (totals.prompt_tokens, totals.cached_tokens, totals.retries) == (50, 32, 1)


def test_context_window_from_models_endpoint(make_client: MakeClient) -> None:
    models = [{"id": "m", "max_model_len": 65536}, {"id": "other", "max_model_len": 9}]
    with ScriptedLLMServer(models=models) as server:
        assert make_client(server).context_window() == 65536
        assert make_client(server, context_window=32000).context_window() == 32000
    with ScriptedLLMServer(models=[{"id": "m", "context_length": 40000}]) as server:
        assert make_client(server).context_window() == 40000
    with ScriptedLLMServer(models=["m"]) as server:
        assert make_client(server, context_window=50000).context_window() == 50000


def test_missing_required_key_names_the_variables(make_client: MakeClient) -> None:
    with ScriptedLLMServer() as server, pytest.raises(ConfigError) as err:
        make_client(server, requires_key=True, api_key_env="FIREWORKS_API_KEY")
    assert "set FIREWORKS_API_KEY or REPOAGENT_API_KEY" in str(err.value)
    assert str(err.value).startswith("maverick (m at http://127.0.0.1")


def test_dropped_stream_is_a_provider_error_after_the_partial_text(make_client: MakeClient) -> None:
    with ScriptedLLMServer([replies.dropped_stream()]) as server:
        pieces: list[str] = []
        with pytest.raises(ProviderError, match="stream ended before the answer was complete"):
            pieces.extend(make_client(server, "scout").stream(HELLO))
    assert pieces and "never ends" not in "".join(pieces)


def test_error_object_in_a_200_reply(make_client: MakeClient) -> None:
    gateway = replies.Reply(body={"error": {"message": "Provider returned error", "code": 502}})
    overflow = replies.Reply(
        body={"error": {"message": "prompt is too long: 300000 tokens > 262144 maximum"}}
    )
    with ScriptedLLMServer([gateway, overflow]) as server:
        client = make_client(server)
        with pytest.raises(ProviderError, match="returned an error: Provider returned error"):
            client.chat(HELLO)
        with pytest.raises(ContextOverflowError):
            client.chat(HELLO)


def test_call_cut_off_by_max_tokens_goes_back_to_the_model(make_client: MakeClient) -> None:
    cut = replies.tool_calls(("list_files", '{"path": "sr'))
    cut = replies.Reply(message=cut.message, finish_reason="length")
    tools = [{"type": "function", "function": {"name": "list_files", "parameters": {}}}]
    with ScriptedLLMServer([cut]) as server:
        reply = make_client(server).chat(HELLO, tools=tools)
    (rejected,) = reply.rejected_calls
    assert "cut off by max_tokens" in rejected.error and reply.truncated
