"""``SymbolIndex``: definitions and references of every file at a revision, cached by blob SHA.

Build it from a repository (``SymbolIndex.build(path, rev)``), from blobs the caller already
listed (``from_blobs``), or from texts (``from_texts``). Only blobs missing from the cache are
read and parsed; ``parsed_files`` counts them, so a warm build of an unchanged tree parses none.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from repoagent.cache import BlobCache, blob_sha
from repoagent.code.languages import language_for_path
from repoagent.code.outline import shared_cache, store_outline_values
from repoagent.code.symbols import (
    ANALYSIS_VERSION,
    Definition,
    Reference,
    analyze_file,
    record_definitions,
    record_references,
    record_terms,
)
from repoagent.code.tags import analysis_fingerprint, query_fingerprint

CACHE_KIND = "symbols"
PARALLEL_MIN_FILES = 400
LOAD_SLICE = 256
CHUNK_FILES = 32
"""Below this many files to parse, a process pool costs more than it saves."""
BlobReader = Callable[[list[tuple[str, str]]], Iterator[tuple[str, bytes]]]
"""Reads ``[(path, sha)]`` and yields ``(path, bytes)``."""


def _params(path: str) -> str:
    # The record depends on the language (read from the path) and its queries, not only the blob.
    language = language_for_path(path)
    queries = query_fingerprint(language) + (query_fingerprint("cpp") if language == "c" else "")
    return f"v{ANALYSIS_VERSION}.{analysis_fingerprint()}:{language or 'text'}:{queries}"


class SymbolIndex:
    """Per-file symbol records with lookups by name and by path."""

    def __init__(self, records: Mapping[str, dict[str, Any]], revision: str | None = None) -> None:
        self.records: dict[str, dict[str, Any]] = dict(sorted(records.items()))
        self.revision = revision
        self.parsed_files = 0
        """Blobs analyzed (parsed, or only tokenized for search) in this build; the rest were cached."""
        self.cached_files = 0
        self._defs: dict[str, list[Definition]] = defaultdict(list)
        self._refs: dict[str, list[str]] | None = None  # name -> paths, built on first use
        self._definers: dict[str, set[str]] | None = None
        for path, record in self.records.items():
            for d in record_definitions(path, record):
                self._defs[d.name].append(d)
                if d.scope:
                    self._defs[d.qualified_name].append(d)

    # -- building ------------------------------------------------------------------------

    @classmethod
    def from_blobs(
        cls,
        entries: Iterable[tuple[str, str]],
        read: BlobReader,
        cache: BlobCache | None = None,
        revision: str | None = None,
    ) -> SymbolIndex:
        """Index ``(path, blob sha)`` entries; ``read`` is called only for blobs not cached."""
        entries = list(entries)
        cache = cache if cache is not None else shared_cache()
        records: dict[str, dict[str, Any]] = {}
        by_params: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for path, sha in entries:
            by_params[_params(path)].append((path, sha))
        missing: list[tuple[str, str]] = []
        for params, whole in by_params.items():
            # In slices, each compacted before the next is decoded: the peak stays small.
            for start in range(0, len(whole), LOAD_SLICE):
                group = whole[start : start + LOAD_SLICE]
                found = cache.get_many(CACHE_KIND, params, list({sha for _, sha in group}))
                for record in found.values():
                    _compact(record)
                for path, sha in group:
                    if sha in found:
                        records[path] = found[sha]
                    else:
                        missing.append((path, sha))
        fresh: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        outlines: dict[str, dict[str, str | None]] = defaultdict(dict)
        sha_of = dict(missing)
        for path, record in analyze_files(read(missing), len(missing)):
            if "_outline" in record:  # parsed once for both: cache the outline too
                outlines[record["lang"]][sha_of[path]] = record.pop("_outline")
            # Compacted first: tuples serialize as the same JSON arrays.
            records[path] = _compact(record)
            fresh[_params(path)][sha_of[path]] = record
        for params, values in fresh.items():
            cache.put_many(CACHE_KIND, params, values)
        store_outline_values(cache, outlines)
        index = cls(records, revision)
        index.parsed_files = sum(len(v) for v in fresh.values())
        index.cached_files = len(entries) - len(missing)
        return index

    @classmethod
    def from_texts(
        cls, texts: Mapping[str, str | bytes], cache: BlobCache | None = None
    ) -> SymbolIndex:
        """Index files given as ``{path: text}`` (e.g. a work tree the caller already read)."""
        data = {
            p: t.encode("utf-8", "replace") if isinstance(t, str) else t for p, t in texts.items()
        }
        shas = [(p, blob_sha(b)) for p, b in data.items()]
        return cls.from_blobs(shas, lambda wanted: ((p, data[p]) for p, _ in wanted), cache)

    @classmethod
    def build(
        cls,
        source: str | os.PathLike[str] | Any,
        rev: str = "HEAD",
        paths: Iterable[str] | None = None,
        cache: BlobCache | None = None,
        worktree: bool = False,
    ) -> SymbolIndex:
        """Index a git repository's files at ``rev`` (or its work tree); only ``paths`` if given."""
        from repoagent.repo import GitRepository, open_repository

        repo = source if isinstance(source, GitRepository) else open_repository(_root_of(source))
        wanted = set(paths) if paths is not None else None
        if worktree:
            texts: dict[str, bytes] = {}
            for entry in repo.list_worktree():
                if entry.mode[:3] == "100" and (wanted is None or entry.path in wanted):
                    try:
                        texts[entry.path] = repo.read_worktree_file(entry)
                    except OSError:
                        continue  # vanished or unreadable: not indexed
            return cls.from_texts(texts, cache)
        commit = repo.resolve(rev)
        entries = [
            (e.path, e.sha) for e in repo.list_files(commit) if e.sha and e.mode[:3] == "100"
        ]
        if wanted is not None:
            entries = [e for e in entries if e[0] in wanted]

        def read(items: list[tuple[str, str]]) -> Iterator[tuple[str, bytes]]:
            paths_of: dict[str, list[str]] = defaultdict(list)
            for path, sha in items:
                paths_of[sha].append(path)
            for sha, data in repo.read_blobs(list(paths_of)):
                for path in paths_of[sha]:
                    yield path, data

        return cls.from_blobs(entries, read, cache, revision=commit)

    # -- answers -------------------------------------------------------------------------

    @property
    def paths(self) -> list[str]:
        """Every indexed path, sorted."""
        return list(self.records)

    def definitions(self, name: str) -> list[Definition]:
        """Where ``name`` (or ``Scope.name``) is defined, sorted by path and line."""
        return sorted(set(self._defs.get(name, ())))

    def references(self, name: str) -> list[Reference]:
        """Where ``name`` is used (calls, types, imports, ...), sorted by path and line."""
        if self._refs is None:
            self._refs = defaultdict(list)
            for path, record in self.records.items():
                for ref_name in {r[0] for r in record.get("refs", ())}:
                    self._refs[ref_name].append(path)
        short = name.rsplit(".", 1)[-1]
        return sorted(
            r
            for path in self._refs.get(short, ())
            for r in record_references(
                path, {"refs": [x for x in self.records[path]["refs"] if x[0] == short]}
            )
        )

    def reference_counts(self, path: str) -> dict[tuple[str, str], int]:
        """How many lines of ``path`` use each ``(name, kind)``."""
        return {(n, k): len(lines) for n, k, lines in self.records.get(path, {}).get("refs", ())}

    def defined_names_in(self, path: str) -> list[str]:
        """The names ``path`` defines (cheaper than ``defined_in`` for bulk use)."""
        return [d[0] for d in self.records.get(path, {}).get("defs", ())]

    def defined_in(self, path: str) -> list[Definition]:
        """What ``path`` defines, in line order."""
        return sorted(record_definitions(path, self.records.get(path, {})))

    def references_in(self, path: str) -> list[Reference]:
        """The names ``path`` uses, in line order."""
        return sorted(record_references(path, self.records.get(path, {})))

    def language(self, path: str) -> str | None:
        """The language ``path`` was parsed as, or ``None``."""
        return self.records.get(path, {}).get("lang")

    def skipped(self) -> dict[str, str]:
        """Files with a grammar that were not parsed, with the reason (binary, timeout, ...)."""
        return {
            path: r["reason"]
            for path, r in self.records.items()
            if r.get("reason") and r["reason"] != "no-grammar"
        }

    def terms(self, path: str) -> dict[str, int]:
        """The lexical terms of ``path`` (for BM25)."""
        return record_terms(self.records.get(path, {}))

    def defining_paths(self) -> dict[str, set[str]]:
        """For every defined (unqualified) name, the paths that define it (do not mutate)."""
        if self._definers is None:
            out: dict[str, set[str]] = defaultdict(set)
            for name, defs in self._defs.items():
                for d in defs:
                    if d.name == name:
                        out[name].add(d.path)
            self._definers = dict(out)
        return self._definers


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Share the strings that recur across files (names, kinds) and use tuples: a decoded
    record holds a new string for every occurrence, ~100 MB for sympy's 144k references."""
    intern = sys.intern
    if "refs" in record:
        record["refs"] = [(intern(n), intern(k), tuple(lines)) for n, k, lines in record["refs"]]
    if "defs" in record:
        record["defs"] = [
            (intern(n), intern(k), line, end, sig, scope if scope is None else intern(scope))
            for n, k, line, end, sig, scope in record["defs"]
        ]
    return record


def _analyze_chunk(items: list[tuple[str, bytes]]) -> list[tuple[str, dict[str, Any]]]:
    return [(path, analyze_file(path, data, with_outline=True)) for path, data in items]


def analyze_files(
    items: Iterable[tuple[str, bytes]], count: int, workers: int | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Analyze ``(path, bytes)`` items, in worker processes when there are many."""
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers < 2 or count < PARALLEL_MIN_FILES:
        for path, data in items:
            yield path, analyze_file(path, data, with_outline=True)
        return
    # spawn, not fork: the caller may run threads (progress bars, caches) that fork would copy.
    context = multiprocessing.get_context("spawn")
    # Chunks are read and sent as workers free up (a few in flight), so the bytes of every
    # file are never all in memory at once.
    pending: deque[Future[list[tuple[str, dict[str, Any]]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for chunk in _chunks(items, CHUNK_FILES):
            pending.append(pool.submit(_analyze_chunk, chunk))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _chunks(items: Iterable[tuple[str, bytes]], size: int) -> Iterator[list[tuple[str, bytes]]]:
    chunk: list[tuple[str, bytes]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _root_of(source: Any) -> str:
    """A filesystem path from a path-like or a ``git.Repo``."""
    if hasattr(source, "working_tree_dir"):
        return str(source.working_tree_dir)
    return str(Path(source))
