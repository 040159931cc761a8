"""Words that are keywords, literals or built-in types in a language: never a use of another
file's definition, though members may be named after them (zod's test ``Mocker`` has ``get
null()``) and every file of the language has them."""

from __future__ import annotations

_JS = frozenset([
    "null", "undefined", "true", "false", "this", "super", "void", "typeof", "instanceof",
    "new", "delete", "in", "of", "return", "function", "class", "const", "let", "var", "if",
    "else", "for", "while", "do", "switch", "case", "break", "continue", "default", "try",
    "catch", "finally", "throw", "import", "export", "from", "as", "async", "await", "yield",
    "extends", "implements", "static", "arguments", "require", "module", "exports", "NaN",
    "Infinity",
])  # fmt: skip
_TS = _JS | frozenset([
    "type", "interface", "enum", "declare", "namespace", "keyof", "readonly", "infer", "is",
    "asserts", "satisfies", "any", "unknown", "never", "string", "number", "boolean", "bigint",
    "symbol", "object",
])  # fmt: skip

RESERVED_WORDS: dict[str, frozenset[str]] = {"javascript": _JS, "typescript": _TS, "tsx": _TS}
"""Per language (the names of ``repoagent.code.languages``), its reserved words."""
