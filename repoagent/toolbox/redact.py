"""Secrets never reach the model through the tools either: the same scanner as the packer.

The pack redacts secret values and leaves out secret files; the tools (read_file, grep, git_diff,
git_log, git_blame) show repository text too, so their output goes through the same detectors.
Line structure is kept (a private key block keeps its line count), so line numbers stay true.
"""

from __future__ import annotations

from repoagent.errors import ToolError
from repoagent.pack.redaction import redact_diff, redact_text

__all__ = ["is_secret_path", "redact_diff", "redact_text", "refuse_secret_file"]


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
