"""New ``TODO`` / ``FIXME`` / ``XXX`` markers in the lines a range added (comments and
``TODO:`` tags only, so the word used as data in code is not reported)."""

from __future__ import annotations

import re

from pydantic import BaseModel

_MARKER = re.compile(r"\b(TODO|FIXME|XXX)\b")
_COMMENT = re.compile(r"(#|//|/\*|<!--|--|^\s*\*|^\s*%|^\s*;)")
_TAG_SUFFIX = re.compile(r"\s*(:|\(|$)")
_MAX_TEXT = 200


class Marker(BaseModel):
    """One marker comment added in the range, at its line in the audited revision."""

    path: str
    line: int
    marker: str
    text: str


def is_marker_comment(line: str, match: re.Match[str]) -> bool:
    """A marker inside a comment (``# TODO``, ``// FIXME``), or written as a tag (``TODO:``).

    Skips the word used as data: ``re.compile("TODO|FIXME")``, ``"a TODO list"`` in a string.
    """
    return bool(_COMMENT.search(line[: match.start()])) or bool(
        _TAG_SUFFIX.match(line, match.end())
    )


def new_markers(added: dict[str, list[tuple[int, str]]]) -> list[Marker]:
    """Markers found in added lines, in path and line order."""
    from repoagent.toolbox.redact import is_secret_path, redact_text

    found = []
    for path in sorted(added):
        if is_secret_path(path):
            continue  # an audit report is shared; a .env line is not for it
        for line_no, text in added[path]:
            match = _MARKER.search(text)
            if match and is_marker_comment(text, match):
                stripped = redact_text(path, text).strip()
                if len(stripped) > _MAX_TEXT:
                    stripped = stripped[: _MAX_TEXT - 1] + "…"
                found.append(Marker(path=path, line=line_no, marker=match.group(1), text=stripped))
    return found
