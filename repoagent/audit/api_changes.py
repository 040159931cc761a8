"""Public API changes between two revisions, from the code index's definitions.

A definition is public when the module says so explicitly — JavaScript/TypeScript exports,
Python ``__all__`` (see :mod:`repoagent.audit.exports`) — or else by the language's convention:
no leading underscore (Python, Ruby, PHP), an upper-case first letter (Go), ``pub`` (Rust), not
``private`` (Java, C#, C++). Tests, benchmarks, examples, docs and scripts are not API. Symbols
are compared per file by qualified name and kind; a signature that differs (whitespace aside)
is a change, except for variables, whose value is not their interface.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterable
from typing import Any, Literal

import git
from pydantic import BaseModel

from repoagent.audit.exports import exported_names
from repoagent.audit.history import AuditRange, FileChange, read_texts
from repoagent.audit.test_gaps import is_source_file

ApiChangeKind = Literal["added", "removed", "signature", "annotations"]
"""``annotations``: only type annotations changed (Python); callers are not affected at run time."""


class ApiChange(BaseModel):
    """A public symbol added, removed, or whose signature changed."""

    path: str
    name: str
    kind: str
    change: ApiChangeKind
    line: int | None = None
    """Line at the audited revision (at the base for removed symbols)."""
    old_signature: str | None = None
    new_signature: str | None = None


def _attr(entry: Any, name: str, default: Any = None) -> Any:
    if isinstance(entry, dict):
        return entry.get(name, default)
    return getattr(entry, name, default)


def is_public(path: str, name: str, signature: str, exported: set[str] | None = None) -> bool:
    """Whether a definition is part of the public API: the module's explicit export list
    (``exported``: JS/TS exports, Python ``__all__``) for top-level names, else convention."""
    last = name.rsplit(".", 1)[-1].rsplit("::", 1)[-1]
    if not last:
        return False
    if exported is not None:
        top = re.split(r"\.|::", name)[0]
        member_ok = "." not in name or not (
            last.startswith(("#", "_")) or re.match(r"\s*(private|protected)\b", signature)
        )
        return top in exported and member_ok
    suffix = path.rsplit(".", 1)[-1].lower()
    if suffix == "go":
        return last[0].isupper()
    if suffix == "rs":
        return bool(re.match(r"\s*pub\b", signature))
    if suffix in {"java", "cs", "cpp", "cc", "hpp", "h", "kt"}:
        return not re.search(r"\b(private|internal)\b", signature)
    return not any(_private(part) for part in re.split(r"\.|::", name))


def _private(part: str) -> bool:
    # Dunder methods (__init__, __call__) are public protocol; _x and __x are not.
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


#: Directories whose code is not part of the public API.
NOT_API_DIRS = frozenset({"benchmarks", "examples", "example", "docs", "scripts", "samples"})
#: Kinds whose "signature" is a value; only their presence is compared.
VALUE_KINDS = frozenset({"variable", "constant", "field", "property"})


def is_api_path(path: str) -> bool:
    """Source files outside tests, benchmarks, examples, docs and scripts."""
    return is_source_file(path) and not (NOT_API_DIRS & set(path.lower().split("/")[:-1]))


def _normalise(signature: str) -> str:
    return re.sub(r"\s+", " ", signature).strip().rstrip(":{").strip()


#: Kinds whose body is code: anything defined inside one is local, not API.
CALLABLE_KINDS = frozenset({"function", "method", "constructor", "arrow_function", "lambda"})


def _inside_callable(entry: Any, callables: list[tuple[int, int]]) -> bool:
    """Whether ``entry`` lies within the line span of another function or method."""
    line = int(_attr(entry, "line", 0) or 0)
    end = int(_attr(entry, "end_line", line) or line)
    return any(start < line and end <= stop for start, stop in callables)


def call_shape(signature: str) -> str | None:
    """What a caller depends on in a Python ``def``: parameter names, kinds and defaults,
    without annotations; ``None`` when the text is not a complete Python signature."""
    # Signatures arrive on one line, where a ``# type: ignore`` would swallow the rest.
    text = re.sub(r"#\s*type:\s*ignore(\[[\w\-, ]*\])?", " ", signature).strip()
    if not re.match(r"(async\s+)?def\s", text):
        return None
    try:
        tree = ast.parse(text + (" ..." if text.endswith(":") else ""))
    except SyntaxError:
        return None
    node = tree.body[0] if tree.body else None
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    args = node.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if arg is not None:
            arg.annotation = None
    return ast.dump(args, include_attributes=False)


def full_python_signature(text: str | None, line: int, max_lines: int = 80) -> str | None:
    """The whole ``def`` header starting at ``line`` (1-based; decorators skipped) of ``text``,
    for signatures the code index shortened; ``None`` when it cannot be read."""
    if not text or line < 1:
        return None
    lines = text.splitlines()
    start = line - 1
    while start < len(lines) and lines[start].lstrip().startswith("@"):
        start += 1
    for end in range(start, min(start + max_lines, len(lines))):
        chunk = textwrap.dedent("\n".join(lines[start : end + 1]))
        if chunk.rstrip().endswith(":"):
            try:
                ast.parse(chunk + " ...")
            except SyntaxError:
                continue
            return chunk
    return None


def _shape(signature: str, text: str | None, line: int) -> str | None:
    shape = call_shape(signature)
    if shape is None:  # shortened by the index, or a comment swallowed the rest
        full = full_python_signature(text, line)
        shape = call_shape(full) if full else None
    return shape


def _signature_change(
    path: str,
    old: tuple[str, int],
    new: tuple[str, int],
    texts: tuple[str | None, str | None] = (None, None),
) -> ApiChangeKind:
    """``annotations`` when a Python signature changed only in its type annotations; the
    file ``texts`` give the whole header when the index's ``(signature, line)`` is shortened."""
    if path.endswith((".py", ".pyi")):
        before = _shape(old[0], texts[0], old[1])
        if before is not None and before == _shape(new[0], texts[1], new[1]):
            return "annotations"
    return "signature"


def public_definitions(
    path: str, entries: Iterable[Any], exported: set[str] | None = None
) -> dict[tuple[str, str], tuple[str, int]]:
    """``(name, kind) -> (signature, line)`` of the public definitions in one file."""
    found: dict[tuple[str, str], tuple[str, int]] = {}
    last_wins = path.endswith((".py", ".pyi"))
    entries = list(entries)
    callables = [
        (int(_attr(e, "line", 0) or 0), int(_attr(e, "end_line", 0) or 0))
        for e in entries
        if str(_attr(e, "kind", "")) in CALLABLE_KINDS and _attr(e, "end_line")
    ]
    for entry in entries:
        if _attr(entry, "local", False) or _inside_callable(entry, callables):
            continue  # defined inside a function body: not reachable from outside
        name = str(_attr(entry, "qualified_name") or _attr(entry, "name", ""))
        scope = _attr(entry, "scope")
        if scope and not _attr(entry, "qualified_name"):
            name = f"{scope}.{name}"
        kind = str(_attr(entry, "kind", "symbol"))
        signature = str(_attr(entry, "signature", "") or "")
        if name and name != "__all__" and is_public(path, name, signature, exported):
            value = (signature, int(_attr(entry, "line", 0) or 0))
            if last_wins:  # Python: a later def replaces an earlier one (@overload stubs first)
                found[(name, kind)] = value
            else:
                found.setdefault((name, kind), value)
    return found


def _redacted(path: str, signature: str) -> str:
    from repoagent.toolbox.redact import redact_text

    return redact_text(path, signature) if signature else signature


def compare_definitions(
    path: str,
    before: Iterable[Any],
    after: Iterable[Any],
    exported_before: set[str] | None = None,
    exported_after: set[str] | None = None,
    texts: tuple[str | None, str | None] = (None, None),
) -> list[ApiChange]:
    """API changes of one file, given its definitions (and export lists) at both revisions
    (``texts``: the file at both revisions, to read signatures the index shortened)."""
    old = public_definitions(path, before, exported_before)
    new = public_definitions(path, after, exported_after)
    changes = []
    # Signatures of variables carry values; an audit report is shared, so no secrets in it.
    old = {k: (_redacted(path, sig), line) for k, (sig, line) in old.items()}
    new = {k: (_redacted(path, sig), line) for k, (sig, line) in new.items()}
    for key in sorted(
        old.keys() | new.keys(), key=lambda k: (new.get(k, old.get(k, ("", 0)))[1], k)
    ):
        name, kind = key
        if key not in old:
            sig, line = new[key]
            changes.append(
                ApiChange(
                    path=path, name=name, kind=kind, change="added", line=line, new_signature=sig
                )
            )
        elif key not in new:
            sig, line = old[key]
            changes.append(
                ApiChange(
                    path=path, name=name, kind=kind, change="removed", line=line, old_signature=sig
                )
            )
        elif kind not in VALUE_KINDS and _normalise(old[key][0]) != _normalise(new[key][0]):
            changes.append(
                ApiChange(
                    path=path,
                    name=name,
                    kind=kind,
                    change=_signature_change(path, old[key], new[key], texts),
                    line=new[key][1],
                    old_signature=old[key][0],
                    new_signature=new[key][0],
                )
            )
    return changes


def api_changes(repo: git.Repo, rng: AuditRange, files: list[FileChange]) -> list[ApiChange]:
    """Public API changes in the source files the range touched (test files excluded)."""
    from repoagent.code.index import SymbolIndex

    sources = [c for c in files if is_api_path(c.path)]
    before_texts = read_texts(
        repo, rng.base, [c.old_path or c.path for c in sources if c.status != "A"]
    )
    after_texts = read_texts(repo, rng.rev, [c.path for c in sources if c.status != "D"])
    before = SymbolIndex.from_texts(before_texts)
    after = SymbolIndex.from_texts(after_texts)
    changes: list[ApiChange] = []
    for change in sources:
        old_path = change.old_path or change.path
        changes.extend(
            compare_definitions(
                change.path,
                before.defined_in(old_path),
                after.defined_in(change.path),
                exported_names(old_path, before_texts.get(old_path)),
                exported_names(change.path, after_texts.get(change.path)),
                (before_texts.get(old_path), after_texts.get(change.path)),
            )
        )
    return changes
