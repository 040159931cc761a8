"""How a failed request is judged: retry it, shrink the prompt, or stop with a clear message.

Retried: 429 (after ``Retry-After`` when sent), 408, 409, 5xx, connection errors, timeouts.
Not retried: 400, 401, 403, 404, 422 — repeating the same request cannot help. A 400 whose text
says the prompt did not fit is a context overflow, in any of the servers' wordings.
"""

from __future__ import annotations

import email.utils
import html
import json
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

RETRYABLE_STATUS = frozenset({408, 409, 429}) | frozenset(range(500, 600))

# vLLM: "This model's maximum context length is N tokens. However, you requested M tokens…"
# llama.cpp: "the request exceeds the available context size" (type exceed_context_size_error)
# OpenAI and gateways: code "context_length_exceeded"; others: "prompt is too long", "too many
# tokens", "reduce the length of the messages", "context window".
_OVERFLOW = re.compile(
    r"maximum context length|context_length_exceeded|exceed_context_size|exceeds? the "
    r"(?:available )?context|context (?:size|window|length) (?:has been |was )?exceeded|"
    r"prompt is too long|too many (?:input )?tokens|input is too long|reduce the length of the "
    r"(?:messages|prompt)|longer than the model'?s context|exceeds? (?:the )?(?:model'?s )?"
    r"(?:max(?:imum)? )?context",
    re.IGNORECASE,
)


def is_context_overflow(status: int | None, text: str) -> bool:
    """True when an error response says the prompt exceeded the served context window."""
    return status in (None, 400, 413, 422, 500) and bool(_OVERFLOW.search(text))


def error_text(body: Any, raw: str = "") -> str:
    """A short, single-line description of an error body (JSON message, HTML title, or text)."""
    if isinstance(body, str):
        body, raw = None, raw or body
    message = _json_message(body)
    if message is None and raw:
        try:
            message = _json_message(json.loads(raw))
        except ValueError:
            title = re.search(r"<title>(.*?)</title>", raw, re.IGNORECASE | re.S)
            if title:
                message = f"HTML error page: {html.unescape(title.group(1)).strip()}"
            elif raw.lstrip().startswith("<"):
                message = "HTML error page instead of JSON"
            else:
                message = raw
    text = " ".join(str(message or "no error message").split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _json_message(body: Any) -> str | None:
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping):
            for key in ("message", "detail", "msg"):
                if inner.get(key):
                    return str(inner[key])
        elif isinstance(inner, str):
            return inner
        if body.get("message"):
            return str(body["message"])
    return None


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms``, ``Retry-After`` secs or date)."""
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in lowered:
        millis = _seconds(lowered["retry-after-ms"])
        if millis is not None:
            return millis / 1000
    value = lowered.get("retry-after")
    if not value:
        return None
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:  # an HTTP date; a server's junk ("abc", "soon") is no hint at all
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(parsed.timestamp() - time.time(), 0.0) if parsed else None


def _seconds(text: str) -> float | None:
    """A non-negative number of seconds, or None (``nan``, ``inf`` and words are not waits)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return max(value, 0.0) if math.isfinite(value) else None


@dataclass
class RetryPolicy:
    """Exponential backoff with an honoured ``Retry-After``; ``sleep`` is injectable for tests."""

    max_retries: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 300.0
    """A ``Retry-After`` longer than this is not waited for: the call fails at once."""
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        if retry_after is not None:
            return retry_after
        return min(self.base_delay * (2**attempt), self.max_delay)
