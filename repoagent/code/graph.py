"""The file graph (a file that uses a name → the files that define it) and PageRank over it.

PageRank is a plain power iteration with a personalization (teleport) vector; dangling files
teleport too. Edge weights follow aider's repo map: more uses weigh more (square root), private,
short and widely defined names weigh less.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Mapping
from operator import mul, sub

from repoagent.code.rankindex import RankIndex

Graph = dict[str, dict[str, float]]
"""``graph[src][dst] = weight``."""
_WEAK_KINDS = {"name": 0.5, "module": 0.5}
# Names only link files that can see each other's definitions.
FAMILIES = {"typescript": "js", "tsx": "js", "javascript": "js", "c": "c", "cpp": "c"}
MAX_DEFINERS = 5
"""A name defined in more files than this links none of them (its weight would be < 0.02)."""
MAX_EDGES = 24
"""Out-edges kept per file (the heaviest): PageRank's cost grows with the edges."""
# Fixed point: an edge weight is (name weight * 2^20) * (sqrt(uses) * 2^10), summed as integers.
_WEIGHT_UNIT = 1 << 20
_ROOT_UNIT = 1 << 10
_FIXED = _WEIGHT_UNIT * _ROOT_UNIT
_SQRT = [round(math.sqrt(n) * _ROOT_UNIT) for n in range(256)]


def _family(language: str | None) -> str | None:
    return FAMILIES.get(language, language) if language else None


def _name_weight(name: str, n_defining: int) -> float:
    weight = 1.0
    if name.startswith("_") or len(name) < 3:
        weight *= 0.1
    if n_defining > 5:
        weight *= 0.1
    return weight / n_defining


def build_file_graph(index: RankIndex, paths: set[str] | None = None) -> Graph:
    """Edges from each file to the files defining the names it references (no self-loops).

    Names defined in more than ``MAX_DEFINERS`` files (``x``, ``main``, ``setUp``) link nothing:
    they already weigh a tenth, split between their definers, and their edges would outnumber
    all the others. Each file keeps its ``MAX_EDGES`` heaviest edges. Weights are summed as integers (fixed point), so the graph
    does not depend on the order the index lists references in.
    """
    paths = paths if paths is not None else set(index.paths)
    definers = _Definers(index.defining_paths(), None if len(paths) == len(index.paths) else paths)
    stems: dict[str, list[str]] = defaultdict(list)
    for path in sorted(paths):
        folder, name = _folder_and_stem(path)
        stems[folder if name in ("__init__", "index", "mod") else name].append(path)
    family = {path: _family(index.language(path)) for path in paths}
    # per family: (name, kind) -> [(target, fixed-point weight of one use)], computed once
    links: dict[str, dict[tuple[str, str], list[tuple[str, int]]]] = defaultdict(dict)
    graph: Graph = {path: {} for path in paths}
    for src in sorted(paths):
        src_family = family[src]
        if src_family is None:
            continue
        known = links[src_family]
        edges: dict[str, int] = {}
        get = edges.get
        for key, count in index.reference_counts(src).items():
            targets = known.get(key)
            if targets is None:
                targets = known[key] = _targets(key, src_family, definers, stems, family)
            if targets:
                scale = _SQRT[count] if count < len(_SQRT) else round(math.sqrt(count) * _ROOT_UNIT)
                for dst, weight in targets:
                    edges[dst] = get(dst, 0) + weight * scale
        edges.pop(src, None)
        graph[src] = {dst: weight / _FIXED for dst, weight in _heaviest(edges).items()}
    return graph


def _folder_and_stem(path: str) -> tuple[str, str]:
    """``PurePosixPath(path).parent.name`` and ``.stem`` of a repository path, without pathlib
    (it runs for every file)."""
    folders, _, name = path.rpartition("/")
    dot = name.rfind(".")
    return folders.rpartition("/")[2], name[:dot] if 0 < dot < len(name) - 1 else name


def _heaviest(edges: dict[str, int]) -> dict[str, int]:
    """The ``MAX_EDGES`` heaviest edges; among equal weights at the cut, the first by path."""
    if len(edges) <= MAX_EDGES:
        return edges
    cut = heapq.nlargest(MAX_EDGES, edges.values())[-1]
    kept = {dst: w for dst, w in edges.items() if w > cut}
    for dst in sorted(dst for dst, w in edges.items() if w == cut)[: MAX_EDGES - len(kept)]:
        kept[dst] = cut
    return kept


class _Definers(dict[str, list[str]]):
    """The files defining a name among ``paths``, sorted; looked up (and sorted) on first use.
    Names defined in more than ``MAX_DEFINERS`` of those files have none."""

    def __init__(self, found: Mapping[str, set[str]], paths: set[str] | None) -> None:
        super().__init__()
        self.found, self.paths = found, paths

    def __missing__(self, name: str) -> list[str]:
        found = self.found.get(name, set())
        if self.paths is not None:
            found = found & self.paths
        if len(found) > MAX_DEFINERS:
            found = set()
        self[name] = value = sorted(found)
        return value


def _targets(
    key: tuple[str, str],
    src_family: str,
    definers: Mapping[str, list[str]],
    stems: Mapping[str, list[str]],
    family: Mapping[str, str | None],
) -> list[tuple[str, int]]:
    """The files a use of ``name`` links to, each with the fixed-point weight of one use."""
    name, kind = key
    found = definers[name] or (stems.get(name) if kind in ("module", "import") else None)
    if not found:
        return []
    weight = round(_name_weight(name, len(found)) * _WEAK_KINDS.get(kind, 1.0) * _WEIGHT_UNIT)
    return [(dst, weight) for dst in found if family[dst] == src_family]


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
    return pagerank_both(graph, personalization, damping, iterations, tolerance)[0]


def pagerank_both(
    graph: Graph,
    personalization: Mapping[str, float] | None = None,
    damping: float = 0.85,
    iterations: int = 25,
    tolerance: float = 1e-5,
) -> tuple[dict[str, float], dict[str, float]]:
    """PageRank over ``graph`` and over its reverse (what the seeds use, what uses them),
    sharing one pass over the edges. Edges are read in path order, so the sums do not depend
    on the order the graph lists them in."""
    nodes = sorted(graph)
    if not nodes:
        return {}, {}
    position = {n: i for i, n in enumerate(nodes)}
    size = len(nodes)
    weights = [personalization.get(n, 0.0) for n in nodes] if personalization else []
    total = sum(weights)
    teleport = [w / total for w in weights] if total > 0 else [1.0 / size] * size
    edges = [
        (i, position[d], w) for i, n in enumerate(nodes) for d, w in sorted(graph[n].items())
        if d in position
    ]  # fmt: skip
    out_weight, in_weight = [0.0] * size, [0.0] * size
    for i, j, w in edges:
        out_weight[i] += w
        in_weight[j] += w
    forward = _links(size, [(j, i, w / out_weight[i]) for i, j, w in edges if out_weight[i]])
    backward = _links(size, [(i, j, w / in_weight[j]) for i, j, w in edges if in_weight[j]])
    ranks = []
    for inbound, dangling in (forward, backward):
        rank = list(teleport)
        for _ in range(iterations):
            get = rank.__getitem__
            base = 1 - damping + damping * sum(map(get, dangling))
            new = [base * t for t in teleport]
            for j, srcs, part in inbound:
                new[j] += damping * sum(map(mul, part, map(get, srcs)))
            delta = sum(map(abs, map(sub, new, rank)))
            rank = new
            if delta < tolerance:
                break
        ranks.append(dict(zip(nodes, rank, strict=True)))
    return ranks[0], ranks[1]


Links = list[tuple[int, list[int], list[float]]]


def _links(size: int, shares: list[tuple[int, int, float]]) -> tuple[Links, list[int]]:
    """Per node, its in-links as parallel lists (sources, share of each source's out-weight),
    so one step is a C-level ``sum(map(mul, ...))`` per node; and the nodes with no out-link."""
    sources: list[list[int]] = [[] for _ in range(size)]
    parts: list[list[float]] = [[] for _ in range(size)]
    linked = [False] * size
    for dst, src, share in shares:
        sources[dst].append(src)
        parts[dst].append(share)
        linked[src] = True
    inbound = [(j, sources[j], parts[j]) for j in range(size) if sources[j]]
    return inbound, [i for i in range(size) if not linked[i]]
