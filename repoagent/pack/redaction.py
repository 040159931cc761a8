"""Secret spans and their replacement by ``[REDACTED:<type>]`` (no scanner imported here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Redaction:
    """One secret value found in a text: character span and detector type."""

    start: int
    end: int
    kind: str


def redact(text: str, spans: list[Redaction]) -> str:
    """Return ``text`` with each span replaced by ``[REDACTED:<type>]``."""
    if not spans:
        return text
    out, pos = [], 0
    for span in spans:
        out.append(text[pos : span.start])
        out.append(f"[REDACTED:{span.kind}]")
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
