"""The few seams that matter, named once.

Concrete classes are named ``<Kind><Role>``: ``Llama4Tokenizer``, ``OpenAIChatClient``,
``SandboxToolRunner``. Everything else depends on these protocols, so tests and users can
substitute their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Tokenizer(Protocol):
    """Counts tokens exactly as the model will."""

    name: str
    """Stable identifier used in cache keys and headers (``llama4``, ``o200k``, a file hash)."""

    def count(self, text: str) -> int:
        """Return the exact number of tokens in ``text`` (special-token text counted as text)."""
        ...


@runtime_checkable
class ChatClient(Protocol):
    """One model role behind an OpenAI-compatible endpoint."""

    def chat(
        self,
        messages: Sequence[Mapping[str, Any]],
        *,
        tools: Sequence[Mapping[str, Any]] | None = None,
    ) -> Any:
        """Send one non-streaming turn; return the repaired assistant reply."""
        ...


@runtime_checkable
class ToolRunner(Protocol):
    """Runs the model-facing tools inside the repository sandbox."""

    def run(self, name: str, arguments: Mapping[str, Any]) -> str:
        """Run tool ``name``; return the text shown to the model (errors included)."""
        ...
