"""The live objects one run needs (model clients, tools, budget meter, trajectory), by run id.

Graph state stays plain JSON; nodes look their services up with :func:`services_for`.
:func:`repoagent.agent.run_review` registers them before invoking the graph. When the graph is
served elsewhere (``langgraph.json`` on a LangGraph server), nothing is registered and the
services are built from the state: settings loaded for the repository, budgets from the state.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repoagent.agent.budget import BudgetMeter
from repoagent.agent.options import Budgets, ProgressCallback
from repoagent.agent.recorder import RecordedChat, ReplyJournal
from repoagent.agent.runs import run_dir
from repoagent.agent.trajectory import Trajectory
from repoagent.errors import ConfigError

_REGISTRY: dict[str, RunServices] = {}
_LOCK = threading.Lock()


@dataclass
class RunServices:
    """Model clients per role, the sandboxed tools and the run's ledger, for one run id."""

    run_id: str
    directory: Path
    settings: Any
    meter: BudgetMeter
    journal: ReplyJournal
    trajectory: Trajectory
    scout: RecordedChat
    maverick: RecordedChat
    progress: ProgressCallback | None = None
    _tools: Any = field(default=None, repr=False)
    _tools_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def create(
        cls,
        run_id: str,
        settings: Any,
        budgets: Budgets,
        progress: ProgressCallback | None = None,
    ) -> RunServices:
        """Build the services of a run; a resumed run's journal seeds the meter and the replays."""
        from repoagent.llm import CallUsage, OpenAIChatClient, UsageLedger

        directory = run_dir(run_id)
        ledger = UsageLedger()
        meter = BudgetMeter(budgets, ledger)
        journal = ReplyJournal(directory / "replies.jsonl")
        trajectory = Trajectory(directory)
        chats = {}
        for role in ("scout", "maverick"):
            config = getattr(settings, role)
            client = OpenAIChatClient(config, role, ledger)
            if budgets.timeout is not None:  # a hung server cannot hold the run past --timeout
                client.deadline = meter.started + budgets.timeout
            chats[role] = RecordedChat(
                role,
                client,
                model=config.model,
                journal=journal,
                meter=meter,
                trajectory=trajectory,
            )
        # Replies recorded before a crash were paid for: they count against this run's budgets.
        for entry in journal.recorded:
            turn = entry["turn"]
            meter.seed(
                entry["role"],
                entry["model"],
                CallUsage(
                    turn["prompt_tokens"],
                    turn["completion_tokens"],
                    turn["cached_tokens"],
                    turn.get("cost", 0.0),
                ),
            )
        return cls(
            run_id=run_id,
            directory=directory,
            settings=settings,
            meter=meter,
            journal=journal,
            trajectory=trajectory,
            scout=chats["scout"],
            maverick=chats["maverick"],
            progress=progress,
        )

    def close(self) -> None:
        """Close the model clients' connections (the run is over)."""
        for chat in (self.scout, self.maverick):
            close = getattr(chat.client, "close", None)
            if close is not None:
                close()

    def say(self, message: str) -> None:
        """Report one step of progress (to the CLI's stderr console, or nowhere)."""
        if self.progress is not None:
            self.progress(message)

    def tools(self, request: Mapping[str, Any]) -> Any:
        """Return the run's :class:`~repoagent.toolbox.SandboxToolRunner` (built once)."""
        with self._tools_lock:
            if self._tools is None:
                from repoagent.toolbox import SandboxToolRunner

                self._tools = SandboxToolRunner(
                    request["path"],
                    None if request["worktree"] else request["rev"],
                    run_tests=bool(request["run_tests"]),
                    test_command=getattr(self.settings, "test_command", None),
                )
            return self._tools


def register(services: RunServices) -> None:
    """Make a run's services visible to the graph's nodes."""
    with _LOCK:
        _REGISTRY[services.run_id] = services


def unregister(run_id: str) -> None:
    """Forget a run's services once its graph invocation is over."""
    with _LOCK:
        _REGISTRY.pop(run_id, None)


def services_for(state: Mapping[str, Any]) -> RunServices:
    """Return the services of the run in ``state``, building them if none were registered."""
    if not state.get("run_id") or not state.get("request"):
        raise ConfigError(
            "the review graph's input needs `run_id` (repoagent.agent.runs.new_run_id()) and "
            "`request` (ReviewOptions(...).request())"
        )
    run_id = state["run_id"]
    with _LOCK:
        found = _REGISTRY.get(run_id)
    if found is not None:
        return found
    from repoagent.config import load_settings

    settings = load_settings(Path(state["request"]["path"]), {})
    services = RunServices.create(run_id, settings, Budgets(**state.get("budgets", {})))
    register(services)
    return services
