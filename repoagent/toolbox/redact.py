"""Secrets never reach the model through the tools either: the same scanner as the packer.

The pack redacts secret values and leaves out secret files; the tools (read_file, grep, git_diff,
git_log, git_blame) show repository text too, so their output goes through the same detectors.
Line structure is kept (a private key block keeps its line count), so line numbers stay true.
"""

from __future__ import annotations

from repoagent.errors import ToolError


def redact_text(path: str, text: str) -> str:
    """Return ``text`` (a file's content, or tool output) with secret values replaced."""
    from repoagent.pack.secrets import find_secrets

    spans = find_secrets(path, text)
    if not spans:
        return text
    out, pos = [], 0
    for span in spans:
        out.append(text[pos : span.start])
        hidden = text[span.start : span.end]
        out.append(f"[REDACTED:{span.kind}]" + "\n" * hidden.count("\n"))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def refuse_secret_file(path: str) -> None:
    """Raise a ToolError for ``.env*``, private keys and credential files."""
    from repoagent.pack.select import is_secret_file

    if is_secret_file(path):
        raise ToolError(
            f"{path} is a secret file (keys, credentials or environment values); repoagent does "
            "not show its contents"
        )


def is_secret_path(path: str) -> bool:
    """True when ``path`` names a secret file."""
    from repoagent.pack.select import is_secret_file

    return is_secret_file(path)


def redact_diff(text: str) -> str:
    """Redact a unified diff file by file: values by each file's type, secret files hidden."""
    out: list[str] = []
    path = ""
    body: list[str] = []

    def flush() -> None:
        if not body:
            return
        if is_secret_path(path):
            out.append(" [contents of a secret file; not shown]")
        else:
            cleaned = redact_text(path, "\n".join(line[1:] for line in body)).split("\n")
            out.extend(line[:1] + rest for line, rest in zip(body, cleaned, strict=True))
        body.clear()

    for line in text.split("\n"):
        if line.startswith(("diff --git ", "@@", "--- ", "+++ ", "index ", "new file", "deleted")):
            flush()
            if line.startswith("diff --git "):
                path = line.rsplit(" b/", 1)[-1]
            elif line.startswith("+++ b/"):
                path = line[6:]
            out.append(line)
        elif line[:1] in ("+", "-", " ") and path:
            body.append(line)
        else:
            flush()
            out.append(redact_text("", line))
    flush()
    return "\n".join(out)
