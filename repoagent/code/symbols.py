"""What one file defines and references, as plain records that cache by blob SHA.

``analyze_file(path, text)`` returns a JSON-able record (language, definitions, references,
search terms, syntax-error count, the reason when not parsed); ``Definition`` and ``Reference``
are the public views of its entries.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from repoagent.code.outline import outline_parsed
from repoagent.code.parsing import count_error_nodes, parse_source, to_bytes
from repoagent.code.tags import extract_tags

ANALYSIS_VERSION = "4"
"""Bump when queries or records change, so cached records are recomputed."""
MAX_TERMS = 3000
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{1,63}")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


@dataclass(frozen=True, order=True, slots=True)
class Definition:
    """A name defined in a file: ``kind`` is class, function, method, struct, ...; lines 1-based."""

    path: str
    line: int
    name: str
    kind: str
    end_line: int
    signature: str
    scope: str | None = None

    @property
    def qualified_name(self) -> str:
        """``Scope.name`` when the definition sits inside a class-like scope, else ``name``."""
        return f"{self.scope}.{self.name}" if self.scope else self.name


@dataclass(frozen=True, order=True, slots=True)
class Reference:
    """A name used in a file (call, type, import, class, name, ...); ``line`` is 1-based."""

    path: str
    line: int
    name: str
    kind: str


def split_identifier(word: str) -> list[str]:
    """Lower-cased parts of an identifier: ``parseHTTPHeaders_v2`` → parse, http, headers, v2."""
    parts = [p.lower() for chunk in word.split("_") for p in _CAMEL.findall(chunk)]
    return [p for p in parts if len(p) > 1]


def record_terms(record: dict[str, Any]) -> dict[str, int]:
    """The ``{term: count}`` of a cached record."""
    words = record.get("terms", "").split()
    return dict(zip(words[::2], map(int, words[1::2]), strict=True))


@lru_cache(maxsize=65536)
def name_terms(name: str) -> tuple[str, ...]:
    """Search terms of one identifier (memoized: the same names recur across files)."""
    return tuple(search_terms(name))


def search_terms(text: str) -> Counter[str]:
    """Lexical terms of ``text`` for BM25: identifiers, lower-cased, plus their parts."""
    terms: Counter[str] = Counter()
    for word, count in Counter(_IDENT.findall(text)).items():
        if word.isalpha() and word.islower():  # one part, the word itself: nothing to split
            terms[word] += count
            continue
        lower = word.lower()
        terms[lower] += count
        parts = split_identifier(word)
        if len(parts) > 1 or (parts and parts[0] != lower):
            for part in parts:
                terms[part] += count
    return terms


def analyze_file(path: str, text: str | bytes, with_outline: bool = False) -> dict[str, Any]:
    """Parse ``text`` as ``path``'s language and return its cacheable symbol record.

    ``with_outline`` adds the outline from the same parse under ``_outline`` (not cached with the
    record; the index moves it to the outline cache).
    """
    source = to_bytes(text)
    parsed = parse_source(path, source)
    record: dict[str, Any] = {"lang": parsed.language, "reason": parsed.reason}
    if parsed.reason not in ("binary",):
        decoded = source[:1_000_000].decode("utf-8", "replace")
        # One "term count term count ..." string: far cheaper to load from the cache than a dict.
        common = search_terms(decoded).most_common(MAX_TERMS)
        record["terms"] = " ".join(f"{term} {count}" for term, count in common)
    tags = extract_tags(parsed) if parsed.tree is not None else None
    if parsed.tree is not None:
        record["errors"] = count_error_nodes(parsed.tree.root_node)
    if tags is not None:
        record["defs"] = [
            [
                d.name,
                d.kind,
                d.node.start_point[0] + 1,
                d.node.end_point[0] + 1,
                d.signature,
                d.scope,
            ]
            for d in tags.defs
        ]
        lines: dict[tuple[str, str], set[int]] = {}
        for name, kind, row, _ in tags.refs:
            lines.setdefault((name, kind), set()).add(row + 1)
        # Grouped by name and kind: [name, kind, [lines]] keeps cached records small.
        record["refs"] = [[n, k, sorted(rows)] for (n, k), rows in sorted(lines.items())]
    if with_outline and parsed.language is not None:
        record["_outline"] = outline_parsed(parsed, tags) if tags is not None else None
    return record


def record_definitions(path: str, record: dict[str, Any]) -> list[Definition]:
    """The ``Definition`` entries of a cached record."""
    return [
        Definition(
            path=path, line=line, name=name, kind=kind, end_line=end, signature=sig, scope=scope
        )
        for name, kind, line, end, sig, scope in record.get("defs", ())
    ]


def record_references(path: str, record: dict[str, Any]) -> list[Reference]:
    """The ``Reference`` entries of a cached record."""
    return sorted(
        Reference(path=path, line=line, name=name, kind=kind)
        for name, kind, lines in record.get("refs", ())
        for line in lines
    )
