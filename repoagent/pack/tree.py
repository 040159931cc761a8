"""The directory tree shown near the top of every pack."""

from __future__ import annotations

from collections.abc import Mapping

from repoagent.pack.options import ManifestEntry


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
    line ``b/ (N files, SIZE, not shown)`` in place of its contents.
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
            lines.append("  " * depth + dirs[depth] + "/\n")
            opened.append(dirs[depth])
        note = ""
        if entry is None:
            files, size = (folded or {})[path[:-1]]
            name, note = name + "/", " " + folded_note(files, size)
        elif entry.reason == "symlink":
            note = f" -> {entry.target}"
        elif entry.level == "listed":
            note = f" [listed, {human_size(entry.size)}]"
        elif entry.level == "outline":
            note = " [outline]"
        lines.append("  " * len(dirs) + name + note + "\n")
    return "".join(lines) if lines else "(no files)\n"
