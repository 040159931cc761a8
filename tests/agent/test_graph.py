"""The graph as a LangGraph server sees it: ``langgraph.json`` names a compiled graph."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from langgraph.graph.state import CompiledStateGraph

ROOT = Path(__file__).resolve().parents[2]


def test_langgraph_json_exposes_the_compiled_review_graph() -> None:
    config = json.loads((ROOT / "langgraph.json").read_text())
    file_part, attr = config["graphs"]["review"].split(":")
    spec = importlib.util.spec_from_file_location("served_review_graph", ROOT / file_part)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    graph = getattr(module, attr)
    assert isinstance(graph, CompiledStateGraph)
    assert {"prepare", "scout", "investigate", "verify", "report"} <= set(graph.nodes)


def test_public_api_of_the_agent() -> None:
    import repoagent.agent

    assert sorted(repoagent.agent.__all__) == [
        "Budgets",
        "ProgressCallback",
        "ReviewOptions",
        "run_review",
    ]
