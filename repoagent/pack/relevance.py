"""How much each candidate file matters to the reader of the pack.

``score_files`` is the one entry point the packer calls; scores are relative (higher is more
relevant) and deterministic. When the packer hands over the file texts, the score is the code
intelligence ranking (``repoagent.code.rank_files``) over the parser-free ``LexicalIndex``
(identifiers, regex definitions and import lines, cached by blob SHA): personalized PageRank
over the file graph in both directions from the focus, fused with BM25 of the query over paths,
symbol names and contents, and priors (file role, git recency). ``--focus`` files and the ``--base`` diff always
come first. Without texts (or when the code index fails), a simple score stands in: role, recency
and query words in paths.
"""

from __future__ import annotations

import posixpath
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from repoagent.pack.filekinds import COMPILED_WEIGHT, compiled_outputs
from repoagent.pack.rankcache import cached_ranking, ranking_key, store_ranking

SOURCE_EXTENSIONS = frozenset(
    [
        "py",
        "pyi",
        "js",
        "jsx",
        "mjs",
        "cjs",
        "ts",
        "tsx",
        "go",
        "rs",
        "java",
        "kt",
        "kts",
        "scala",
        "c",
        "h",
        "cc",
        "cpp",
        "cxx",
        "hpp",
        "hh",
        "cs",
        "rb",
        "php",
        "swift",
        "m",
        "mm",
        "sh",
        "bash",
        "zsh",
        "lua",
        "pl",
        "pm",
        "r",
        "jl",
        "ex",
        "exs",
        "erl",
        "hs",
        "ml",
        "clj",
        "dart",
        "vue",
        "svelte",
        "sql",
    ]
)
DOC_EXTENSIONS = frozenset(["md", "rst", "txt", "adoc", "org", "tex"])
CONFIG_EXTENSIONS = frozenset(
    ["toml", "yaml", "yml", "json", "ini", "cfg", "conf", "xml", "properties", "gradle", "lock"]
)
TEST_PATTERN = re.compile(
    r"(^|/)(tests?|spec|specs|__tests__|testing)(/|$)|(^|/)test_|_test\.|\.test\.|\.spec\."
)

FOCUS_BONUS = 1000.0
CHANGED_BONUS = 500.0
NAMED_BONUS = 500.0
"""For a file the ``--query`` names by path or file name."""
RANK_SCALE = 100.0
"""``rank_files`` scores (0..1) are scaled to 0..100 so the packer's size penalty stays mild."""
rankings_computed = 0
"""Rankings this process computed (a repeated pack reuses the cached one)."""


@dataclass(frozen=True)
class FocusInputs:
    """What the user pointed the pack at."""

    focus: Sequence[str] = ()
    """Paths (files or directories) given with ``--focus``."""
    changed: Sequence[str] = ()
    """Paths changed since the merge base of ``--base`` and the packed revision."""
    query: str | None = None
    """The task or question, if any."""
    last_changed: Mapping[str, int] = field(default_factory=dict)
    """Unix time of each path's latest commit (missing: not changed recently)."""
    texts: Mapping[str, str] | None = None
    """The candidate files' texts; with them, files are ranked by the code index."""
    diff: str | None = None
    """The ``--base`` diff; the symbols it touches make their users relevant."""
    churn: Mapping[str, int] = field(default_factory=dict)
    """How many recent commits touched each path."""
    shas: Mapping[str, str] = field(default_factory=dict)
    """Git blob SHA of each candidate's content: the index extracts only texts it has not
    cached, instead of hashing a bytes copy of every text."""
    meanwhile: Callable[[], object] | None = None
    """Work for this process while a forked child extracts the code index (the tokenizer's
    load: the budget fitting that follows needs it)."""


def file_kind(path: str) -> str:
    """Classify ``path`` as ``source``, ``test``, ``docs``, ``config`` or ``other``."""
    name = posixpath.basename(path).lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if TEST_PATTERN.search(path.lower()):
        return "test"
    if ext in SOURCE_EXTENSIONS:
        return "source"
    if ext in DOC_EXTENSIONS or name.startswith(("readme", "changelog", "contributing")):
        return "docs"
    if ext in CONFIG_EXTENSIONS or name.startswith(("dockerfile", "makefile", ".")):
        return "config"
    return "other"


KIND_WEIGHT = {"source": 40.0, "test": 30.0, "docs": 20.0, "config": 15.0, "other": 10.0}


def _in_focus(path: str, focus: Sequence[str]) -> bool:
    return any(path == f or path.startswith(f + "/") or not f for f in focus)


def score_files(paths: Sequence[str], inputs: FocusInputs) -> dict[str, float]:
    """Return a relevance score for every path in ``paths`` (higher first)."""
    focus = [f.strip("/") for f in inputs.focus]
    changed = set(inputs.changed)
    ranked = _ranked(paths, inputs, focus) if inputs.texts is not None else None
    base = ranked if ranked is not None else _simple_scores(paths, inputs)
    scores: dict[str, float] = {}
    for path in paths:
        score = base[path]
        if _in_focus(path, focus):
            score += FOCUS_BONUS
        if path in changed:
            score += CHANGED_BONUS
        scores[path] = score
    return scores


def _ranked(
    paths: Sequence[str], inputs: FocusInputs, focus: Sequence[str]
) -> dict[str, float] | None:
    """``rank_files`` scores scaled to 0..100, or ``None`` when the code index is unavailable."""
    texts = inputs.texts or {}
    indexed = [p for p in paths if p in texts]
    job = RankJob(
        paths=list(paths),
        indexed=indexed,
        texts={p: texts[p] for p in indexed},
        shas={p: inputs.shas[p] for p in indexed if p in inputs.shas},
        focus=[p for p in paths if _in_focus(p, focus)] if focus else [],
        changed=list(inputs.changed),
        diff=inputs.diff,
        query=inputs.query,
        recency=dict(inputs.last_changed),
        churn=dict(inputs.churn),
    )
    try:
        key = ranking_key(job)
        scores = cached_ranking(key) if key is not None else None
        if scores is None:
            global rankings_computed
            rankings_computed += 1
            scores = _rank(job, inputs.meanwhile)
            if key is not None and scores is not None:
                store_ranking(key, scores)
        return scores
    except Exception as exc:  # ranking is an optimisation; never fail a pack over it
        warnings.warn(
            f"code ranking failed, using simple scores: {exc}", RuntimeWarning, stacklevel=2
        )
        return None


@dataclass
class RankJob:
    """Everything ``rank_files`` needs (and the ranking cache key is made of)."""

    paths: list[str]
    indexed: list[str]
    texts: dict[str, str]
    shas: dict[str, str]
    focus: list[str]
    changed: list[str]
    diff: str | None
    query: str | None
    recency: dict[str, int]
    churn: dict[str, int]


def _rank(job: RankJob, meanwhile: Callable[[], object] | None) -> dict[str, float] | None:
    """Index ``job``'s files lexically (only blobs not cached are read) and rank them."""
    try:
        from repoagent.code import rank_files
        from repoagent.code.diffs import changed_lines
        from repoagent.code.lexical import LexicalIndex
    except ImportError:  # pragma: no cover - the code package ships with repoagent
        return None
    index = LexicalIndex.from_texts(job.texts, job.shas, meanwhile=meanwhile)
    ranked = rank_files(
        index,
        paths=job.paths,
        focus=job.focus,
        changed=job.changed,
        changed_lines=changed_lines(job.diff) if job.diff else None,
        query=job.query,
        recency=job.recency,
        churn=job.churn,
    )
    # A file the task names by path is the user's choice, like --focus: placed before the
    # reserve for outlines (zod: the named email-regex.test.ts was an outline while unnamed
    # tests matching 'rejects' went in full).
    return {
        r.path: RANK_SCALE * r.score + (NAMED_BONUS if r.reason == "named in query" else 0.0)
        for r in ranked
    }


def _simple_scores(paths: Sequence[str], inputs: FocusInputs) -> dict[str, float]:
    """Role, recency, query words in the path, shallow before deep; compiled copies last."""
    words = {w for w in re.findall(r"[a-z0-9_]{3,}", (inputs.query or "").lower())}
    times = inputs.last_changed
    newest = max(times.values(), default=0)
    oldest = min(times.values(), default=0)
    span = max(newest - oldest, 1)
    compiled = compiled_outputs(paths)
    scores: dict[str, float] = {}
    for path in paths:
        score = KIND_WEIGHT[file_kind(path)]
        if path in times:
            score += 5.0 + 5.0 * (times[path] - oldest) / span
        if words:
            parts = set(re.split(r"[/._-]+", path.lower()))
            score += 8.0 * len(words & parts)
        # Shallow files (entry points, package roots) slightly before deep ones.
        score -= 0.5 * path.count("/")
        # The compiler's copies of a TypeScript source after the source (as the graph ranks).
        scores[path] = score * COMPILED_WEIGHT if path in compiled else score
    return scores
