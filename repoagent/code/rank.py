"""Rank files for a task: graph ranking both ways from the focus, fused with lexical matching.

``rank_files`` personalizes PageRank over the file graph with the focus inputs (``--focus``
files, files and symbols touched by the ``--base`` diff, paths and identifiers named in
``--query``) and runs it forward (what the focus uses) and backward (what uses the focus). A
prose query names few identifiers, so BM25 over paths, symbol names and contents is fused in, and
its best hits seed the graph too. Cheap priors (file role, git recency and churn) break ties.
Without any focus or query, plain PageRank says what the codebase leans on most.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from repoagent.code.bm25 import BM25
from repoagent.code.graph import build_file_graph, pagerank, pagerank_both
from repoagent.code.lexical import LexicalIndex, collector_paused
from repoagent.code.rankindex import RankIndex
from repoagent.code.roles import ROLE_WEIGHTS, file_role, path_terms
from repoagent.code.symbols import name_terms, search_terms

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "do",
        "does",
        "fix",
        "fixed",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "when",
        "which",
        "while",
        "with",
        "add",
        "added",
        "adds",
        "use",
        "used",
        "now",
        "new",
        "make",
        "makes",
        "should",
        "not",
        "no",
        "can",
        "allow",
        "allows",
        "support",
        # a task asked as a question: prose, not code ("where" and "only" are not: they name
        # methods, e.g. django's QuerySet.only() and its where clause)
        "why",
        "how",
        "what",
        "who",
        "even",
        "instead",
        "also",
        "but",
        "if",
        "than",
        "there",
        "they",
        "we",
        "you",
        "my",
        "our",
        "your",
        "again",
        "still",
        "just",
        "would",
        "could",
        "will",
        "been",
        "did",
        "doesn",
        "don",
        "isn",
    ]
)
_PATH_LIKE = re.compile(r"[\w./-]*[./][\w./-]+")
ITERATIONS = 16
"""PageRank steps: the files near the seeds, which decide the ranking, settle well before."""
SEED_HITS = 8
"""How many of the best lexical matches seed the graph when the query names no file."""
# (lexical, graph, prior) weights with a query, with focus only, and with neither.
WEIGHTS_QUERY = (0.65, 0.15, 0.2)
WEIGHTS_FOCUS = (0.0, 0.8, 0.2)
WEIGHTS_CENTRAL = (0.0, 0.7, 0.3)


@dataclass(frozen=True)
class RankedFile:
    """A file's relevance: ``score`` in [0, 1] (1 = most relevant) and why it ranks there."""

    path: str
    score: float
    reason: str
    role: str


def query_terms(query: str) -> list[str]:
    """The lexical terms of a task description (identifier parts, stop words dropped)."""
    return [t for t in search_terms(query) if t not in STOP_WORDS]


def lexical_documents(index: RankIndex, paths: Iterable[str]) -> dict[str, Counter[str]]:
    """Per file: content terms, plus path terms (x3) and defined names (x2) so they weigh more."""
    docs: dict[str, Counter[str]] = {}
    for path in paths:
        doc = Counter(index.terms(path))
        for term in path_terms(path):
            doc[term] += 3
        for name in index.defined_names_in(path):
            for term in name_terms(name):
                doc[term] += 2
        docs[path] = doc
    return docs


def bm25_files(
    index: RankIndex, query: str, paths: Iterable[str] | None = None
) -> dict[str, float]:
    """Plain BM25 of ``query`` over whole-file contents (the baseline the fusion must beat)."""
    docs = {p: index.terms(p) for p in (paths if paths is not None else index.paths)}
    return BM25(docs).scores(query_terms(query))


class _SizedBM25(BM25):
    """BM25 over documents holding only the query's terms, with their full lengths given."""

    def __init__(self, docs: Mapping[str, Mapping[str, float]], lengths: Mapping[str, int]):
        super().__init__(docs)
        self.lengths = {key: float(lengths[key]) for key in docs}
        self.avg_length = (sum(self.lengths.values()) / len(docs)) if docs else 0.0


def _query_bm25(index: RankIndex, paths: list[str], terms: list[str]) -> BM25:
    """BM25 over ``lexical_documents``; the lexical index builds only the query's terms."""
    if isinstance(index, LexicalIndex):
        docs, lengths = index.query_documents(paths, terms)
        return _SizedBM25(docs, lengths)
    return BM25(lexical_documents(index, paths))


def _normalized(scores: Mapping[str, float], keys: Iterable[str] | None = None) -> dict[str, float]:
    values = [scores[k] for k in keys if k in scores] if keys is not None else list(scores.values())
    top = max(values, default=0.0)
    return {k: v / top for k, v in scores.items()} if top > 0 else {}


def _named_paths(query: str, paths: Collection[str]) -> set[str]:
    """Files the query names by path or file name (``src/app.py``, ``app.py``)."""
    named: set[str] = set()
    by_name: dict[str, list[str]] = {}
    for p in paths:
        by_name.setdefault(p.rsplit("/", 1)[-1], []).append(p)
    for token in _PATH_LIKE.findall(query):
        token = token.strip("./")
        if token in paths:
            named.add(token)
        elif "." in token and token in by_name and len(by_name[token]) <= 3:
            named.update(by_name[token])
        elif "/" in token:
            named.update(p for p in paths if p.endswith("/" + token))
    return named


def _changed_symbols(index: RankIndex, changed_lines: Mapping[str, Collection[int]]) -> set[str]:
    """Names of the definitions whose lines the diff touches."""
    names: set[str] = set()
    for path, lines in changed_lines.items():
        for d in index.defined_in(path):
            if any(d.line <= line <= d.end_line for line in lines) and d.kind != "variable":
                names.add(d.name)
    return names


def _unit_scale(values: Mapping[str, float], paths: Iterable[str]) -> dict[str, float]:
    """Rank-normalize ``values`` over ``paths`` into (0, 1] (newest / most churned = 1; ties equal)."""
    present = {p: values[p] for p in paths if p in values}
    distinct = sorted(set(present.values()))
    step = {v: (i + 1) / len(distinct) for i, v in enumerate(distinct)}
    return {p: step[v] for p, v in present.items()}


def _personalization(
    index: RankIndex,
    members: set[str],
    explicit: set[str],
    query: str | None,
    changed_lines: Mapping[str, Collection[int]],
    lexical: Mapping[str, float],
) -> dict[str, float]:
    """Teleport weights: explicit files, definers of named identifiers, users of changed
    symbols, and the best lexical matches."""
    seeds: dict[str, float] = defaultdict(float, {p: 1.0 for p in explicit})
    definers = index.defining_paths()
    mentioned = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]{2,}", query or "")) & definers.keys()
    for name in sorted(mentioned):
        for p in definers[name] & members:
            seeds[p] += 0.5 / len(definers[name])
    for name in sorted(_changed_symbols(index, changed_lines)):
        users = {r.path for r in index.references(name)} & members
        for p in users:
            seeds[p] += 0.5 / len(users)
    for p, score in sorted(lexical.items(), key=lambda kv: -kv[1])[:SEED_HITS]:
        seeds[p] += 0.5 * score
    return dict(seeds)


@collector_paused()
def rank_files(
    index: RankIndex,
    *,
    paths: Iterable[str] | None = None,
    focus: Iterable[str] = (),
    changed: Iterable[str] = (),
    changed_lines: Mapping[str, Collection[int]] | None = None,
    query: str | None = None,
    recency: Mapping[str, float] | None = None,
    churn: Mapping[str, float] | None = None,
) -> list[RankedFile]:
    """Rank ``paths`` (default: every indexed file) for the task; best first."""
    universe = sorted(set(paths) if paths is not None else set(index.paths))
    members = set(universe)
    focus_set = {p for p in focus if p in members}
    changed_set = {p for p in changed if p in members}
    named = _named_paths(query, members) if query else set()
    explicit = focus_set | changed_set | named

    lexical: dict[str, float] = {}
    if query:
        lexical = _normalized(
            _query_bm25(index, universe, query_terms(query)).scores(query_terms(query))
        )

    seeds = _personalization(index, members, explicit, query, changed_lines or {}, lexical)
    # Compiled copies stay out of the graph: with them, a source's names had 4-6 definers and
    # linked nothing (query-core's Query, defined in src/ and four build/ files).
    from repoagent.pack.filekinds import COMPILED_WEIGHT, compiled_outputs

    compiled = compiled_outputs(universe) - explicit
    if isinstance(index, LexicalIndex):
        graph = index.file_graph(members - compiled)
    else:
        graph = build_file_graph(index, members - compiled)
    forward: dict[str, float] = {}
    backward: dict[str, float] = {}
    if seeds:
        # what the focus uses (callees, definitions), and what uses the focus (callers)
        forward, backward = pagerank_both(graph, seeds, iterations=ITERATIONS)
        combined = {p: forward.get(p, 0.0) + backward.get(p, 0.0) for p in universe}
        # Seeds keep their teleport mass; scale by the best non-seed file so neighbours count.
        graph_score = _normalized(combined, [p for p in universe if p not in seeds] or None)
        graph_score = {p: min(v, 1.0) for p, v in graph_score.items()}
        weights = WEIGHTS_QUERY if query else WEIGHTS_FOCUS
    else:
        graph_score = _normalized(pagerank(graph, iterations=ITERATIONS))
        weights = WEIGHTS_CENTRAL

    fresh = _unit_scale(recency or {}, universe)
    busy = _unit_scale(churn or {}, universe)
    w_lex, w_graph, w_prior = weights
    ranked: list[RankedFile] = []
    for p in universe:
        role = file_role(p)
        prior = ROLE_WEIGHTS[role] * (0.6 + 0.25 * fresh.get(p, 0.0) + 0.15 * busy.get(p, 0.0))
        parts = {
            "query match": w_lex * lexical.get(p, 0.0),
            "graph": w_graph * graph_score.get(p, 0.0),
            "role": w_prior * prior,
        }
        score = sum(parts.values()) + (1.0 if p in explicit else 0.0)
        reason = _reason(p, parts, focus_set, changed_set, named, forward, backward, bool(seeds))
        if p in compiled:
            score, reason = score * COMPILED_WEIGHT, "compiled from a TypeScript source"
        ranked.append(RankedFile(p, score, reason, role))
    top = max((r.score for r in ranked), default=0.0) or 1.0
    ranked = [RankedFile(r.path, round(r.score / top, 6), r.reason, r.role) for r in ranked]
    return sorted(ranked, key=lambda r: (-r.score, r.path))


def _reason(
    path: str,
    parts: Mapping[str, float],
    focus: set[str],
    changed: set[str],
    named: set[str],
    forward: Mapping[str, float],
    backward: Mapping[str, float],
    personalized: bool,
) -> str:
    """One short phrase saying why ``path`` ranks where it does."""
    if path in focus:
        return "focus"
    if path in changed:
        return "changed"
    if path in named:
        return "named in query"
    best = max(parts, key=lambda k: parts[k])
    if best != "graph" or parts["graph"] == 0:
        return best
    if not personalized:
        return "central"
    return "used by focus" if forward.get(path, 0) >= backward.get(path, 0) else "uses focus"
