"""Parse one file with a time cap and input checks; say why when a file is not parsed.

Reasons a file is not parsed (``ParsedFile.reason``): ``no-grammar``, ``binary``, ``too-large``,
``minified``, ``timeout``, ``parse-failed``. A tree with syntax errors is still a tree: callers
outline and index whatever parsed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tree_sitter import Node, Tree

from repoagent.code.languages import language_for_source, parser_for

MAX_BYTES = 2_000_000
"""Files larger than this are not parsed (an outline of a 2 MB file is rarely what anyone wants)."""
MAX_LINE_CHARS = 10_000
"""A line longer than this marks minified or generated code, when lines are long on average."""
MINIFIED_AVERAGE = 500
"""Characters per line on average above which a file with a very long line is minified (the
packer's own rule): one long literal in a hand-written test (zod's string.test.ts, a 32 KB
string in 1,700 lines) does not make the file unparseable."""
PARSE_SECONDS = 2.0
"""Wall-clock cap per file; tree-sitter's progress callback cancels the parse past it."""
_CHUNK = 64 * 1024
_parses = 0


def parse_count() -> int:
    """How many files this process has handed to tree-sitter (tests assert warm runs add none)."""
    return _parses


@dataclass
class ParsedFile:
    """The outcome of parsing one file: a tree, or the reason there is none."""

    path: str
    language: str | None
    source: bytes
    tree: Tree | None = None
    reason: str | None = None

    @property
    def lines(self) -> list[str]:
        """The file's lines as text, split on ``\n`` only so rows match tree-sitter's."""
        lines = self.source.decode("utf-8", "replace").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [line.removesuffix("\r") for line in lines]


def to_bytes(text: str | bytes) -> bytes:
    """Encode ``text`` as UTF-8, replacing what cannot be encoded (lone surrogates)."""
    if isinstance(text, bytes):
        return text
    return text.encode("utf-8", "replace")


def unparseable_reason(source: bytes) -> str | None:
    """Why ``source`` should not be parsed at all (binary, too large, minified), or ``None``."""
    if b"\0" in source[:8192] or b"\0" in source:
        return "binary"
    if len(source) > MAX_BYTES:
        return "too-large"
    if (
        len(source) > MAX_LINE_CHARS
        and len(source) / (source.count(b"\n") + 1) > MINIFIED_AVERAGE
        and max(map(len, source.split(b"\n"))) > MAX_LINE_CHARS
    ):
        return "minified"
    return None


def parse_source(path: str, text: str | bytes, seconds: float = PARSE_SECONDS) -> ParsedFile:
    """Parse ``text`` as the language of ``path``; never raises, never runs past ``seconds``."""
    source = to_bytes(text)
    language = language_for_source(path, source)
    parsed = ParsedFile(path=path, language=language, source=source)
    parser = parser_for(language) if language else None
    if parser is None:
        parsed.reason = "no-grammar"
        return parsed
    parsed.reason = unparseable_reason(source)
    if parsed.reason:
        return parsed
    global _parses
    _parses += 1
    deadline = time.monotonic() + seconds

    def read(offset: int, _point: object) -> bytes:
        return source[offset : offset + _CHUNK]

    def cancel(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    try:
        parsed.tree = parser.parse(read, progress_callback=cancel)
    except ValueError:  # raised when the progress callback cancels the parse
        parser.reset()
        parsed.reason = "timeout" if time.monotonic() > deadline else "parse-failed"
    if parsed.tree is None and parsed.reason is None:
        parsed.reason = "parse-failed"
    return parsed


def count_error_nodes(root: Node) -> int:
    """Count ERROR and MISSING nodes below ``root``, visiting only subtrees that contain errors."""
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        if node.has_error:
            stack.extend(node.children)
    return count
