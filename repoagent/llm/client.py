"""``OpenAIChatClient``: one model role over any OpenAI-compatible endpoint.

Non-streaming :meth:`~OpenAIChatClient.chat` for tool turns (the reply is repaired and validated,
see :mod:`repoagent.llm.repair`); streaming :meth:`~OpenAIChatClient.stream` for final prose.
Retries, overflow detection and usage accounting happen here; the ``openai`` client's own
retries are switched off so every attempt is counted and ``Retry-After`` is honoured exactly.
The API key is held only by the ``openai`` client and scrubbed from every message we raise.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

import openai

from repoagent.config.settings import RoleConfig
from repoagent.errors import (
    BudgetExhausted,
    ConfigError,
    ContextOverflowError,
    ProviderAuthError,
    ProviderError,
)
from repoagent.llm.discovery import DEFAULT_CONTEXT_WINDOW, context_window_of
from repoagent.llm.failures import (
    RETRYABLE_STATUS,
    RetryPolicy,
    error_text,
    is_context_overflow,
    retry_after_seconds,
)
from repoagent.llm.messages import prepare_messages, without_native_tools
from repoagent.llm.repair import RejectedCall, ToolCall, repair_message
from repoagent.llm.sse import StreamState, chunk_text, peek_is_sse, stream_text
from repoagent.llm.thinking import stream_without_thinking
from repoagent.llm.usage import CallUsage, UsageLedger
from repoagent.resources import read_prompt

log = logging.getLogger("repoagent.llm")
T = TypeVar("T")


@dataclass
class ChatReply:
    """One assistant turn, normalised: what to append to the conversation and what to run."""

    message: dict[str, Any]
    """OpenAI-format assistant dict; every call has an id, ``type`` and JSON-string arguments."""
    content: str | None
    tool_calls: list[ToolCall] = field(default_factory=list)
    """Valid calls of declared tools, ready to run."""
    rejected_calls: list[RejectedCall] = field(default_factory=list)
    """Invalid calls; answer each with ``call.tool_message()`` so the model can correct it."""
    repaired: int = 0
    usage: CallUsage = field(default_factory=CallUsage)
    finish_reason: str = "stop"
    model: str = ""

    @property
    def truncated(self) -> bool:
        """The reply was cut off by ``max_tokens``."""
        return self.finish_reason == "length"


class OpenAIChatClient:
    """A model role (``scout`` or ``maverick``) behind an OpenAI-compatible endpoint."""

    def __init__(
        self,
        config: RoleConfig,
        role: str = "maverick",
        ledger: UsageLedger | None = None,
        *,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.config = config
        self.role = role
        self.ledger = ledger if ledger is not None else UsageLedger()
        self.retry = retry or RetryPolicy(max_retries=config.max_retries)
        key = config.api_key()
        if key is None and config.requires_key:
            names = " or ".join(config.key_variables())
            raise ConfigError(f"{self.where}: no API key; set {names}")
        self._key = key
        self._client = openai.OpenAI(
            base_url=config.base_url,
            api_key=key or "no-key",
            max_retries=0,
            timeout=config.request_timeout,
        )
        self._discovered: int | None = None
        self._discovery_done = False
        self.deadline: float | None = None
        """``time.monotonic()`` past which no request is made or waited for (a run's
        ``--timeout``): a hung server cannot hold the run beyond it; ``BudgetExhausted``."""

    def close(self) -> None:
        """Close the HTTP connections (the client is also a context manager)."""
        self._client.close()

    def __enter__(self) -> OpenAIChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        """``role (model at base_url)``, for messages."""
        return f"{self.role} ({self.config.model} at {self.config.base_url})"

    # -- chat ----------------------------------------------------------------------------------
    def chat(
        self,
        messages: Sequence[Mapping[str, Any]],
        *,
        tools: Sequence[Mapping[str, Any]] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> ChatReply:
        """Send one non-streaming turn; return the repaired, validated reply."""
        request = self._request(messages, max_tokens)
        if tools and self.config.supports_tools:
            request["tools"] = [dict(t) for t in tools]
            if tool_choice is not None:
                request["tool_choice"] = tool_choice
        elif tools:  # no function calling here: describe the tools in text, parse the reply
            instructions = read_prompt("tool_fallback.md")
            request["messages"] = without_native_tools(request["messages"], tools, instructions)
        data, retries = self._send_chat(request)
        choice = data["choices"][0]
        finish = str(choice.get("finish_reason") or "stop")
        message = choice.get("message")
        repaired = repair_message(message if isinstance(message, Mapping) else {}, tools)
        usage = CallUsage.from_openai(data.get("usage"), cost_of=self.config.cost, retries=retries)
        self.ledger.record(
            self.role,
            self.config.model,
            usage,
            repaired=repaired.repaired,
            rejected=len(repaired.rejected),
        )
        content = repaired.message.get("content")
        if finish == "length":
            repaired.rejected = [_cut_off(call) for call in repaired.rejected]
        if finish == "length" and not (content or repaired.tool_calls or repaired.rejected):
            raise ProviderError(
                f"{self.where}: the reply was cut off by max_tokens="
                f"{request['max_tokens']} before any output; raise max_output_tokens"
            )
        if finish == "length":
            log.warning("%s: reply cut off by max_tokens", self.where)
        return ChatReply(
            message=repaired.message,
            content=content,
            tool_calls=repaired.tool_calls,
            rejected_calls=repaired.rejected,
            repaired=repaired.repaired,
            usage=usage,
            finish_reason=finish,
            model=str(data.get("model") or self.config.model),
        )

    def _send_chat(self, request: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """POST one chat request; return the decoded reply (its first choice an object) and the
        retries made. A 200 reply without choices and without an error (a gateway's hiccup) is
        retried like a 5xx; one that carries an error is not."""
        retries = 0
        for attempt in range(self.retry.max_retries + 1):
            raw, failed = self._with_retries(
                lambda: self._client.chat.completions.with_raw_response.create(
                    **request, timeout=self._attempt_timeout()
                ),
                self.retry.max_retries - retries,
            )
            retries += failed
            data = self._decode(raw.text)
            choices = data.get("choices") if isinstance(data, dict) else None
            if isinstance(choices, list) and choices and isinstance(choices[0], Mapping):
                return data, retries
            if retries >= self.retry.max_retries or (isinstance(data, dict) and data.get("error")):
                self._refuse_choiceless(data)
            log.info("%s returned a reply with no choices; retry %d", self.where, retries + 1)
            self.retry.sleep(self._retry_delay(attempt, None))
            retries += 1
        self._refuse_choiceless(data)

    def _refuse_choiceless(self, data: Any) -> NoReturn:
        """Raise the right error for a 200 reply without choices (some gateways put errors here)."""
        error = data.get("error") if isinstance(data, dict) else None
        if not error:
            raise ProviderError(self._scrub(f"{self.where} returned a reply with no choices"))
        message = error_text(data)
        if is_context_overflow(None, message):
            raise ContextOverflowError(self._scrub(f"{self.where}: context overflow: {message}"))
        raise ProviderError(self._scrub(f"{self.where} returned an error: {message}"))

    def stream(
        self, messages: Sequence[Mapping[str, Any]], *, max_tokens: int | None = None
    ) -> Iterator[str]:
        """Stream the text of a final answer; usage is recorded when the stream ends.

        A server that ignores ``stream: true`` (one JSON completion) works too; a stream that
        ends with ``[DONE]`` but no ``finish_reason`` is complete; one that just stops is not.
        A leading ``<think>`` block (a reasoning model without a reasoning parser) is dropped.
        """
        request = self._request(messages, max_tokens)
        request.update(stream=True, stream_options={"include_usage": True})
        raw, retries = self._with_retries(
            lambda: self._client.chat.completions.with_raw_response.create(
                **request, timeout=self._attempt_timeout()
            )
        )
        response = raw.http_response
        state = StreamState()
        try:
            is_sse, lines = peek_is_sse(response.iter_lines())  # the body says, not the header
            if not is_sse:
                data = self._decode("\n".join(lines))
                if not isinstance(data, dict) or not data.get("choices"):
                    self._refuse_choiceless(data)
                state.done = True
                yield from stream_without_thinking(chunk_text(data, state), lambda: state.reasoned)
            else:
                yield from stream_without_thinking(
                    stream_text(lines, state), lambda: state.reasoned
                )
        except ProviderError:
            raise
        except Exception as exc:  # transport (httpx/httpx2) errors mid-stream
            problem = f"{self.where}: the stream broke off ({type(exc).__name__})"
            raise ProviderError(self._scrub(problem)) from None
        finally:
            response.close()
        if state.error is not None:
            raise ProviderError(self._scrub(f"{self.where} returned an error: {state.error}"))
        usage = CallUsage.from_openai(state.usage, cost_of=self.config.cost, retries=retries)
        self.ledger.record(self.role, self.config.model, usage)
        if state.finish_reason is None and not state.done:
            raise ProviderError(f"{self.where}: the stream ended before the answer was complete")
        if state.finish_reason == "length":
            log.warning("%s: streamed answer cut off by max_tokens", self.where)

    def _request(self, messages: Sequence[Mapping[str, Any]], max_tokens: int | None) -> dict:
        return {
            "model": self.config.model,
            "messages": prepare_messages(messages),
            "max_tokens": max_tokens or self.config.max_output_tokens,
            "temperature": self.config.temperature,
        }

    def _decode(self, text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            excerpt = error_text(None, text)
            raise ProviderError(
                self._scrub(f"{self.where} did not return JSON ({excerpt}); is base_url right?")
            ) from None

    # -- retries -------------------------------------------------------------------------------
    def _with_retries(self, send: Callable[[], T], retries: int | None = None) -> tuple[T, int]:
        """Run ``send`` with the retry policy; return its result and the retries made."""
        attempts = (self.retry.max_retries if retries is None else retries) + 1
        for attempt in range(attempts):
            self._check_deadline()
            try:
                return send(), attempt
            except openai.APIStatusError as exc:
                problem, wait = self._judge_status(exc)
            except openai.APITimeoutError:
                problem = f"timed out after {self.config.request_timeout:g} s"
                wait = None
            except openai.APIConnectionError as exc:
                cause = exc.__cause__ or exc
                problem = f"cannot connect ({type(cause).__name__}); is the server running?"
                wait = None
            self._check_deadline()  # a request cut short by the run's deadline is no failure
            if attempt + 1 >= attempts:
                break
            delay = self._retry_delay(attempt, wait)
            log.info(
                "%s; retry %d in %.1f s",
                self._scrub(f"{self.where}: {problem}"),
                attempt + 1,
                delay,
            )
            self.retry.sleep(delay)
        self.ledger.record_failure(self.role, self.config.model, retries=attempt, overflow=False)
        raise ProviderError(
            self._scrub(
                f"{self.where}: {problem} (after {attempts} attempt{'s' if attempts > 1 else ''})"
            )
        )

    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before a retry: the policy's delay, cut to the run's deadline."""
        delay = self.retry.delay(attempt, retry_after)
        if self.deadline is not None:
            delay = max(min(delay, self.deadline - time.monotonic()), 0.0)
        return delay

    def _attempt_timeout(self) -> float:
        """Seconds one request may take: the configured timeout, cut to the deadline."""
        if self.deadline is None:
            return self.config.request_timeout
        return max(min(self.config.request_timeout, self.deadline - time.monotonic()), 0.01)

    def _check_deadline(self) -> None:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise BudgetExhausted("timeout")

    def _judge_status(self, exc: openai.APIStatusError) -> tuple[str, float | None]:
        """Raise for errors not worth retrying; return (problem, Retry-After) for the others."""
        status = exc.status_code
        message = error_text(exc.body, _response_text(exc))
        problem = f"HTTP {status}: {message}"
        if is_context_overflow(status, message):
            self.ledger.record_failure(self.role, self.config.model, retries=0, overflow=True)
            raise ContextOverflowError(self._scrub(f"{self.where}: context overflow: {message}"))
        if status in (401, 403):
            names = " or ".join(self.config.key_variables()) or "REPOAGENT_API_KEY"
            raise ProviderAuthError(
                self._scrub(f"{self.where}: {problem}; check the key in {names}")
            )
        if status == 404:
            raise ProviderError(
                self._scrub(f"{self.where}: {problem}; check the model id and base_url")
            )
        if status not in RETRYABLE_STATUS:
            raise ProviderError(self._scrub(f"{self.where}: {problem}"))
        wait = retry_after_seconds(exc.response.headers)
        if wait is not None and wait > self.retry.max_retry_after:
            raise ProviderError(
                self._scrub(f"{self.where}: {problem}; the server asks to wait {wait:.0f} s")
            )
        return problem, wait

    def _scrub(self, text: str) -> str:
        """Remove the API key from text we are about to raise or log."""
        return text.replace(self._key, "***") if self._key else text

    # -- context window ------------------------------------------------------------------------
    def context_window(self) -> int:
        """Served context in tokens: the smaller of ``/v1/models`` and config, else a default."""
        if not self._discovery_done:
            self._discovery_done = True
            self._discovered = self.discover_context_window()
        known = [n for n in (self._discovered, self.config.context_window) if n]
        return min(known) if known else DEFAULT_CONTEXT_WINDOW

    def list_models(self) -> list[dict[str, Any]]:
        """The raw entries of ``GET /v1/models`` (one try; errors raise ProviderError)."""
        raw, _ = self._with_retries(lambda: self._client.models.with_raw_response.list(), 0)
        data = self._decode(raw.text)
        entries = data.get("data") if isinstance(data, dict) else data
        return [e for e in entries or [] if isinstance(e, dict)]

    def discover_context_window(self) -> int | None:
        """The context ``/v1/models`` reports for this role's model, if any (never raises)."""
        try:
            entries = self.list_models()
        except (ProviderError, BudgetExhausted) as exc:
            log.info("%s: no context window from /v1/models: %s", self.where, exc)
            return None
        for entry in entries:
            if entry.get("id") == self.config.model:
                return context_window_of(entry)
        return None


def _cut_off(call: RejectedCall) -> RejectedCall:
    """Tell the model why its call broke: the reply hit ``max_tokens`` mid-arguments."""
    advice = "the reply was cut off by max_tokens; make the call again with shorter arguments"
    return RejectedCall(call.id, call.name, f"{call.error} ({advice})")


def _response_text(exc: openai.APIStatusError) -> str:
    try:
        return exc.response.text
    except Exception:  # a streamed or closed response has no text to show
        return ""
