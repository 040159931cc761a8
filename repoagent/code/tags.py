"""Definitions, references, imports and docstrings of one parsed file, from its ``.scm`` query.

The query files in ``queries/`` share capture names: ``@definition.KIND`` + ``@name`` for a
definition (``@body`` marks its body when the grammar has no ``body`` field), ``@reference.KIND``
for a used name, ``@import``, ``@doc`` (a docstring) and ``@keep`` (a line outlines keep).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tree_sitter import Node, Query, QueryCursor

from repoagent.cache import files_fingerprint
from repoagent.code.languages import QUERY_FILES, load_language
from repoagent.code.parsing import ParsedFile

# Kinds that may contain methods, and kinds whose nested definitions are locals.
CONTAINER_KINDS = frozenset(
    {"class", "struct", "interface", "trait", "impl", "module", "namespace", "enum", "object"}
)
METHOD_PARENT_KINDS = CONTAINER_KINDS - {"module", "namespace"}
CALLABLE_KINDS = frozenset({"function", "method", "constructor"})
SIGNATURE_CHARS = 300
QUERIES_DIR = Path(__file__).resolve().parent / "queries"
_BODYLESS_LINES = {"type": 25, "struct": 25, "enum": 25, "interface": 25}
_PREFIX_TYPES = frozenset({"decorated_definition", "export_statement", "template_declaration"})
# Go's `const X = 1`, `var X int`: the declaration around a lone spec is the definition (its
# keyword starts the signature); in a `const (...)` group each spec stands alone.
_LONE_SPEC_WRAPPERS = frozenset({"const_declaration", "var_declaration"})
_ATTRIBUTE_TYPES = frozenset({"attribute_item", "attribute", "decorator", "annotation"})
_WS = re.compile(r"\s+")


@dataclass
class DefSpan:
    """A definition with the rows (0-based) an outline shows for it."""

    name: str
    kind: str
    node: Node
    first_row: int  # decorators / attributes / export included
    sig_end_row: int  # last row of the signature
    signature: str
    doc_row: int | None = None  # first worded row of the comment just above
    name_byte: int = -1
    scope: str | None = None
    local: bool = False  # defined inside a function body


@dataclass
class FileTags:
    """Everything extracted from one file's tree."""

    defs: list[DefSpan] = field(default_factory=list)
    refs: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, kind, row, byte
    imports: list[tuple[int, int]] = field(default_factory=list)  # row spans
    keep: list[tuple[int, int]] = field(default_factory=list)
    docs: list[int] = field(default_factory=list)


@cache
def query_for(language: str, references: bool = True) -> Query | None:
    """The compiled tags query of ``language`` (``queries/<language>.scm``), or ``None``.

    ``references=False`` disables the ``@reference.*`` patterns (outlines do not need them).
    """
    grammar = load_language(language)
    paths = [QUERIES_DIR / f"{name}.scm" for name in QUERY_FILES.get(language, (language,))]
    if grammar is None or not all(p.is_file() for p in paths):
        return None
    query = Query(grammar, "\n".join(p.read_text(encoding="utf-8") for p in paths))
    if not references:
        for i in range(query.capture_count):
            if query.capture_name(i).startswith("reference."):
                query.disable_capture(query.capture_name(i))
    return query


@cache
def query_fingerprint(language: str | None) -> str:
    """A short hash of the language's query files, so cached results follow query edits."""
    if language is None:
        return "none"
    digest = hashlib.sha1()
    for name in QUERY_FILES.get(language, (language,)):
        path = QUERIES_DIR / f"{name}.scm"
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:10]


@cache
def analysis_fingerprint() -> str:
    """A short hash of the modules that turn a blob into tags, outlines and symbol records, so
    an upgrade that changes one recomputes what was cached (a version bumped by hand stayed
    the same through outline changes)."""
    names = ("languages", "parsing", "tags", "outline", "symbols")
    return files_fingerprint(Path(__file__).parent / f"{name}.py" for name in names)[:10]


def extract_tags(parsed: ParsedFile, references: bool = True) -> FileTags | None:
    """Run the language's query over the parsed tree; ``None`` when there is no tree or query."""
    if parsed.tree is None or parsed.language is None:
        return None
    query = query_for(parsed.language, references)
    if query is None:
        return None
    tags = FileTags()
    seen_defs: set[int] = set()
    seen_refs: set[tuple[str, int, int]] = set()
    for _pattern, caps in QueryCursor(query).matches(parsed.tree.root_node):
        for cap, nodes in caps.items():
            if cap.startswith("definition."):
                name_nodes = caps.get("name")
                node = nodes[0]
                if not name_nodes or node.id in seen_defs:
                    continue
                seen_defs.add(node.id)
                body = _body_of(node, caps)
                span = _def_span(parsed.source, node, name_nodes[0], cap[11:], body)
                if "scope" in caps:  # Go receivers, C++ `Class::method`
                    span.scope = (
                        _text(parsed.source, caps["scope"][0]).lstrip("*").split("<")[0] or None
                    )
                tags.defs.append(span)
            elif cap.startswith("reference."):
                for node in nodes:
                    key = (_text(parsed.source, node), node.start_byte, node.end_byte)
                    if key[0] and key not in seen_refs:
                        seen_refs.add(key)
                        tags.refs.append((key[0], cap[10:], node.start_point[0], node.start_byte))
            elif cap in ("import", "keep"):
                target = tags.imports if cap == "import" else tags.keep
                target.extend((n.start_point[0], _last_row(n)) for n in nodes)
            elif cap == "doc":
                tags.docs.extend(
                    _doc_row(parsed.source, n.start_byte, n.end_byte, n.start_point[0])
                    for n in nodes
                )
    # A definition's own name is not a use of it (``type_identifier`` patterns match both).
    names = {(d.name, d.name_byte) for d in tags.defs}
    tags.refs = [r for r in tags.refs if (r[0], r[3]) not in names]
    _nest(tags.defs)
    return tags


def _body_of(node: Node, caps: dict[str, list[Node]]) -> Node | None:
    """The captured ``@body``, the body of a captured ``@_fn`` value, or the ``body`` field."""
    if "body" in caps:
        return caps["body"][0]
    if "_fn" in caps:
        return caps["_fn"][0].child_by_field_name("body")
    return node.child_by_field_name("body")


def _text(source: bytes, node: Node) -> str:
    # Slicing the source is much faster than ``node.text`` on a tree parsed from a callback.
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace").strip()


def _last_row(node: Node) -> int:
    """The last row holding text of ``node`` (a node ending at column 0 ends on the row before)."""
    row, col = node.end_point
    return max(node.start_point[0], row - 1 if col == 0 else row)


def _def_span(source: bytes, node: Node, name: Node, kind: str, body: Node | None) -> DefSpan:
    if (
        node.parent is not None
        and node.parent.type in _LONE_SPEC_WRAPPERS
        and node.parent.named_child_count == 1
    ):
        node = node.parent  # `const X = 1` is the definition, keyword and doc comment included
    first = node
    while first.parent is not None and first.parent.type in _PREFIX_TYPES:
        first = first.parent
    prev = first.prev_named_sibling
    while prev is not None and prev.type in _ATTRIBUTE_TYPES:
        first, prev = prev, prev.prev_named_sibling
    doc_row = _comment_above(source, first)
    start_row = node.start_point[0]
    # A comment between the name and the body (Ruby) ends the signature too.
    comments = [c for c in node.children if "comment" in c.type and c.start_byte > name.end_byte]
    if comments and (body is None or comments[0].start_byte < body.start_byte):
        body = comments[0]
    if body is not None and body.start_byte > node.start_byte:
        sig_bytes = source[node.start_byte : body.start_byte]
        sig_end = body.start_point[0]
        # A body that starts on its own line (Python blocks) is not part of the signature,
        # unless that line opens with the body's brace (Allman style).
        if sig_end > start_row and source[body.start_byte : body.start_byte + 1] not in b"{:":
            sig_end -= 1
    else:
        limit = _BODYLESS_LINES.get(kind, 3)
        sig_end = min(_last_row(node), start_row + limit - 1)
        sig_bytes = source[node.start_byte : node.end_byte]
    signature = _WS.sub(" ", sig_bytes.decode("utf-8", "replace")).strip().rstrip("{").strip()
    return DefSpan(
        name=_text(source, name),
        kind=kind,
        node=node,
        first_row=first.start_point[0],
        sig_end_row=max(sig_end, start_row),
        signature=signature[:SIGNATURE_CHARS],
        doc_row=doc_row,
        name_byte=name.start_byte,
    )


def _comment_above(source: bytes, node: Node) -> int | None:
    """The doc row of the comment block directly above ``node`` (no blank line between)."""
    top: Node | None = None
    prev, row = node.prev_sibling, node.start_point[0]
    while prev is not None and "comment" in prev.type and _last_row(prev) >= row - 1:
        top, row = prev, prev.start_point[0]
        prev = prev.prev_sibling
    if top is None:
        return None
    return _doc_row(source, top.start_byte, node.start_byte, top.start_point[0])


def _doc_row(source: bytes, start: int, end: int, row: int) -> int:
    """The first row of ``source[start:end]`` (starting at ``row``) that has words on it."""
    for offset, line in enumerate(source[start:end].split(b"\n")):
        if re.search(rb"\w", line):
            return row + offset
    return row


def _nest(defs: list[DefSpan]) -> None:
    """Set each definition's scope, mark locals, and call functions inside containers methods."""
    defs.sort(key=lambda d: (d.node.start_byte, -d.node.end_byte))
    stack: list[DefSpan] = []
    for d in defs:
        while stack and stack[-1].node.end_byte <= d.node.start_byte:
            stack.pop()
        if stack:
            parent = stack[-1]
            d.scope = d.scope or parent.name
            d.local = parent.local or parent.kind in CALLABLE_KINDS
            if d.kind == "function" and parent.kind in METHOD_PARENT_KINDS:
                d.kind = "method"
        stack.append(d)
