"""Outlines: a file's structure with bodies elided and every kept line numbered as in the file.

An outline keeps imports, definition signatures (with their decorators), type definitions, kept
fields and the first line of docstrings. Each kept line reads ``<line number>│<text>``; a run of
elided lines becomes one ``⋮...`` marker, so a reader can cite any line it sees.
"""

from __future__ import annotations

from repoagent.code.parsing import ParsedFile, parse_source
from repoagent.code.tags import FileTags, extract_tags

ELISION = "⋮..."
SEPARATOR = "│"
MAX_KEEP_LINES = 3
MAX_IMPORT_LINES = 12


def kept_rows(tags: FileTags) -> set[int]:
    """The 0-based rows an outline keeps."""
    rows: set[int] = set()
    for start, end in tags.imports:
        rows.update(range(start, min(end, start + MAX_IMPORT_LINES - 1) + 1))
    for start, end in tags.keep:
        rows.update(range(start, min(end, start + MAX_KEEP_LINES - 1) + 1))
    rows.update(tags.docs)
    for d in tags.defs:
        if not d.local:
            rows.update(range(d.first_row, d.sig_end_row + 1))
            if d.doc_row is not None:
                rows.add(d.doc_row)
    return rows


def render_outline(lines: list[str], rows: set[int]) -> str:
    """Render ``rows`` of ``lines`` with 1-based numbers and elision markers for the gaps."""
    width = len(str(len(lines)))
    out: list[str] = []
    previous = -1
    for row in sorted(r for r in rows if 0 <= r < len(lines)):
        if row > previous + 1:
            out.append(" " * width + ELISION)
        out.append(f"{row + 1:>{width}}{SEPARATOR}{lines[row].rstrip()}")
        previous = row
    if previous < len(lines) - 1:
        out.append(" " * width + ELISION)
    return "\n".join(out) + "\n"


def outline_parsed(parsed: ParsedFile) -> str | None:
    """The outline of an already parsed file, or ``None`` when it has no structure to show."""
    tags = extract_tags(parsed)
    if tags is None:
        return None
    rows = kept_rows(tags)
    if not rows:
        return None
    return render_outline(parsed.lines, rows)


def outline_file(path: str, text: str | bytes) -> str | None:
    """Outline ``text`` as the language of ``path``; ``None`` = no grammar, unparseable, or empty."""
    return outline_parsed(parse_source(path, text))
