"""Per-language regular expressions for the lexical index: definitions and import lines.

Each definition rule is a pattern with a ``name`` group (optionally ``scope``, ``kind``, ``type``). Most start with their keyword
(``def``, ``class``, ``func``): a pattern led by a literal is searched at C speed by ``re``,
where a ``^``-anchored one is tried at every line. A keyword match counts only when the text
between the line start and the keyword is indentation plus the language's modifiers
(``export default``, ``pub(crate)``, ``public static``); ``top`` rules count only at column 0.
Import rules yield ``(name, kind)`` references: ``module`` for a module or file stem (the graph
falls back to files of that stem), ``import`` for an imported name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

CONTAINERS = frozenset(
    {"class", "struct", "interface", "trait", "impl", "module", "namespace", "enum", "object"}
)
"""Kinds whose nested definitions get the container as scope (functions in them are methods)."""
NOT_NAMES = frozenset(
    [
        "if",
        "for",
        "while",
        "switch",
        "catch",
        "return",
        "function",
        "else",
        "do",
        "new",
        "typeof",
        "sizeof",
        "synchronized",
        "using",
        "lock",
        "foreach",
        "with",
        "elif",
        "elsif",
        "unless",
        "until",
        "case",
        "when",
        "match",
        "loop",
        "await",
        "yield",
        "throw",
        "delete",
        "defined",
        "constructor",
        "super",
        "this",
        "self",
    ]
)
"""Words a loose method pattern can catch that never name a definition (``if (x) {``)."""


@dataclass(frozen=True)
class Rule:
    """A definition pattern (group ``name``) and the ``kind`` of what it defines."""

    pattern: re.Pattern[str]
    kind: str
    top: bool = False
    """Only at column 0 (module-level assignments, C functions)."""
    anchored: bool = False
    """The pattern matches whole line starts itself: no modifier check."""
    body: bool = False
    """Only when a ``{`` follows before any ``;`` (a C-style definition, not a declaration)."""
    scope_only: bool = False
    """A scope for what it contains (Rust ``impl``), not a definition."""


@dataclass(frozen=True)
class Rules:
    """What the lexical index looks for in one language."""

    defs: tuple[Rule, ...]
    modifiers: re.Pattern[str]
    imports: tuple[tuple[re.Pattern[str], str], ...] = ()
    """(pattern, how): ``how`` is ``python``, ``dotted``, ``path``,
    ``paths``, ``names``, ``rust-use``."""


def _rule(pattern: str, kind: str, **flags: bool) -> Rule:
    multiline = re.M if flags.get("anchored") else 0
    return Rule(re.compile(pattern, multiline), kind, **flags)


def _mods(*words: str) -> re.Pattern[str]:
    alternatives = "|".join([*words, r"@[\w.]+(?:\([^)\n]*\))?"])
    return re.compile(rf"[ \t]*(?:(?:{alternatives})[ \t]+)*")


_NAME = r"(?P<name>[A-Za-z_$][\w$]*)"
_W = r"(?P<name>\w+)"
_JS_MODS = ("export", "default", "async", "declare", "abstract", "public", "private", "protected",
            "static", "readonly")  # fmt: skip
_JS_DEFS = (
    _rule(rf"function\*?[ \t]*{_NAME}", "function"),
    _rule(rf"class[ \t]+{_NAME}", "class"),
    # `=`, or in a declaration file `export declare const X: T;` / `...: {` (no value)
    _rule(rf"(?:const|let|var)[ \t]+{_NAME}[ \t]*(?::[^=\n]+)?[=;{{]", "variable", top=True),
    _rule(
        r"^[ \t]+(?:(?:static|async|get|set|public|private|protected|readonly|override|abstract)"
        rf"[ \t]+)*#?{_NAME}[ \t]*(?:<[^>\n]*>)?\([^)\n]*\)[ \t]*(?::[^{{;\n]*)?\{{",
        "method",
        anchored=True,
    ),
)
_JS_IMPORTS = (
    (re.compile(r"""(?:from|import|require\()[ \t]*['"](?P<name>[^'"\n]+)['"]"""), "path"),
    (re.compile(r"import[ \t]*(?:type[ \t]+)?\{(?P<name>[^}]*)\}[ \t]*from"), "names"),
)
_TS_DEFS = (
    *_JS_DEFS,
    _rule(rf"interface[ \t]+{_NAME}", "interface"),
    _rule(rf"type[ \t]+{_NAME}[ \t]*(?:<[^>\n]*>)?[ \t]*=", "type"),
    _rule(rf"enum[ \t]+{_NAME}", "enum"),
    _rule(rf"namespace[ \t]+{_NAME}", "namespace"),
)
_C_DEFS = (
    # A function definition starts at column 0 (return type and name, or the name alone when
    # the type is on the line above); ``body`` drops prototypes.
    _rule(
        r"^(?:[A-Za-z_][^;{}()\n=#]*?[ \t*&])?(?P<name>(?:\w+::)*~?\w+)[ \t]*\(",
        "function",
        anchored=True,
        body=True,
    ),
    _rule(rf"struct[ \t]+{_W}[ \t\n]*\{{", "struct"),
    _rule(rf"union[ \t]+{_W}[ \t\n]*\{{", "struct"),
    _rule(rf"enum[ \t]+(?:class[ \t]+)?{_W}[ \t\n]*(?::[^{{;]*)?\{{", "enum"),
    _rule(rf"#[ \t]*define[ \t]+{_W}", "macro"),
    _rule(rf"^\}}[ \t]*{_W}[ \t]*;", "type", anchored=True),
)
_C_IMPORTS = ((re.compile(r"#[ \t]*include[ \t]*[<\"](?P<name>[^>\"\n]+)[>\"]"), "path"),)
_JAVA_LIKE_MODS = [
    "public",
    "private",
    "protected",
    "internal",
    "static",
    "final",
    "abstract",
    "sealed",
    "partial",
    "readonly",
    "virtual",
    "override",
    "async",
    "extern",
    "unsafe",
    "new",
    "synchronized",
    "native",
    "default",
    "strictfp",
]
_JAVA_METHOD = _rule(
    r"^[ \t]+(?:@\w+(?:\([^)\n]*\))?[ \t]+)*(?:(?:" + "|".join(_JAVA_LIKE_MODS) + r")[ \t]+)*"
    r"(?:<[^>\n]*>[ \t]+)?(?P<type>[\w<>\[\],.?]+)[ \t]+(?P<name>\w+)[ \t]*\(",
    "method",
    anchored=True,
)

# Python: an import statement read from its line start; ``from_kw``/``import_kw`` locate the
# ``import`` keyword that was found first.
PYTHON_IMPORT = re.compile(
    r"[ \t]*(?:from[ \t]+(?P<name>[\w.]+)[ \t]+(?P<from_kw>import)[ \t]+"
    r"(?P<names>\([^)]{0,4000}\)|[^\n;]{0,1000})|(?P<import_kw>import)[ \t]+(?P<modules>[^\n;]{0,1000}))"
)
PYTHON_IMPORT_WORD = re.compile(r"import[ \t]")

RULES: dict[str, Rules] = {
    "python": Rules(
        defs=(
            _rule(rf"def[ \t]+{_W}", "function"),
            _rule(rf"class[ \t]+{_W}", "class"),
            _rule(r"\n(?P<name>[A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)", "variable", top=True),
        ),
        modifiers=_mods("async"),
        imports=((PYTHON_IMPORT, "python"),),
    ),
    "javascript": Rules(_JS_DEFS, _mods(*_JS_MODS), _JS_IMPORTS),
    "typescript": Rules(_TS_DEFS, _mods(*_JS_MODS), _JS_IMPORTS),
    "tsx": Rules(_TS_DEFS, _mods(*_JS_MODS), _JS_IMPORTS),
    "go": Rules(
        defs=(
            _rule(
                r"func[ \t]+(?:\([^)]*?\*?(?P<scope>\w+)(?:\[[^\]]*\])?\)[ \t]*)?(?P<name>\w+)",
                "function",
            ),
            _rule(rf"type[ \t]+{_W}[ \t]+(?:\[[^\]]*\][ \t]*)?(?P<kind>struct|interface)?", "type"),
            _rule(rf"(?:const|var)[ \t]+{_W}", "variable", top=True),
        ),
        modifiers=_mods(),
        imports=(
            (re.compile(r"import[ \t]*(?P<name>\([^)]*\)|(?:[\w.]+[ \t]+)?\"[^\"\n]+\")"), "paths"),
        ),
    ),
    "rust": Rules(
        defs=(
            _rule(rf"fn[ \t]+{_W}", "function"),
            _rule(rf"struct[ \t]+{_W}", "struct"),
            _rule(rf"enum[ \t]+{_W}", "enum"),
            _rule(rf"trait[ \t]+{_W}", "trait"),
            _rule(rf"type[ \t]+{_W}", "type"),
            _rule(rf"mod[ \t]+{_W}", "module"),
            _rule(rf"(?:const|static)[ \t]+(?:mut[ \t]+)?{_W}[ \t]*:", "constant"),
            _rule(rf"macro_rules![ \t]*{_W}", "macro"),
            _rule(
                r"impl(?:[ \t]*<[^>\n]*>)?[ \t]+(?:[\w:<>, ]+?[ \t]+for[ \t]+)?(?:\w+::)*"
                r"(?P<name>\w+)",
                "impl",
                scope_only=True,
            ),
        ),
        modifiers=_mods(
            "pub",
            r"pub\([\w: ]+\)",
            "async",
            "const",
            "unsafe",
            r"extern(?:[ \t]+\"\w+\")?",
            "default",
        ),
        imports=(
            (re.compile(r"use[ \t]+(?P<name>[\w:{}, \t\n*]+);"), "rust-use"),
            (re.compile(r"mod[ \t]+(?P<name>\w+)[ \t]*;"), "path"),
        ),
    ),
    "java": Rules(
        defs=(
            _rule(rf"(?:class|record)[ \t]+{_W}", "class"),
            _rule(rf"interface[ \t]+{_W}", "interface"),
            _rule(rf"enum[ \t]+{_W}", "enum"),
            _JAVA_METHOD,
        ),
        modifiers=_mods(*_JAVA_LIKE_MODS),
        imports=((re.compile(r"import[ \t]+(?:static[ \t]+)?(?P<name>[\w.*]+)"), "dotted"),),
    ),
    "csharp": Rules(
        defs=(
            _rule(rf"(?:class|record)[ \t]+{_W}", "class"),
            _rule(rf"interface[ \t]+{_W}", "interface"),
            _rule(rf"struct[ \t]+{_W}", "struct"),
            _rule(rf"enum[ \t]+{_W}", "enum"),
            _rule(r"namespace[ \t]+(?:[\w]+\.)*(?P<name>\w+)", "namespace"),
            _JAVA_METHOD,
        ),
        modifiers=_mods(*_JAVA_LIKE_MODS),
        imports=((re.compile(r"using[ \t]+(?:static[ \t]+)?(?P<name>[\w.]+)[ \t]*;"), "dotted"),),
    ),
    "c": Rules(_C_DEFS, _mods("typedef", "static", "extern", "inline", "const"), _C_IMPORTS),
    "cpp": Rules(
        defs=(
            *_C_DEFS,
            _rule(rf"class[ \t]+{_W}[^;{{]*\{{", "class"),
            _rule(rf"namespace[ \t]+{_W}", "namespace"),
        ),
        modifiers=_mods(
            "typedef", "static", "extern", "inline", "const", r"template[ \t]*<[^>\n]*>", "virtual"
        ),
        imports=_C_IMPORTS,
    ),
    "ruby": Rules(
        defs=(
            _rule(r"def[ \t]+(?:self\.)?(?P<name>\w+[?!=]?)", "method"),
            _rule(rf"class[ \t]+(?:\w+::)*{_W}", "class"),
            _rule(rf"module[ \t]+(?:\w+::)*{_W}", "module"),
        ),
        modifiers=_mods("private", "protected", "public"),
        imports=(
            (re.compile(r"require(?:_relative)?[ \t(]*['\"](?P<name>[^'\"\n]+)['\"]"), "path"),
        ),
    ),
    "php": Rules(
        defs=(
            _rule(rf"function[ \t]+&?{_W}", "function"),
            _rule(rf"class[ \t]+{_W}", "class"),
            _rule(rf"interface[ \t]+{_W}", "interface"),
            _rule(rf"trait[ \t]+{_W}", "trait"),
            _rule(rf"enum[ \t]+{_W}", "enum"),
        ),
        modifiers=_mods(
            "public", "private", "protected", "static", "abstract", "final", "readonly"
        ),
        imports=(
            (re.compile(r"use[ \t]+(?P<name>[\w\\]+)"), "dotted"),
            (
                re.compile(r"(?:require|include)(?:_once)?[ \t(]*['\"](?P<name>[^'\"\n]+)['\"]"),
                "path",
            ),
        ),
    ),
    "bash": Rules(
        defs=(
            _rule(r"function[ \t]+(?P<name>[\w:.-]+)", "function"),
            _rule(r"^[ \t]*(?P<name>[\w:.-]+)[ \t]*\(\)", "function", anchored=True),
        ),
        modifiers=_mods(),
        imports=(
            (re.compile(r"(?:source|\.)[ \t]+['\"]?(?P<name>[\w./$-]+\.(?:sh|bash))"), "path"),
        ),
    ),
    "lua": Rules(
        defs=(
            _rule(r"function[ \t]+(?:(?P<scope>\w+)[.:])?(?P<name>\w+)", "function"),
            _rule(
                r"^[ \t]*(?:local[ \t]+)?(?:(?P<scope>\w+)\.)?(?P<name>\w+)[ \t]*=[ \t]*function",
                "function",
                anchored=True,
            ),
        ),
        modifiers=_mods("local"),
        imports=((re.compile(r"require[ \t(]*['\"](?P<name>[^'\"\n]+)['\"]"), "path"),),
    ),
}


# An imported name, its alias skipped; a comment swallowed whole (its group is empty).
_IMPORTED = re.compile(r"#[^\n]*|([\w.]+)(?:[ \t]+as[ \t]+\w+)?")


def import_references(how: str, match: re.Match[str]) -> list[tuple[str, str]]:
    """The ``(name, kind)`` references one import match stands for."""
    target = match.group("name")
    if how == "python" and target is not None:  # from a.b import c, d
        found = [(m, "module") for m in target.split(".") if m]
        found += [(n, "import") for n in _IMPORTED.findall(match.group("names")) if n]
        return found
    if how == "python":  # import a.b, c as d
        modules = _IMPORTED.findall(match.group("modules"))
        return [(m, "module") for m in modules for m in m.split(".") if m]
    if how == "dotted":  # java/c#/php: a.b.C -> C imported, a and b modules
        parts = [p for p in re.split(r"[.\\]", target) if p and p != "*"]
        return [(p, "module") for p in parts[:-1]] + [(p, "import") for p in parts[-1:]]
    if how == "names":
        names = re.findall(r"(\w+)(?:[ \t]+as[ \t]+\w+)?", target)
        return [(n, "import") for n in names if n != "type"]
    if how == "rust-use":
        used = [w for w in re.findall(r"\w+", target) if w not in ("crate", "self", "super")]
        return [(w, "import") for w in used]
    if how == "paths":  # Go: one quoted import path or a block of them
        return [(s, "module") for s in map(_stem, re.findall(r'"([^"\n]+)"', target)) if s]
    stem = _stem(target)  # "path": a file or package name
    return [(stem, "module")] if stem else []


def _stem(target: str) -> str:
    """``./lib/util.js`` → ``util``; ``pkg/index.js`` → ``pkg``; ``a.b.c`` (Lua) → ``c``."""
    path = PurePosixPath(target.replace("\\", "/"))
    stem = path.stem if path.suffix in {".js", ".ts", ".h", ".hpp", ".rb", ".php", ".sh", ".lua",
                                        ".jsx", ".tsx", ".mjs", ".cjs", ".hh", ".rs"} else path.name  # fmt: skip
    if stem in ("index", "mod", "__init__", "init") and path.parent.name:
        return path.parent.name
    return stem.rsplit(".", 1)[-1]
