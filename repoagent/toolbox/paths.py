"""Keep every path a model gives inside the repository.

A path argument is refused (with a message the model can read) when it is absolute, climbs out
with ``..``, points into ``.git``, or names a symlink whose target leaves the repository.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from repoagent.errors import ToolError


def safe_relpath(raw: object, *, allow_root: bool = False) -> str:
    """Normalise a model-given path to ``a/b/c`` inside the repository, or raise ToolError."""
    if not isinstance(raw, str):
        raise ToolError(f"path must be a string, got {type(raw).__name__}")
    text = raw.strip().replace("\\", "/")
    if "\0" in text:
        raise ToolError("path contains a NUL byte")
    if text.startswith(("/", "~")) or re.match(r"^[A-Za-z]:/", text):
        raise ToolError(f"path {raw!r} is absolute; give a path relative to the repository root")
    norm = posixpath.normpath(text) if text else "."
    if norm == ".." or norm.startswith("../"):
        raise ToolError(f"path {raw!r} leaves the repository; paths must stay inside it")
    if norm == ".":
        if allow_root:
            return ""
        raise ToolError("path is empty; give a file path relative to the repository root")
    if norm == ".git" or norm.startswith(".git/"):
        raise ToolError(f"path {raw!r} is inside .git, which the tools do not read")
    return norm


def resolve_link(path: str, target: str) -> str:
    """Resolve symlink ``path`` -> ``target`` to a repository path, or raise ToolError."""
    if target.startswith("/"):
        raise ToolError(f"{path} is a symlink to {target!r}, outside the repository; refused")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if joined == ".." or joined.startswith("../"):
        raise ToolError(f"{path} is a symlink to {target!r}, outside the repository; refused")
    return safe_relpath(joined)


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a repository glob (``*``, ``?``, ``[..]``, ``**``) to a full-path regex.

    A pattern without a slash matches the file name anywhere (``*.py``); a directory name matches
    everything under it (``tests`` or ``tests/``).
    """
    pat = pattern.strip().lstrip("./") if pattern.strip() not in ("", ".") else "**"
    dir_only = pat.endswith("/")
    pat = pat.rstrip("/") or "**"
    if "/" not in pat and "**" not in pat:
        pat = "**/" + pat
    out = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = pat.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = pat[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    # A match on a directory prefix selects every file beneath it.
    suffix = "/.*" if dir_only else "(?:/.*)?"
    return re.compile("".join(out) + suffix + r"\Z", re.DOTALL)


def check_glob(pattern: object) -> str:
    """Validate a glob argument: relative, no ``..``; return it stripped."""
    if pattern is None:
        return "**"
    if not isinstance(pattern, str):
        raise ToolError(f"glob must be a string, got {type(pattern).__name__}")
    text = pattern.strip().replace("\\", "/")
    if text.startswith(("/", "~")):
        raise ToolError(
            f"glob {pattern!r} is absolute; give a pattern relative to the repository root"
        )
    if ".." in text.split("/"):
        raise ToolError(f"glob {pattern!r} leaves the repository; patterns must stay inside it")
    return text or "**"
