"""Every model call of a run goes through here: replayed on resume, budgeted, recorded.

:class:`RecordedChat` wraps one role's chat client. Before calling the model it looks the request
up in the run's reply journal (``runs/<id>/replies.jsonl``, keyed by a hash of the request), so a
resumed run replays the replies it already paid for instead of asking again — finer-grained than
LangGraph's per-task writes, which are lost for a task killed half-way through its tool loop.
It asks the :class:`~repoagent.agent.budget.BudgetMeter` before each real call (raising
:class:`~repoagent.errors.BudgetExhausted`) and writes every request and reply, secrets
redacted, to the trajectory (``runs/<id>/trajectory.jsonl``).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from repoagent.agent.budget import BudgetMeter
from repoagent.agent.trajectory import Trajectory
from repoagent.errors import BudgetExhausted, ProviderError


@dataclass
class ModelTurn:
    """One assistant reply, normalised to JSON-ready fields (what the journal stores)."""

    message: dict[str, Any]
    """The assistant message to append to the conversation (OpenAI format)."""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    """Valid calls: ``{"id", "name", "arguments": dict}``."""
    rejected: list[dict[str, Any]] = field(default_factory=list)
    """Invalid calls: ``{"id", "name", "error"}``; the error text goes back to the model."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cost: float = 0.0
    request_key: str = ""
    """Hash of the request this reply answered (names the tool results that follow it)."""

    @property
    def content(self) -> str:
        """The text of the reply (empty when there was none)."""
        return str(self.message.get("content") or "")


class ReplyJournal:
    """Append-only record of the replies of one run, keyed by a hash of the request."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._recorded: dict[str, list[dict[str, Any]]] = {}
        self._served: dict[str, int] = {}
        self._outputs: dict[str, str] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # the last line of a run killed while writing it
                if "output" in entry:
                    self._outputs[entry["key"]] = entry["output"]
                else:
                    self._recorded.setdefault(entry["key"], []).append(entry)

    @property
    def recorded(self) -> list[dict[str, Any]]:
        """Every recorded entry (role, model, key, turn), in no particular order."""
        return [e for entries in self._recorded.values() for e in entries]

    def take(self, key: str) -> ModelTurn | None:
        """Return the next recorded reply for this request, or ``None`` if there is none left."""
        with self._lock:
            index = self._served.get(key, 0)
            entries = self._recorded.get(key, [])
            if index >= len(entries):
                return None
            self._served[key] = index + 1
            return ModelTurn(**{**entries[index]["turn"], "request_key": key})

    def put(self, key: str, role: str, model: str, turn: ModelTurn) -> None:
        """Record a reply (flushed at once, so a ``kill -9`` right after keeps it)."""
        entry = {"key": key, "role": role, "model": model, "turn": asdict(turn)}
        with self._lock:
            self._recorded.setdefault(key, []).append(entry)
            self._served[key] = self._served.get(key, 0) + 1
            self._append(entry)

    def recall(self, key: str, produce: Callable[[], str]) -> str:
        """Return the recorded output of a tool call, or run it and record its output.

        Replaying tool outputs keeps a resumed conversation byte-identical even when a tool's
        output varies between runs (test timings, scratch paths), so later replies replay too.
        """
        with self._lock:
            if key in self._outputs:
                return self._outputs[key]
        output = produce()
        with self._lock:
            self._outputs[key] = output
            self._append({"key": key, "output": output})
        return output

    def _append(self, entry: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")


def request_key(role: str, model: str, messages: Sequence[Any], tools: Sequence[Any] | None) -> str:
    """Hash of everything that determines a reply: role, model, messages and tools."""
    payload = json.dumps(
        {"role": role, "model": model, "messages": messages, "tools": tools or []},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def turn_from_reply(reply: Any) -> ModelTurn:
    """Normalise a :class:`repoagent.llm.ChatReply` into a :class:`ModelTurn`."""
    usage = getattr(reply, "usage", None)

    def _usage(name: str) -> int:
        if usage is None:
            return 0
        value = usage.get(name) if isinstance(usage, Mapping) else getattr(usage, name, 0)
        return int(value or 0)

    return ModelTurn(
        message=dict(reply.message),
        tool_calls=[
            {"id": c.id, "name": c.name, "arguments": dict(c.arguments)}
            for c in (reply.tool_calls or [])
        ],
        rejected=[_rejected(r) for r in (getattr(reply, "rejected_calls", None) or [])],
        prompt_tokens=_usage("prompt_tokens"),
        completion_tokens=_usage("completion_tokens"),
        cached_tokens=_usage("cached_tokens"),
        cost=float(getattr(usage, "cost", 0.0) or 0.0),
    )


def _rejected(call: Any) -> dict[str, Any]:
    if isinstance(call, Mapping):
        return {"id": call.get("id"), "name": call.get("name"), "error": str(call.get("error"))}
    return {
        "id": getattr(call, "id", None),
        "name": getattr(call, "name", None),
        "error": str(getattr(call, "error", call)),
    }


#: What the trajectory says of a reply nested too deeply to be read.
UNREADABLE = "the reply was nested too deeply to be read; taken as an empty reply"


class RecordedChat:
    """One role's chat client with replay, the budget check and the trajectory (the client
    itself charges the run's usage ledger)."""

    def __init__(
        self,
        role: str,
        client: Any,
        *,
        model: str,
        journal: ReplyJournal,
        meter: BudgetMeter,
        trajectory: Trajectory,
    ) -> None:
        self.role = role
        self.client = client
        self.model = model
        self.journal = journal
        self.meter = meter
        self.trajectory = trajectory
        self.replayed = 0
        self._lock = threading.Lock()

    def chat(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> ModelTurn:
        """Return the reply to ``messages``: replayed if recorded, else asked of the model."""
        key = request_key(self.role, self.model, messages, tools)
        recorded = self.journal.take(key)
        if recorded is not None:
            with self._lock:
                self.replayed += 1
            self.trajectory.record(
                self.role, self.model, messages, tools, turn=recorded, replayed=True
            )
            return recorded
        stopped = self.meter.exhausted()
        if stopped:
            raise BudgetExhausted(stopped)
        started = time.monotonic()
        try:
            reply = self.client.chat(messages, tools=tools)
        except ProviderError as exc:
            self.trajectory.record(self.role, self.model, messages, tools, error=str(exc))
            raise
        except RecursionError:
            # The client's search for calls leaked into the text recurses once per bracket
            # (repoagent/llm/leaked_calls.py): a reply nested hundreds deep holds no usable call
            # and is taken as an empty one (not journaled, so a resume asks again).
            self.trajectory.record(self.role, self.model, messages, tools, error=UNREADABLE)
            return ModelTurn(message={"role": "assistant", "content": ""}, request_key=key)
        turn = turn_from_reply(reply)
        turn.request_key = key
        self.journal.put(key, self.role, self.model, turn)  # the client charged the ledger
        self.trajectory.record(
            self.role, self.model, messages, tools, turn=turn, seconds=time.monotonic() - started
        )
        return turn
