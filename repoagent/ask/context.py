"""What the model has in context for a conversation: the pack, plus files the user added.

The pack is built once per session (focused by the first question) and rebuilt identically on
resume: the packer is deterministic, so the prompt prefix — and the provider's prompt cache —
stays the same turn after turn. Citations are checked against the same snapshot the pack and
the tools read (the working tree, or one revision).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repoagent.errors import ToolError
from repoagent.resources import read_prompt

#: Tokens kept free in the scout's window for the instructions, the conversation and the answer.
CONVERSATION_RESERVE = 12_000
MAX_ADDED_CHARS = 200_000
FILES_SHOWN = 40
"""Paths listed per detail level by ``/files`` (the counts are always complete)."""


@dataclass
class PackedFile:
    """One file of the pack and how much of it the model sees."""

    path: str
    level: str | None
    tokens: int = 0


@dataclass
class AskContext:
    """The packed repository and the snapshot that answers are checked against."""

    root: Path
    rev: str | None
    """The revision asked about; ``None`` = the working tree as it is on disk."""
    text: str
    tokens: int
    revision: str
    files: list[PackedFile] = field(default_factory=list)
    _tools: Any = field(default=None, repr=False)

    @classmethod
    def build(
        cls, path: Path, rev: str | None, query: str | None, budget: int | None
    ) -> AskContext:
        """Pack ``path`` (focused by ``query``) within ``budget`` tokens, lines numbered."""
        from repoagent.pack import PackOptions, pack_repository

        result = pack_repository(
            PackOptions(
                path=path,
                rev=rev or "HEAD",
                worktree=rev is None,
                budget=budget,
                query=query,
                line_numbers=True,
            )
        )
        files = [PackedFile(f.path, f.level, int(f.tokens or 0)) for f in result.files]
        return cls(Path(result.root), rev, result.text, result.tokens, result.revision, files)

    @property
    def tools(self) -> Any:
        """The sandboxed tool runner over the same snapshot (created on first use)."""
        if self._tools is None:
            from repoagent.toolbox import SandboxToolRunner

            self._tools = SandboxToolRunner(self.root, self.rev)
        return self._tools

    @property
    def known_paths(self) -> frozenset[str]:
        """Every path in the pack's manifest."""
        return frozenset(f.path for f in self.files)

    def read(self, path: str) -> str | None:
        """Text of ``path`` in the snapshot, or ``None`` when it is missing, outside, or binary."""
        try:
            return str(self.tools.snapshot.read_text(path)[1])
        except (ToolError, OSError, ValueError):
            return None

    def pack_message(self) -> str:
        """The first user message: the packed repository."""
        return read_prompt("ask_pack.md").format(pack=self.text)

    def added_file_message(self, path: str) -> tuple[str, str]:
        """``(resolved path, message)`` for ``/add PATH``: the file's lines, numbered."""
        from repoagent.toolbox.redact import redact_text, refuse_secret_file

        try:
            resolved, text = self.tools.snapshot.read_text(path)
            refuse_secret_file(resolved)  # what the pack leaves out, /add must not pull in
        except ToolError as exc:
            raise ToolError(f"cannot add {path}: {exc}") from None
        text = redact_text(resolved, text)
        if len(text) > MAX_ADDED_CHARS:
            raise ToolError(f"cannot add {path}: {len(text):,} characters is too large to add")
        numbered = "\n".join(f"{i:>5} {line}" for i, line in enumerate(text.splitlines(), 1))
        return resolved, f"The user added the file `{resolved}` to the context:\n\n{numbered}"

    def summary(self, added: list[str]) -> list[str]:
        """Lines for ``/files``: what the model sees in full, as outline, listed, or added."""
        by_level: dict[str, list[str]] = {}
        for f in self.files:
            by_level.setdefault(f.level or "left out", []).append(f.path)
        lines = [f"pack: {self.tokens:,} tokens of {self.revision[:12] or 'the working tree'}"]
        for level in ("full", "outline", "listed", "left out"):
            paths = by_level.get(level, [])
            if paths:
                more = (
                    f", … and {len(paths) - FILES_SHOWN} more" if len(paths) > FILES_SHOWN else ""
                )
                lines.append(f"{level} ({len(paths)}): " + ", ".join(paths[:FILES_SHOWN]) + more)
        if added:
            lines.append(f"added ({len(added)}): " + ", ".join(added))
        return lines
