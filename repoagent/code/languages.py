"""Which tree-sitter grammar reads which file, loaded from the per-language wheels (no downloads)."""

from __future__ import annotations

import importlib
import re
import threading
from functools import cache

from tree_sitter import Language, Parser

# language name -> (wheel module, function returning the grammar pointer)
GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "java": ("tree_sitter_java", "language"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "php": ("tree_sitter_php", "language_php"),
    "bash": ("tree_sitter_bash", "language"),
    "lua": ("tree_sitter_lua", "language"),
}

EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c", ".h": "c",
    ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".c++": "cpp", ".hpp": "cpp", ".hh": "cpp",
    ".hxx": "cpp", ".h++": "cpp", ".ipp": "cpp", ".inl": "cpp", ".cu": "cpp",
    ".cs": "csharp",
    ".rb": "ruby", ".rake": "ruby", ".gemspec": "ruby", ".ru": "ruby",
    ".php": "php", ".phtml": "php",
    ".sh": "bash", ".bash": "bash", ".bats": "bash",
    ".lua": "lua",
}  # fmt: skip

FILENAMES: dict[str, str] = {
    "Rakefile": "ruby",
    "Gemfile": "ruby",
    "Vagrantfile": "ruby",
    ".bashrc": "bash",
    ".bash_profile": "bash",
    ".profile": "bash",
}

# The query files a language reads, concatenated (tsx extends the TypeScript queries).
QUERY_FILES: dict[str, tuple[str, ...]] = {"tsx": ("typescript", "tsx")}

_local = threading.local()


def language_for_path(path: str) -> str | None:
    """Return the grammar name for ``path`` by file name or extension, or ``None``."""
    # PurePosixPath(path).name and .suffix, without building a path (a fit asks for thousands).
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""
    return FILENAMES.get(name) or EXTENSIONS.get(suffix)


#: A header that C cannot parse: a class, a namespace, a template, an access label.
_CPP_HEADER = re.compile(
    r"^[ \t]*(?:class[ \t]+\w+[^;\n]*$|namespace(?:[ \t]+[\w:]+)?[ \t]*\{|template[ \t]*<"
    r"|(?:public|private|protected)[ \t]*:|using[ \t]+namespace\b)",
    re.MULTILINE,
)
_SNIFF_CHARS = 100_000


def language_for_source(path: str, text: str | bytes) -> str | None:
    """``language_for_path``, except that a ``.h`` file written in C++ (classes, namespaces,
    templates: jpype's native/common/include/*.h) is C++, not C."""
    language = language_for_path(path)
    if language == "c" and path.lower().endswith(".h"):
        head = text[:_SNIFF_CHARS]
        if isinstance(head, bytes):
            head = head.decode("utf-8", "replace")
        if _CPP_HEADER.search(head):
            return "cpp"
    return language


def supported_languages() -> list[str]:
    """Names of the languages whose grammar wheel is installed."""
    return [name for name in GRAMMARS if load_language(name) is not None]


@cache
def load_language(name: str) -> Language | None:
    """Load the grammar ``name`` from its wheel, or ``None`` when the wheel is missing."""
    module_name, func = GRAMMARS[name]
    try:
        module = importlib.import_module(module_name)
        return Language(getattr(module, func)())
    except (ImportError, AttributeError, ValueError):
        return None


def parser_for(name: str) -> Parser | None:
    """A parser for ``name`` owned by the calling thread (parsers are not thread-safe)."""
    parsers: dict[str, Parser] = _local.__dict__.setdefault("parsers", {})
    if name not in parsers:
        language = load_language(name)
        if language is None:
            return None
        parsers[name] = Parser(language)
    return parsers[name]
