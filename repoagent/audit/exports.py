"""What a module declares as its public surface, where the language lets it say so explicitly.

JavaScript / TypeScript: only what is exported (``export function``, ``export { a as b }``,
``module.exports``). Python: ``__all__`` when the module defines it as a literal. Elsewhere the
naming conventions in :mod:`repoagent.audit.api_changes` decide.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

JS_SUFFIXES = frozenset({".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"})

_JS_DECLARED = re.compile(
    r"^[ \t]*export\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?"
    r"(?:function\*?|class|const|let|var|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)",
    re.M,
)
_JS_CLAUSE = re.compile(r"\bexport\s*(?:type\s*)?\{([^}]*)\}")
_CJS_PROPERTY = re.compile(r"\b(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=")
_CJS_OBJECT = re.compile(r"\bmodule\.exports\s*=\s*\{([^}]*)\}")
_CJS_NAME = re.compile(r"\bmodule\.exports\s*=\s*([A-Za-z_$][\w$]*)\s*;?\s*$", re.M)
_PY_ALL = re.compile(r"^__all__\s*(?::[^=]+)?=\s*([\[(].*?[\])])", re.M | re.S)


def _clause_names(body: str) -> set[str]:
    names = set()
    for item in body.split(","):
        words = item.replace("type ", " ").split()
        if words and re.fullmatch(r"[A-Za-z_$][\w$]*", words[0]):
            names.add(words[0])  # `a as b` exports the local `a`
    return names


def js_exports(text: str) -> set[str]:
    """Local names an ES or CommonJS module exports."""
    names = set(_JS_DECLARED.findall(text))
    for body in _JS_CLAUSE.findall(text):
        names |= _clause_names(body)
    names |= set(_CJS_PROPERTY.findall(text))
    for body in _CJS_OBJECT.findall(text):
        names |= {n.split(":")[0].strip() for n in body.split(",") if n.strip()}
    names |= set(_CJS_NAME.findall(text))
    return names


def python_all(text: str) -> set[str] | None:
    """The names in a literal ``__all__``, or None when the module has none (or it is computed)."""
    match = _PY_ALL.search(text)
    if match is None:
        return None
    try:
        value = ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):
        return None
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return set(value)
    return None


def exported_names(path: str, text: str | None) -> set[str] | None:
    """The module's explicit public names, or None when its language has no such list."""
    if text is None:
        return None
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in JS_SUFFIXES:
        return js_exports(text)
    if suffix in {".py", ".pyi"}:
        return python_all(text)
    return None
