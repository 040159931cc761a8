"""Secret spans and their replacement by ``[REDACTED:<type>]`` (no scanner imported here)."""

from __future__ import annotations

import re
from dataclasses import dataclass

REDACTION_VERSION = "2"
"""How a redacted text is rendered; bump when ``redact``'s output changes (cached token counts
of rendered bodies are keyed by it)."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Redaction:
    """One secret value found in a text: character span and detector type."""

    start: int
    end: int
    kind: str


def redact(text: str, spans: list[Redaction]) -> str:
    """Return ``text`` with each span replaced by ``[REDACTED:<type>]`` and the span's own line
    breaks, so every line after a multi-line secret keeps its number."""
    if not spans:
        return text
    out, pos = [], 0
    for span in spans:
        out.append(text[pos : span.start])
        out.append(f"[REDACTED:{span.kind}]")
        out.extend(_LINE_BREAK.findall(text, span.start, span.end))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
