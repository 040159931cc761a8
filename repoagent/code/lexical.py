"""``LexicalIndex``: a parser-free index for ranking files, cached by git blob SHA.

Tree-sitter parses ~9 MB/s and holds the GIL, too slow to rank a large repository for every
budgeted pack. For ranking, words are enough: per file, the distinct identifiers it uses
(from one ``bytes.translate`` + ``split``), its definitions from a few per-language regular
expressions (``lexical_rules``), and the names its import lines bring in (``lexical_extract``).
A file references a name when it uses an identifier that another file defines; how often is
not recorded (counting every identifier cost more than finding the distinct ones, and weighing
uses by their count did not rank better), so a use counts once, in the graph and in BM25.
``SymbolIndex`` stays the precise index for the agent's tools and outlines; both satisfy
``repoagent.code.rankindex.RankIndex``.
"""

from __future__ import annotations

import gc
import hashlib
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from repoagent.cache import BlobCache, blob_sha, files_fingerprint
from repoagent.code.graph import MAX_DEFINERS, Graph, build_file_graph
from repoagent.code.languages import language_for_source
from repoagent.code.lexical_extract import count_word, extract_with_words
from repoagent.code.reserved import RESERVED_WORDS
from repoagent.code.symbols import Definition, Reference, name_terms, split_identifier
from repoagent.forked import parallel_map

LEXICAL_VERSION = "5"
"""Bump when extraction changes, so cached records are recomputed."""
CACHE_KIND = "lexical"
GRAPH_PARAMS = "graph-v1"
LOAD_SLICE = 500
PARALLEL_CHARS = 2_000_000
"""Below this many characters to extract, a second process would cost more than it saves."""
_DIGITS = "0123456789"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (also a decorator). Building an index or ranking
    makes many containers and no cycles, and each automatic collection walks all the records
    made so far: ~0.1 s of a cold sympy build + rank, ~0.07 s warm."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _File:
    """One file's record (its identifiers and imports decoded on first use) and its text."""

    __slots__ = (
        "_imports",
        "_names",
        "_words",
        "def_names",
        "def_terms",
        "defs",
        "lang",
        "size",
        "text",
    )

    def __init__(
        self,
        record: Mapping[str, Any],
        words: dict[str, None] | None = None,
        text: str | None = None,
    ) -> None:
        # Not the record itself: its identifiers as one string are kept only until decoded
        # (never, when they come decoded), and decoded they share the interned strings.
        self._imports: dict[str, str] = record.get("imports", {})
        self._names: str | None = None if words is not None else record.get("names", "")
        self._words = words
        self.text = text
        self.lang: str | None = record.get("lang")
        self.size: int = record.get("size", 0)
        self.defs: list[list[Any]] = record.get("defs", [])  # [name, kind, line, end, scope]
        self.def_names: Counter[str] = Counter(map(itemgetter(0), self.defs))
        self.def_terms = -1  # search terms in the defined names, counted on first use

    @property
    def words(self) -> dict[str, None]:
        """The distinct identifiers, as keys (a dict of strings escapes the garbage collector)."""
        if self._words is None:
            self._words = dict.fromkeys(map(sys.intern, (self._names or "").split()))
            self._names = None
        return self._words

    def count(self, word: str) -> int:
        """How often the identifier ``word`` occurs (at most 1 when the text is unknown)."""
        if word not in self.words:
            return 0
        return count_word(self.text, word) if self.text is not None else 1

    def imports(self) -> dict[tuple[str, str], int]:
        """``(name, kind)`` of the import lines, counted."""
        found: dict[tuple[str, str], int] = {}
        for kind, names in self._imports.items():
            for name, count in Counter(names.split()).items():
                found[(name, kind)] = count
        return found


class LexicalIndex:
    """Identifiers, definitions and imports per file; the graph and BM25 inputs for ranking."""

    def __init__(
        self,
        records: Mapping[str, Mapping[str, Any]],
        words: Mapping[str, dict[str, None]] | None = None,
        texts: Mapping[str, str] | None = None,
    ) -> None:
        """``words``: the identifiers of some records, already decoded; ``texts``: the files'
        texts, read for the few exact counts asked (``references``)."""
        words, texts = words or {}, texts or {}
        self._files = {
            path: _File(records[path], words.get(path), texts.get(path)) for path in sorted(records)
        }
        self.extracted_files = 0
        """Files whose text was read in this build (the rest came from the cache)."""
        self.cached_files = 0
        self._shas: dict[str, str] = {}
        self._cache: BlobCache | None = None
        self._definers: dict[str, set[str]] | None = None
        self._linked: dict[str, set[str]] | None = None
        self._among: set[str] | None = None  # the files the graph being built links
        self._linked_among: set[str] | None = None
        self._vocabulary: str | None = None
        self._path_terms: dict[str, list[str]] = {}

    @classmethod
    @collector_paused()
    def from_texts(
        cls,
        texts: Mapping[str, str],
        shas: Mapping[str, str] | None = None,
        cache: BlobCache | None = None,
        *,
        meanwhile: Callable[[], object] | None = None,
    ) -> LexicalIndex:
        """Index ``{path: text}``; with ``{path: blob sha}`` only uncached blobs are read.

        Uncached blobs are extracted on two cores when there are enough of them
        (``repoagent.forked``); ``meanwhile`` then runs here first, while the child starts on
        them (not at all when there are too few)."""
        from repoagent.code.outline import shared_cache

        cache = cache if cache is not None else shared_cache()
        shas = shas or {}
        groups: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
        for path in texts:
            sha = shas.get(path) or blob_sha(texts[path].encode("utf-8", "replace"))
            language = language_for_source(path, texts[path])
            groups.setdefault((_params(language), language), []).append((path, sha))
        records: dict[str, Mapping[str, Any]] = {}
        todo: dict[tuple[str, str], tuple[str, str | None]] = {}  # (params, sha) -> path, lang
        for (params, language), entries in groups.items():
            for start in range(0, len(entries), LOAD_SLICE):
                group = entries[start : start + LOAD_SLICE]
                found = cache.get_many(CACHE_KIND, params, {sha for _, sha in group})
                for path, sha in group:
                    if sha in found:
                        records[path] = found[sha]
                    else:
                        todo.setdefault((params, sha), (path, language))
        cached = len(records)
        jobs = [(texts[path], path, language) for path, language in todo.values()]
        weights = [len(job[0]) for job in jobs]
        made = dict(
            zip(
                todo,
                parallel_map(
                    _extract,
                    jobs,
                    weights=weights,
                    min_weight=PARALLEL_CHARS,
                    before=meanwhile if sum(weights) >= PARALLEL_CHARS else None,
                ),
                strict=True,
            )
        )
        live: dict[str, dict[str, None]] = {}  # fresh records' identifiers, by path
        for (params, _), entries in groups.items():
            fresh: dict[str, dict[str, Any]] = {}
            for path, sha in entries:
                if path not in records:
                    record, live[path] = made[(params, sha)]
                    records[path] = fresh[sha] = record
            for start in range(0, len(fresh), LOAD_SLICE):
                chunk = dict(islice(fresh.items(), start, start + LOAD_SLICE))
                cache.put_many(CACHE_KIND, params, chunk)
        sha_of = {path: sha for entries in groups.values() for path, sha in entries}
        index = cls(records, live, texts)
        index.extracted_files, index.cached_files = len(todo), cached
        index._shas = sha_of
        index._cache = cache
        return index

    # -- what rank_files and build_file_graph ask ------------------------------------------

    def file_graph(self, paths: set[str]) -> Graph:
        """``build_file_graph`` over ``paths``, cached by every indexed file's blob SHA (the
        graph does not depend on the task, so another task on the same tree reuses it)."""
        key = self._graph_key(paths)
        if key is not None and self._cache is not None:
            found = self._cache.get_many(CACHE_KIND, GRAPH_PARAMS, [key])
            if key in found:
                return {src: dict(edges) for src, edges in found[key].items()}
        # Definers are counted among ``paths``: a name defined in a source and its compiled
        # copies (left out of the graph) still links the source.
        self._among = None if len(paths) == len(self._files) else paths
        try:
            graph = build_file_graph(self, paths)
        finally:
            self._among = None
        if key is not None and self._cache is not None:
            value = {src: sorted(edges.items()) for src, edges in sorted(graph.items())}
            self._cache.put_many(CACHE_KIND, GRAPH_PARAMS, {key: value})
        return graph

    def _graph_key(self, paths: set[str]) -> str | None:
        if len(self._shas) != len(self._files):
            return None
        digest = hashlib.sha1(_code_fingerprint().encode())
        for path in self._files:
            digest.update(f"{path}\0{self._shas[path]}\0{int(path in paths)}\n".encode())
        return digest.hexdigest()

    @property
    def paths(self) -> list[str]:
        """Every indexed path, sorted."""
        return list(self._files)

    def language(self, path: str) -> str | None:
        """The language ``path``'s extension names, or ``None``."""
        f = self._files.get(path)
        return f.lang if f is not None else None

    def defining_paths(self) -> dict[str, set[str]]:
        """For every defined name, the paths that define it (do not mutate)."""
        if self._definers is None:
            definers: dict[str, set[str]] = {}
            for path, f in self._files.items():
                for name in f.def_names:
                    definers.setdefault(name, set()).add(path)
            self._definers = definers
        return self._definers

    def defined_names_in(self, path: str) -> list[str]:
        """The names ``path`` defines, in line order (repeated when defined twice)."""
        f = self._files.get(path)
        return [d[0] for d in f.defs] if f is not None else []

    def defined_in(self, path: str) -> list[Definition]:
        """What ``path`` defines, in line order (no signatures: the lexical index keeps none)."""
        f = self._files.get(path)
        if f is None:
            return []
        return sorted(
            Definition(path, line, name, kind, end, "", scope)
            for name, kind, line, end, scope in f.defs
        )

    def reference_counts(self, path: str) -> dict[tuple[str, str], int]:
        """The names ``path`` uses that another file defines (kind ``name``, each counted once;
        only names defined in at most ``MAX_DEFINERS`` files, the others link nothing in the
        file graph), plus the names and modules its import lines bring in (kinds ``import`` and
        ``module``, counted). A name the file defines itself is not a use of another file's."""
        f = self._files.get(path)
        if f is None:
            return {}
        used = f.words.keys() & self._linkable().keys()
        if f.lang in RESERVED_WORDS:  # `null` in a TS file is the keyword, not a member
            used -= RESERVED_WORDS[f.lang]
        out = dict.fromkeys([(name, "name") for name in used - f.def_names.keys()], 1)
        out.update(f.imports())
        return out

    def _linkable(self) -> dict[str, set[str]]:
        """The defined names the file graph links (defined in at most ``MAX_DEFINERS`` of the
        graph's files)."""
        if self._linked is None or self._linked_among is not self._among:
            among = self._linked_among = self._among
            definers = self.defining_paths().items()
            if among is None:
                self._linked = {n: found for n, found in definers if len(found) <= MAX_DEFINERS}
            else:
                self._linked = {
                    n: inside
                    for n, found in definers
                    if 0 < len(inside := found & among) <= MAX_DEFINERS
                }
        return self._linked

    def references(self, name: str) -> list[Reference]:
        """The files using ``name`` (line 0: the lexical index counts uses, it keeps no lines)."""
        short = name.rsplit(".", 1)[-1]
        return [
            Reference(path, 0, short, "name")
            for path, f in self._files.items()
            if f.count(short) > f.def_names.get(short, 0)
            and short not in RESERVED_WORDS.get(f.lang or "", ())
        ]

    def terms(self, path: str) -> dict[str, int]:
        """The lexical terms of ``path`` (for BM25): each distinct identifier's terms, once."""
        f = self._files.get(path)
        terms: Counter[str] = Counter()
        for word in f.words if f is not None else ():
            terms.update(name_terms(word.lstrip(_DIGITS)[:64]))
        return dict(terms)

    def query_documents(
        self, paths: Sequence[str], wanted: Iterable[str]
    ) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """BM25 inputs restricted to the query's terms: per path, the count of each wanted term
        in its distinct identifiers + 3x its path terms + 2x its defined names' terms, and the
        length of that whole document (its identifiers with repeats). Equal to
        ``lexical_documents`` for those terms, without building every file's full term map."""
        wanted_set = set(wanted)
        carriers = self._carriers(wanted_set)
        docs: dict[str, dict[str, int]] = {}
        lengths: dict[str, int] = {}
        for path in paths:
            f = self._files.get(path)
            if f is None:
                continue
            doc: dict[str, int] = {}
            for word in f.words.keys() & carriers.keys():
                for term in carriers[word]:
                    doc[term] = doc.get(term, 0) + 1
            for name in f.def_names.keys() & carriers.keys():
                for term in carriers[name]:
                    doc[term] = doc.get(term, 0) + 2 * f.def_names[name]
            terms = self._path_terms.get(path)
            if terms is None:
                terms = self._path_terms[path] = _path_terms(path)
            for term in terms:
                if term in wanted_set:
                    doc[term] = doc.get(term, 0) + 3
            docs[path] = doc
            if f.def_terms < 0:  # ~ len(name_terms(name)): the name, plus its parts if several
                f.def_terms = sum(
                    (1 + n.count("_") + (n.count("_") > 0)) * c for n, c in f.def_names.items()
                )
            lengths[path] = f.size + 3 * len(terms) + 2 * f.def_terms
        return docs, lengths

    def _carriers(self, wanted: set[str]) -> dict[str, list[str]]:
        """Identifiers (as written) whose search terms include a wanted term, with those terms."""
        if self._vocabulary is None:
            vocabulary: set[str] = set()
            for f in self._files.values():
                vocabulary.update(f.words)
            self._vocabulary = "\n".join(vocabulary) + "\n"
        words, lowered = self._vocabulary, self._vocabulary.lower()
        carriers: dict[str, list[str]] = {}
        for term in wanted:
            at = lowered.find(term)
            while at != -1:
                start = lowered.rfind("\n", 0, at) + 1
                end = lowered.find("\n", at)
                word = words[start:end]
                if word not in carriers:
                    found = name_terms(word.lstrip(_DIGITS)[:64])
                    hits = [t for t in found if t in wanted]
                    if hits:
                        carriers[word] = hits
                at = lowered.find(term, end)
        return carriers


def _path_terms(path: str) -> list[str]:
    """``roles.path_terms`` without ``pathlib`` (it runs for every file of every ranking)."""
    folders, _, name = path.rpartition("/")
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name
    terms: list[str] = []
    for part in [*(folders.split("/") if folders else ()), stem]:
        lower = part.lower()
        terms.append(lower)
        terms.extend(t for t in split_identifier(part) if t != lower)
    return terms


@cache
def _code_fingerprint() -> str:
    """A hash of the modules that make the graph, so a changed rule is a new cached graph."""
    from repoagent.code import graph, languages, lexical_extract, lexical_rules, reserved

    modules = (graph, languages, lexical_extract, lexical_rules, reserved, sys.modules[__name__])
    return files_fingerprint(Path(module.__file__ or "") for module in modules)


def _extract(job: tuple[str, str, str | None]) -> tuple[dict[str, Any], dict[str, None]]:
    text, path, language = job
    return extract_with_words(path, text, language)


def _params(language: str | None) -> str:
    # The record depends on the language (read from the path) and the extraction rules.
    return f"v{LEXICAL_VERSION}:{language or 'text'}"
