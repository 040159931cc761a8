"""What one file defines, uses and imports, read without a parser (for ``LexicalIndex``).

``extract_file(path, text)`` returns a JSON-able record: the language, its distinct identifiers
(one ``bytes.translate`` + ``split`` + ``dict.fromkeys``; counting them all cost more, and
ranking asks whether a file uses a name, not how often), the definitions found by the
language's regular expressions in ``lexical_rules`` (with approximate end lines and scopes from
indentation), and the names and modules its import lines bring in. Keyword lookups scan back
only to the previous match, so a minified one-line file stays linear.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping
from typing import Any

from repoagent.code.languages import language_for_path
from repoagent.code.lexical_rules import (
    CONTAINERS,
    NOT_NAMES,
    PYTHON_IMPORT,
    PYTHON_IMPORT_WORD,
    RULES,
    Rules,
    import_references,
)

MAX_PREFIX = 400
"""Characters a definition or import keyword may follow on its line, or a body start follow."""
_WORD_BYTES = bytes(
    c if chr(c).isascii() and (chr(c).isalnum() or c == 95) else 32 for c in range(256)
)
intern = sys.intern
_NOT_TYPES = frozenset(
    {"return", "new", "else", "throw", "await", "yield", "case", "goto", "delete"}
)


def extract_file(path: str, text: str) -> dict[str, Any]:
    """The cacheable lexical record of one file: identifiers, definitions and imports."""
    return extract_with_words(path, text)[0]


def extract_with_words(
    path: str, text: str, language: str | None = None
) -> tuple[dict[str, Any], dict[str, None]]:
    """The record, and its distinct identifiers already as dict keys (the record holds them as
    one string, cheap to store and load as JSON). ``language``: ``path``'s, when known."""
    language = language or language_for_path(path)
    words = text.encode("utf-8", "replace").translate(_WORD_BYTES).decode("ascii").split()
    # A dict of strings, unlike a set, is not tracked by the garbage collector, whose passes
    # would otherwise walk every file's identifiers (measured: ~0.08 s per ranking of sympy).
    # Interned, the files' identifiers share one string each: an index of django's 5,410 files
    # took 102 MB, now 56 MB (for ~0.1 s more CPU, on two cores when the index forks).
    distinct = dict.fromkeys(map(intern, dict.fromkeys(words)))
    record: dict[str, Any] = {"lang": language, "names": " ".join(distinct), "size": len(words)}
    rules = RULES.get(language) if language else None
    if rules is not None:
        record["defs"] = find_definitions(text, rules)
        # {kind: "name name ..."}, a name repeated per use: JSON reads strings fastest.
        imports: dict[str, list[str]] = {}
        for (name, kind), count in sorted(find_imports(text, rules).items()):
            imports.setdefault(kind, []).extend([name] * count)
        record["imports"] = {kind: " ".join(names) for kind, names in imports.items()}
    return record, distinct


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def count_word(text: str, word: str) -> int:
    """How often ``word`` occurs in ``text`` as a whole identifier (as the record's split finds
    identifiers: runs of ASCII letters, digits and ``_``)."""
    found, size, at = 0, len(word), text.find(word)
    while at != -1:
        end = at + size
        if (at == 0 or text[at - 1] not in _WORD_CHARS) and text[end : end + 1] not in _WORD_CHARS:
            found += 1
        # An occurrence starting inside this one follows a word character: none is skipped.
        at = text.find(word, end)
    return found


def find_definitions(text: str, rules: Rules) -> list[list[Any]]:
    """``[name, kind, line, end_line, scope]`` of each definition, in line order."""
    found: dict[
        int, tuple[str, str, str | None, int]
    ] = {}  # name position -> name, kind, scope, indent
    modifiers = rules.modifiers.fullmatch
    for rule in rules.defs:
        groups = rule.pattern.groupindex
        typed, scoped, kinded = "type" in groups, "scope" in groups, "kind" in groups
        if rule.top and rule.pattern.pattern.startswith("\\n") and text[:1] != "\n":
            first = rule.pattern.match("\n" + text[: text.find("\n") % (len(text) + 1)])
            if first is not None:
                found.setdefault(0, (first.group("name"), rule.kind, None, 0))
        lines = _LineStarts(text)
        for m in rule.pattern.finditer(text):
            start = m.start()
            if text[start] == "\n":
                start += 1
            at = m.start("name")
            line_start = lines.before(start)
            if start - line_start > MAX_PREFIX:  # minified code: not a definition's line
                continue
            if rule.anchored:
                head = text[line_start:at]
                indent = len(head) - len(head.lstrip(" \t"))
            elif line_start == start:
                indent = 0
            else:
                prefix = text[line_start:start]  # indentation, then modifiers
                indent = len(prefix) - len(prefix.lstrip(" \t"))
                if indent < len(prefix) and not modifiers(prefix):
                    continue
            if rule.top and indent:
                continue
            if rule.body and not _has_body(text, m.end()):
                continue
            name, scope, kind = m.group("name"), None, rule.kind
            if typed and m.group("type") in _NOT_TYPES:
                continue
            if scoped and m.group("scope"):
                scope = m.group("scope")
                kind = "method" if kind == "function" else kind
            if kinded and m.group("kind"):
                kind = m.group("kind")
            if "::" in name:
                scope, _, name = name.rpartition("::")
                scope = scope.rpartition("::")[2]
            if name in NOT_NAMES or not name:
                continue
            found.setdefault(at, (name, "impl!" if rule.scope_only else kind, scope, indent))
    return _nest(text, found)


def _has_body(text: str, at: int) -> bool:
    """A ``{`` comes before any ``;`` (a C-style definition, not a prototype or a call)."""
    brace, semi = text.find("{", at, at + MAX_PREFIX), text.find(";", at, at + MAX_PREFIX)
    return brace != -1 and (semi == -1 or brace < semi)


class _LineStarts:
    """Where the line holding a position starts, for positions given in increasing order:
    each lookup scans back only to the previous one (a minified file is one long line)."""

    def __init__(self, text: str) -> None:
        self.text, self.scanned, self.start = text, 0, 0

    def before(self, at: int) -> int:
        """The start of the line ``at`` is on (``at`` never less than the previous call's)."""
        newline = self.text.rfind("\n", self.scanned, at)
        if newline != -1:
            self.start = newline + 1
        self.scanned = at
        return self.start


def _nest(text: str, found: Mapping[int, tuple[str, str, str | None, int]]) -> list[list[Any]]:
    """Line numbers, approximate end lines (the line before the next definition at the same or
    an outer indent) and scopes (the enclosing definition) of the definitions found."""
    out: list[list[Any]] = []
    stack: list[tuple[list[Any], int]] = []  # (entry, indent)
    line, last = 1, 0
    for pos in sorted(found):
        name, kind, scope, indent = found[pos]
        line += text.count("\n", last, pos)
        last = pos
        while stack and stack[-1][1] >= indent:
            entry, _ = stack.pop()
            entry[3] = max(entry[2], line - 1)
        if stack:
            parent = stack[-1][0]
            parent_kind = "impl" if parent[1] == "impl!" else parent[1]
            scope = scope or parent[0]
            if kind == "function" and parent_kind in CONTAINERS - {"module", "namespace"}:
                kind = "method"
        entry = [name, kind, line, line, scope]
        stack.append((entry, indent))
        out.append(entry)
    end = line + text.count("\n", last) - text.endswith("\n")
    for entry, _ in stack:
        entry[3] = max(entry[2], end)
    return [e for e in out if e[1] != "impl!"]


def find_imports(text: str, rules: Rules) -> Counter[tuple[str, str]]:
    """``(name, kind)`` references of the file's import lines, counted."""
    found: Counter[tuple[str, str]] = Counter()
    for pattern, how in rules.imports:
        if how == "python":  # find the keyword fast, then read its statement from the line start
            lines = _LineStarts(text)
            for m in PYTHON_IMPORT_WORD.finditer(text):
                at = m.start()
                line_start = lines.before(at)
                if at - line_start > MAX_PREFIX:
                    continue
                line = PYTHON_IMPORT.match(text, line_start)
                if line is not None and at in (line.start("from_kw"), line.start("import_kw")):
                    found.update(import_references(how, line))
            continue
        for m in pattern.finditer(text):
            found.update(import_references(how, m))
    return found
