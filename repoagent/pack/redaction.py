"""Secret spans and their replacement by ``[REDACTED:<type>]`` (the scanner is imported only
when a text is scanned: ``redact_text``, ``redact_diff``)."""

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


def redact_text(path: str, text: str) -> str:
    """``text`` (a file's content at ``path``, or any text) with the secrets found replaced."""
    from repoagent.pack.secrets import find_secrets

    return redact(text, find_secrets(path, text))


_KEY_LINE = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")
"""A line of a PEM or OpenSSH key's body (64 or 70 base64 characters; shorter at the end)."""


def _key_lines_hidden(lines: list[str]) -> list[str]:
    """Diff lines with runs of two or more key-body lines replaced by markers: a hunk inside a
    private key shows its body without the BEGIN line that identifies it."""
    keyish = [bool(_KEY_LINE.fullmatch(line[1:].strip())) for line in lines]
    out = []
    for i, line in enumerate(lines):
        run = keyish[i] and ((i > 0 and keyish[i - 1]) or (i + 1 < len(lines) and keyish[i + 1]))
        out.append(line[:1] + "[REDACTED:Private Key]" if run else line)
    return out


def redact_diff(text: str) -> str:
    """A unified diff redacted file by file: values by each file's type (its line prefixes and
    line count kept), a secret file's lines replaced by one note."""
    from repoagent.pack.select import is_secret_file

    out: list[str] = []
    path = ""
    body: list[str] = []

    def flush() -> None:
        if not body:
            return
        if is_secret_file(path):
            out.append(" [contents of a secret file; not shown]")
        else:
            cleaned = redact_text(path, "\n".join(line[1:] for line in body)).split("\n")
            out.extend(
                _key_lines_hidden(
                    [line[:1] + rest for line, rest in zip(body, cleaned, strict=True)]
                )
            )
        body.clear()

    for line in text.split("\n"):
        if line.startswith(("diff --git ", "@@", "--- ", "+++ ", "index ", "new file", "deleted")):
            flush()
            if line.startswith("diff --git "):
                path = line.rsplit(" b/", 1)[-1]
            elif line.startswith("+++ b/"):
                path = line[6:]
            elif line.startswith("@@"):  # the hunk's context line, after the ranges
                head, mark, context = line.partition(" @@")
                if _KEY_LINE.fullmatch(context.strip()):
                    line = f"{head}{mark} [REDACTED:Private Key]"
            out.append(line)
        elif line[:1] in ("+", "-", " ") and path:
            body.append(line)
        else:
            flush()
            out.append(redact_text("", line))
    flush()
    return "\n".join(out)
