"""The review graph on one screen: prepare → scout → investigate (one task per candidate) →
verify → report. Nodes live in ``repoagent/agent/nodes/``; budgets are checked in ``budget.py``.

``graph`` (compiled without a checkpointer) is what ``langgraph.json`` exposes, so a LangGraph
server can run it with its own (Postgres) checkpointer. Its input is
``{"run_id": new_run_id(), "request": ReviewOptions(path=…).request(), "budgets": {…}}``; the
final state's ``report`` is the :class:`~repoagent.findings.model.Report` as JSON.
"""

from __future__ import annotations

from typing import Any, cast

from langgraph.graph import END, START, StateGraph
from langgraph.types import RetryPolicy, Send

from repoagent.agent.nodes.investigate import investigate
from repoagent.agent.nodes.prepare import prepare
from repoagent.agent.nodes.report import report
from repoagent.agent.nodes.scout import scout
from repoagent.agent.nodes.verify import verify
from repoagent.agent.state import InvestigateTask, ReviewState
from repoagent.errors import RepoAgentError

#: Supersteps: prepare/scout up to 4 times (context overflow), investigate, verify, report.
RECURSION_LIMIT = 32


def _transient(exc: BaseException) -> bool:
    """Retry a node only for local hiccups. Provider errors were already retried by the client
    (LangGraph's default policy would also retry HTTP 400s, which never heal)."""
    return isinstance(exc, (ConnectionError, TimeoutError)) and not isinstance(exc, RepoAgentError)


RETRY = RetryPolicy(max_attempts=3, initial_interval=1.0, retry_on=_transient)


def after_scout(state: ReviewState) -> str | list[Send]:
    """Repack on overflow; otherwise fan out one investigate task per candidate."""
    if state.get("overflowed"):
        return "prepare"
    candidates = state.get("candidates", [])
    if not candidates or state.get("stopped_by") or state.get("provider_error"):
        return "verify"
    pack = state["pack"]
    return [
        Send(
            "investigate",
            InvestigateTask(
                run_id=state["run_id"],
                request=state["request"],
                candidate=candidate,
                index=index,
                map_files=pack["map_files"],
                file_count=pack["file_count"],
            ),
        )
        for index, candidate in enumerate(candidates)
    ]


def build_graph() -> StateGraph[Any]:
    """Return the uncompiled review graph."""
    graph = StateGraph(ReviewState)
    graph.add_node("prepare", prepare, retry_policy=RETRY)
    graph.add_node("scout", scout, retry_policy=RETRY)
    # investigate takes an InvestigateTask (sent with Send), not the graph state.
    graph.add_node("investigate", cast(Any, investigate), retry_policy=RETRY)
    graph.add_node("verify", verify, retry_policy=RETRY)
    graph.add_node("report", report)
    graph.add_edge(START, "prepare")
    graph.add_edge("prepare", "scout")
    graph.add_conditional_edges("scout", after_scout, ["prepare", "investigate", "verify"])
    graph.add_edge("investigate", "verify")
    graph.add_edge("verify", "report")
    graph.add_edge("report", END)
    return graph


graph = build_graph().compile()
