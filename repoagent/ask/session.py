"""A conversation about a repository, remembered by the LangGraph checkpointer.

One session is one thread of the conversation graph (:mod:`repoagent.ask.graph`) in the
configured checkpointer (SQLite under ``REPOAGENT_HOME`` by default). The pack is not saved: it
is rebuilt byte-identically on resume from the saved request.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig

from repoagent.ask.answer import Answer, AskServices, Emit
from repoagent.ask.citations import Citation
from repoagent.ask.context import CONVERSATION_RESERVE, AskContext
from repoagent.ask.graph import (
    RECURSION_LIMIT,
    THREAD_PREFIX,
    AskState,
    build_ask_graph,
    list_sessions,
)
from repoagent.errors import ConfigError, ContextOverflowError
from repoagent.findings.model import RoleUsage

SHRINK = 0.6
"""Pack budget factor after a context overflow (the served window was smaller than reported)."""
MIN_SCALE = 0.2
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def new_session_name() -> str:
    """A fresh, sortable session name (``20260101-120000-ab12``)."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


@dataclass
class AskOptions:
    """What ``repoagent ask`` was asked to do."""

    path: Path
    settings: Any
    rev: str | None = None
    """Ask about this revision; ``None`` = the working tree."""
    session: str | None = None
    """Continue this saved session (it must exist)."""
    lang: str | None = None
    progress: Emit | None = None
    """Receives short status lines (packing, tool calls); the CLI prints them on stderr."""


@dataclass
class AskSession:
    """A live conversation: ask questions, add files, see the cost, reset."""

    name: str
    app: Any
    config: RunnableConfig
    options: AskOptions
    emit: Emit
    resumed: bool = False
    _context: AskContext | None = field(default=None, repr=False)
    _clients: tuple[Any, Any] | None = field(default=None, repr=False)

    @property
    def state(self) -> AskState:
        """The saved conversation."""
        values: AskState = self.app.get_state(self.config).values
        return values

    @property
    def request(self) -> dict[str, Any]:
        """Path, revision, pack focus and language of the session."""
        return dict(self.state.get("request") or {})

    def _clients_for(self) -> tuple[Any, Any]:
        if self._clients is None:
            from repoagent.llm import OpenAIChatClient, UsageLedger

            ledger = UsageLedger()
            settings = self.options.settings
            self._clients = (
                OpenAIChatClient(settings.scout, "scout", ledger),
                OpenAIChatClient(settings.maverick, "maverick", ledger),
            )
        return self._clients

    def context(self, query: str | None = None) -> AskContext:
        """The packed repository (built on first use, focused by the session's first question)."""
        if self._context is None:
            request = self.request
            if not request.get("query") and query:
                request["query"] = query
                self.app.update_state(self.config, {"request": request})
            scout = self._clients_for()[0]
            window = int(scout.context_window())
            room = (
                window - int(self.options.settings.scout.max_output_tokens) - CONVERSATION_RESERVE
            )
            budget = max(1000, int(room * float(request.get("budget_scale") or 1.0)))
            rev = request.get("rev")
            self._say(f"packing {request['path']} ({budget:,} tokens at most)")
            self._context = AskContext.build(
                Path(request["path"]), rev, request.get("query"), budget
            )
            shown = sum(1 for f in self._context.files if f.level is not None)
            noun = "file" if shown == 1 else "files"
            self._say(f"packed {shown} {noun} into {self._context.tokens:,} tokens")
        return self._context

    def _shrink_pack(self) -> bool:
        """After a context overflow: rebuild the pack at 60% of its budget (kept for resume)."""
        request = self.request
        scale = float(request.get("budget_scale") or 1.0) * SHRINK
        if scale < MIN_SCALE:
            return False
        request["budget_scale"] = scale
        self.app.update_state(self.config, {"request": request})
        self._say(
            f"the prompt overflowed the model's context; repacking at {scale:.0%} of the budget"
        )
        self._context = None
        return True

    def _say(self, message: str) -> None:
        if self.options.progress is not None:
            self.options.progress(message)

    def ask(self, question: str) -> Answer:
        """Answer ``question`` with the conversation so far; blocks go to ``emit`` as they complete."""
        question = question.strip()
        if not question:
            raise ConfigError("the question is empty")
        scout, maverick = self._clients_for()
        services = AskServices(
            self.context(question),
            scout,
            maverick,
            self.emit,
            self.request.get("lang"),
            progress=self._say,
        )
        try:
            final = self.app.invoke({"question": question}, self.config, context=services)
        except ContextOverflowError:
            if not self._shrink_pack():
                raise
            services.context = self.context(question)
            final = self.app.invoke({"question": question}, self.config, context=services)
        last = final["last"]
        return Answer(
            text=last["answer"],
            citations=[Citation.model_validate(c) for c in last["citations"]],
            answered_by=last["answered_by"],
        )

    def add_file(self, path: str) -> str:
        """Pull a file into the conversation (``/add PATH``); return its repository path."""
        resolved, message = self.context().added_file_message(path)
        state = self.state
        messages = [
            *(state.get("messages") or []),
            {"role": "user", "content": message},
            {"role": "assistant", "content": f"I have read `{resolved}`."},
        ]
        added = [*(state.get("added") or []), resolved]
        self.app.update_state(self.config, {"messages": messages, "added": added})
        return resolved

    def files(self) -> list[str]:
        """What the model has in context, for ``/files``."""
        return self.context().summary(list(self.state.get("added") or []))

    def usage(self) -> list[RoleUsage]:
        """Tokens and cost of the whole session (all turns, resumed ones included)."""
        return [RoleUsage.model_validate(u) for u in self.state.get("usage") or []]

    def last_usage(self) -> list[RoleUsage]:
        """Tokens and cost of the last answer."""
        return [
            RoleUsage.model_validate(u) for u in (self.state.get("last") or {}).get("usage", [])
        ]

    def reset(self) -> None:
        """Forget the conversation and the added files (``/reset``); the pack stays."""
        self.app.update_state(self.config, {"messages": [], "added": []})

    def close(self) -> None:
        """Close the model clients' connections."""
        for client in self._clients or ():
            close = getattr(client, "close", None)
            if close is not None:
                close()
        self._clients = None

    @property
    def turns(self) -> int:
        """Questions answered so far."""
        return sum(1 for m in self.state.get("messages") or [] if m["role"] == "assistant") - len(
            self.state.get("added") or []
        )


@contextmanager
def open_session(options: AskOptions, emit: Emit) -> Iterator[AskSession]:
    """Open a new session, or continue ``options.session`` (which must exist)."""
    from repoagent.agent.checkpoint import open_checkpointer

    root = str(Path(options.path).resolve())
    if options.session is not None and not _NAME.match(options.session):
        raise ConfigError(f"invalid session name {options.session!r} (letters, digits, . _ -)")
    with open_checkpointer(options.settings.checkpointer) as saver:
        app = build_ask_graph().compile(checkpointer=saver)
        name = options.session or new_session_name()
        config: RunnableConfig = {
            "configurable": {"thread_id": THREAD_PREFIX + name},
            "recursion_limit": RECURSION_LIMIT,
        }
        saved = app.get_state(config).values
        if options.session is not None and not saved:
            known = list_sessions(saver)
            hint = (
                f"; saved sessions: {', '.join(known[-10:])}"
                if known
                else "; there are no saved sessions"
            )
            raise ConfigError(f"no ask session named {options.session!r}{hint}")
        if saved:
            if saved["request"]["path"] != root:
                raise ConfigError(
                    f"session {name!r} is about {saved['request']['path']}, not {root}"
                )
            if options.rev is not None and options.rev != saved["request"].get("rev"):
                was = saved["request"].get("rev") or "the working tree"
                raise ConfigError(f"session {name!r} is about {was}; drop --rev to continue it")
        else:
            request = {"path": root, "rev": options.rev, "query": None, "lang": options.lang}
            app.update_state(config, {"request": request, "messages": [], "added": [], "usage": []})
        session = AskSession(name, app, config, options, emit, resumed=bool(saved))
        if saved and options.lang and options.lang != saved["request"].get("lang"):
            app.update_state(config, {"request": {**saved["request"], "lang": options.lang}})
        try:
            yield session
        finally:
            session.close()
