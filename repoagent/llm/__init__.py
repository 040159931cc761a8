"""The model layer: a chat client per role over any OpenAI-compatible endpoint.

``OpenAIChatClient(config, role, ledger)`` sends non-streaming tool turns (replies repaired and
validated: calls recovered from ``content``, arguments normalised and checked against the tool's
schema, invalid calls returned as ``rejected_calls`` to feed back) and streams final prose.
Retries 429/5xx/timeouts with backoff, raises ``ContextOverflowError`` on a context-overflow 400
and ``ProviderError`` otherwise. ``UsageLedger`` counts tokens, cached tokens, cost, retries and
repairs per role.
"""

from repoagent.llm.client import ChatReply, OpenAIChatClient
from repoagent.llm.discovery import DEFAULT_CONTEXT_WINDOW, context_window_of
from repoagent.llm.failures import RetryPolicy, is_context_overflow
from repoagent.llm.messages import META_KEY, meta_of, prepare_messages, with_meta
from repoagent.llm.repair import RejectedCall, RepairedMessage, ToolCall, repair_message
from repoagent.llm.usage import CallUsage, RoleTotals, UsageLedger

__all__ = [
    "DEFAULT_CONTEXT_WINDOW",
    "META_KEY",
    "CallUsage",
    "ChatReply",
    "OpenAIChatClient",
    "RejectedCall",
    "RepairedMessage",
    "RetryPolicy",
    "RoleTotals",
    "ToolCall",
    "UsageLedger",
    "context_window_of",
    "is_context_overflow",
    "meta_of",
    "prepare_messages",
    "repair_message",
    "with_meta",
]
