"""Code intelligence: tree-sitter parsing, outlines, a symbol index and relevance ranking.

Grammars come from the per-language wheels (``tree-sitter-python``, ...); nothing is downloaded.
Public surface::

    syntax_errors(path, text) -> int | None     # ERROR/MISSING nodes; None = no grammar
    outline_file(path, text) -> str | None      # "<n>│line" kept lines, bodies as "⋮..."
    SymbolIndex.build(repo_path, rev="HEAD", paths=None, worktree=False)
    SymbolIndex.from_blobs(entries, read) / SymbolIndex.from_texts({path: text})
        .definitions(name) .references(name) .defined_in(path) -> Definition / Reference
    rank_files(index, focus=, changed=, changed_lines=, query=, recency=, churn=)
        -> [RankedFile(path, score, reason, role)], best first
    LexicalIndex.from_texts({path: text}, {path: blob sha})   # repoagent.code.lexical
        a parser-free index (regex definitions, identifier uses, import lines) that the
        packer ranks with; rank_files takes either index (``RankIndex``)
    git_activity(repo_path, rev) -> (recency, churn)

Files that cannot be parsed (binary, minified, too large, over the parse-time cap) fall back:
``outline_file``/``syntax_errors`` return ``None`` and ``SymbolIndex.skipped()`` says why.
"""

from __future__ import annotations

from repoagent.code.history import git_activity
from repoagent.code.index import SymbolIndex
from repoagent.code.languages import language_for_path, supported_languages
from repoagent.code.outline import outline_file
from repoagent.code.parsing import count_error_nodes, parse_source
from repoagent.code.rank import RankedFile, bm25_files, rank_files
from repoagent.code.roles import file_role
from repoagent.code.symbols import Definition, Reference

__all__ = [
    "Definition",
    "RankedFile",
    "Reference",
    "SymbolIndex",
    "bm25_files",
    "file_role",
    "git_activity",
    "language_for_path",
    "outline_file",
    "rank_files",
    "supported_languages",
    "syntax_errors",
]


def syntax_errors(path: str, text: str | bytes) -> int | None:
    """Count ERROR and MISSING nodes in ``text``; ``None`` when no grammar can parse it."""
    parsed = parse_source(path, text)
    if parsed.tree is None:
        return None
    return count_error_nodes(parsed.tree.root_node)
