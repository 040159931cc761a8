"""Read the served context window from a ``/v1/models`` entry, whatever the server calls it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_CONTEXT_WINDOW = 131072
"""Used when neither the server nor the configuration says (Llama 4's common served size)."""

# vLLM: max_model_len; OpenRouter/Fireworks/Together: context_length (OpenRouter also under
# top_provider); llama.cpp: meta.n_ctx when the server reports its slot size; others: below.
_KEYS = ("max_model_len", "context_length", "context_window", "max_context_length", "n_ctx")


def context_window_of(entry: Mapping[str, Any]) -> int | None:
    """The served context in tokens from one ``/v1/models`` entry, or ``None`` if not reported."""
    for scope in (entry, entry.get("top_provider"), entry.get("meta")):
        if not isinstance(scope, Mapping):
            continue
        for key in _KEYS:
            value = scope.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                return int(value)
            if isinstance(value, str) and value.isdigit() and int(value) > 0:
                return int(value)
    return None
