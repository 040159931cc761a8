"""The directory tree shown near the top of every pack."""

from __future__ import annotations

from repoagent.pack.options import ManifestEntry


def human_size(size: int) -> str:
    """``1234567`` -> ``1.2 MB`` (decimal units, one decimal)."""
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1000 or unit == "MB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def render_tree(entries: list[ManifestEntry]) -> str:
    """Indented tree of the shown files (listed ones with their size), one line each."""
    lines: list[str] = []
    opened: list[str] = []
    for entry in sorted(entries, key=lambda e: e.path):
        *dirs, name = entry.path.split("/")
        common = 0
        while common < min(len(dirs), len(opened)) and dirs[common] == opened[common]:
            common += 1
        opened = opened[:common]
        for depth in range(common, len(dirs)):
            lines.append("  " * depth + dirs[depth] + "/\n")
            opened.append(dirs[depth])
        note = ""
        if entry.reason == "symlink":
            note = f" -> {entry.target}"
        elif entry.level == "listed":
            note = f" [listed, {human_size(entry.size)}]"
        elif entry.level == "outline":
            note = " [outline]"
        lines.append("  " * len(dirs) + name + note + "\n")
    return "".join(lines) if lines else "(no files)\n"
