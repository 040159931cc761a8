"""The directory tree shown near the top of every pack."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from repoagent.pack.options import ManifestEntry

_ASCII_TO_QUOTE = re.compile(r'[\x00-\x1f\x7f"\\]')
_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
    "\r": "\\r", '"': '\\"', "\\": "\\\\",
}  # fmt: skip
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories quoted past ASCII: controls, format characters (bidi overrides),
surrogates (an undecodable byte of a file name) and line or paragraph separators."""


def quote_path(path: str) -> str:
    """``path`` as one unambiguous line of text, C-quoted as git's ``core.quotePath`` does.

    A name holding a control character, a double quote or a backslash is shown in quotes with
    C escapes (``"a\\nb.py"``, ``"e\\033[31m.py"``); any other name is unchanged. Unlike
    git's default, printable non-ASCII letters stay as they are (``café.py``), as with
    ``core.quotePath=false``, but invisible or line-breaking ones are escaped as their UTF-8
    bytes in octal, and a byte that is not UTF-8 as itself. So a file name can neither break
    the tree nor forge a line of the document.
    """
    if path.isascii():
        if not _ASCII_TO_QUOTE.search(path):
            return path
    elif not any(_to_quote(c) for c in path):
        return path
    quoted = ['"']
    for char in path:
        if char in _ESCAPES:
            quoted.append(_ESCAPES[char])
        elif not _to_quote(char):
            quoted.append(char)
        elif "\udc80" <= char <= "\udcff":  # a byte that is not UTF-8 (surrogateescape)
            quoted.append(f"\\{ord(char) - 0xDC00:03o}")
        else:
            quoted += (f"\\{byte:03o}" for byte in char.encode("utf-8", "surrogatepass"))
    quoted.append('"')
    return "".join(quoted)


def _to_quote(char: str) -> bool:
    if char < "\x80":
        return char < " " or char in '"\\\x7f'
    return unicodedata.category(char) in _UNPRINTABLE


def human_size(size: int) -> str:
    """``1234567`` -> ``1.2 MB`` (decimal units, one decimal)."""
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1000 or unit == "MB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def folded_note(files: int, size: int) -> str:
    """What a collapsed directory's line says about the files it hides."""
    return f"({files:,} file{'s' if files != 1 else ''}, {human_size(size)}, not shown)"


def render_tree(
    entries: list[ManifestEntry], folded: Mapping[str, tuple[int, int]] | None = None
) -> str:
    """Indented tree of the shown files (listed ones with their size), one line each.

    ``folded`` maps collapsed directories (``a/b``) to the (files, bytes) they hide; each is one
    line ``b/ (N files, SIZE, not shown)`` in place of its contents. Names (and symlink
    targets) are shown by ``quote_path``.
    """
    rows: list[tuple[str, ManifestEntry | None]] = [(e.path, e) for e in entries]
    rows += [(path + "/", None) for path in (folded or {})]
    lines: list[str] = []
    opened: list[str] = []
    for path, entry in sorted(rows, key=lambda row: row[0]):
        *dirs, name = path.rstrip("/").split("/")
        common = 0
        while common < min(len(dirs), len(opened)) and dirs[common] == opened[common]:
            common += 1
        opened = opened[:common]
        for depth in range(common, len(dirs)):
            lines.append("  " * depth + quote_path(dirs[depth]) + "/\n")
            opened.append(dirs[depth])
        note = ""
        name = quote_path(name)
        if entry is None:
            files, size = (folded or {})[path[:-1]]
            name, note = name + "/", " " + folded_note(files, size)
        elif entry.reason == "symlink":
            note = f" -> {quote_path(entry.target or '')}"
        elif entry.level == "listed":
            note = f" [listed, {human_size(entry.size)}]"
        elif entry.level == "outline":
            note = " [outline]"
        lines.append("  " * len(dirs) + name + note + "\n")
    return "".join(lines) if lines else "(no files)\n"
