"""New ``TODO`` / ``FIXME`` / ``XXX`` markers in the lines a range added."""

from __future__ import annotations

import re

from pydantic import BaseModel

_MARKER = re.compile(r"\b(TODO|FIXME|XXX)\b")
_MAX_TEXT = 200


class Marker(BaseModel):
    """One marker comment added in the range, at its line in the audited revision."""

    path: str
    line: int
    marker: str
    text: str


def new_markers(added: dict[str, list[tuple[int, str]]]) -> list[Marker]:
    """Markers found in added lines, in path and line order."""
    found = []
    for path in sorted(added):
        for line_no, text in added[path]:
            match = _MARKER.search(text)
            if match:
                stripped = text.strip()
                if len(stripped) > _MAX_TEXT:
                    stripped = stripped[: _MAX_TEXT - 1] + "…"
                found.append(Marker(path=path, line=line_no, marker=match.group(1), text=stripped))
    return found
