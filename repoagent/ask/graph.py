"""The conversation graph: one node that answers a question with the conversation so far.

A session is one LangGraph thread (``ask:<name>``); the state is plain JSON — the request (path,
revision, pack focus, language), the turns, the added files and the cost — never the pack or
the clients, which arrive as the run's context (:class:`~repoagent.ask.answer.AskServices`).
"""

from __future__ import annotations

from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from repoagent.ask.answer import AskServices, answer_question
from repoagent.ask.usage import add_usage, usage_delta

THREAD_PREFIX = "ask:"
RECURSION_LIMIT = 8


class AskState(TypedDict, total=False):
    """The checkpointed conversation."""

    question: str
    request: dict[str, Any]
    messages: list[dict[str, Any]]
    added: list[str]
    usage: list[dict[str, Any]]
    last: dict[str, Any]


def _answer_node(state: AskState, runtime: Runtime[AskServices]) -> dict[str, Any]:
    history = list(state.get("messages") or [])
    question = state["question"]
    services = runtime.context
    ledger = services.scout.ledger
    before = {u.role: u for u in ledger.role_usage()}
    answer = answer_question(services, history, question)
    turn = [usage_delta(u, before.get(u.role)) for u in ledger.role_usage()]
    turn = [u for u in turn if u.calls]
    return {
        "messages": [
            *history,
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ],
        "usage": add_usage(state.get("usage") or [], turn),
        "last": {
            "answer": answer.text,
            "answered_by": answer.answered_by,
            "citations": [c.model_dump() for c in answer.citations],
            "usage": [u.model_dump() for u in turn],
        },
    }


def build_ask_graph() -> StateGraph[Any, Any, Any, Any]:
    """The one-node conversation graph, uncompiled (it needs :class:`AskServices` as context)."""
    graph: StateGraph[Any, Any, Any, Any] = StateGraph(AskState, context_schema=AskServices)
    graph.add_node("answer", _answer_node)
    graph.add_edge(START, "answer")
    graph.add_edge("answer", END)
    return graph


def list_sessions(saver: Any) -> list[str]:
    """Names of the saved sessions in a checkpointer."""
    names = set()
    for item in saver.list(None):
        thread = str(item.config["configurable"].get("thread_id", ""))
        if thread.startswith(THREAD_PREFIX):
            names.add(thread[len(THREAD_PREFIX) :])
    return sorted(names)
