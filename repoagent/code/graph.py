"""The file graph (a file that uses a name → the files that define it) and PageRank over it.

PageRank is a plain power iteration with a personalization (teleport) vector; dangling files
teleport too. Edge weights follow aider's repo map: more uses weigh more (square root), private,
short and widely defined names weigh less.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from pathlib import PurePosixPath

from repoagent.code.index import SymbolIndex

Graph = dict[str, dict[str, float]]
"""``graph[src][dst] = weight``."""
_WEAK_KINDS = {"name": 0.5, "module": 0.5}
# Names only link files that can see each other's definitions.
FAMILIES = {"typescript": "js", "tsx": "js", "javascript": "js", "c": "c", "cpp": "c"}


def _family(language: str | None) -> str | None:
    return FAMILIES.get(language, language) if language else None


def _name_weight(name: str, n_defining: int) -> float:
    weight = 1.0
    if name.startswith("_") or len(name) < 3:
        weight *= 0.1
    if n_defining > 5:
        weight *= 0.1
    return weight / n_defining


def build_file_graph(index: SymbolIndex, paths: set[str] | None = None) -> Graph:
    """Edges from each file to the files defining the names it references (no self-loops)."""
    paths = paths if paths is not None else set(index.paths)
    definers = {
        name: found & paths for name, found in index.defining_paths().items() if found & paths
    }
    stems: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        p = PurePosixPath(path)
        stems[p.parent.name if p.stem in ("__init__", "index", "mod") else p.stem].add(path)
    family = {path: _family(index.language(path)) for path in paths}
    graph: Graph = {path: {} for path in paths}
    for src in paths:
        if family[src] is None:
            continue
        uses = index.reference_counts(src)
        edges: dict[str, float] = defaultdict(float)
        for (name, kind), count in uses.items():
            targets = definers.get(name) or (
                stems.get(name) if kind in ("module", "import") else None
            )
            if not targets:
                continue
            weight = (
                _name_weight(name, len(targets)) * math.sqrt(count) * _WEAK_KINDS.get(kind, 1.0)
            )
            for dst in targets:
                if dst != src and family[dst] == family[src]:
                    edges[dst] += weight
        graph[src] = dict(edges)
    return graph


def reverse_graph(graph: Graph) -> Graph:
    """The same edges pointing the other way (callee → caller)."""
    out: Graph = {node: {} for node in graph}
    for src, edges in graph.items():
        for dst, weight in edges.items():
            out.setdefault(dst, {})[src] = weight
    return out


def pagerank(
    graph: Graph,
    personalization: Mapping[str, float] | None = None,
    damping: float = 0.85,
    iterations: int = 25,
    tolerance: float = 1e-5,
) -> dict[str, float]:
    """Personalized PageRank by power iteration; uniform teleport when no personalization."""
    nodes = sorted(graph)
    if not nodes:
        return {}
    position = {n: i for i, n in enumerate(nodes)}
    size = len(nodes)
    weights = [personalization.get(n, 0.0) for n in nodes] if personalization else []
    total = sum(weights)
    teleport = [w / total for w in weights] if total > 0 else [1.0 / size] * size
    # Each source's edges as (target index, share of its out-weight), computed once.
    links: list[list[tuple[int, float]]] = []
    for n in nodes:
        out = sum(graph[n].values())
        links.append(
            [(position[d], w / out) for d, w in graph[n].items() if d in position] if out else []
        )
    rank = list(teleport)
    for _ in range(iterations):
        dangling = sum(rank[i] for i in range(size) if not links[i])
        base = 1 - damping + damping * dangling
        new = [base * t for t in teleport]
        for i, edges in enumerate(links):
            if edges and rank[i]:
                mass = damping * rank[i]
                for j, share in edges:
                    new[j] += mass * share
        delta = sum(abs(a - b) for a, b in zip(new, rank, strict=True))
        rank = new
        if delta < tolerance:
            break
    return dict(zip(nodes, rank, strict=True))
