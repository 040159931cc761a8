"""The trajectory of a run: every model request and reply, secrets redacted, one JSON per line.

``runs/<id>/trajectory.jsonl`` is for debugging and for turning real runs into regression
fixtures. Long texts (the packed repository, big tool outputs) are stored once under
``blobs/<sha>.txt`` and referenced as ``{"$ref": "blobs/<sha>.txt"}``, so a Scout tool loop does
not write the pack again on every turn.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from repoagent.agent.recorder import ModelTurn

_BLOB_THRESHOLD = 4000
_SECRET_ENV = re.compile(r"(_API_KEY|_TOKEN|_SECRET|PASSWORD|_KEY)$", re.IGNORECASE)
_SECRET_PATTERNS = [
    re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{16,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
]
REDACTED = "[REDACTED]"


def redact(text: str) -> str:
    """Replace secrets in ``text``: values of secret-looking env variables and known key shapes."""
    for name, value in os.environ.items():
        if _SECRET_ENV.search(name) and len(value) >= 8 and value in text:
            text = text.replace(value, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class Trajectory:
    """Appends redacted request/reply records to ``trajectory.jsonl`` in a run directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "trajectory.jsonl"
        self._lock = threading.Lock()

    def record(
        self,
        role: str,
        model: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]] | None,
        *,
        turn: ModelTurn | None = None,
        error: str | None = None,
        replayed: bool = False,
        seconds: float | None = None,
    ) -> None:
        """Append one model call (or its error) to the trajectory."""
        entry: dict[str, Any] = {
            "time": round(time.time(), 3),
            "role": role,
            "model": model,
            "replayed": replayed,
            "request": {
                "messages": [self._message(m) for m in messages],
                "tools": [t.get("function", {}).get("name") for t in tools or []],
            },
        }
        if seconds is not None:
            entry["seconds"] = round(seconds, 3)
        if turn is not None:
            entry["reply"] = json.loads(redact(json.dumps(asdict(turn), ensure_ascii=False)))
        if error is not None:
            entry["error"] = redact(error)
        line = json.dumps(entry, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as stream:
            stream.write(line + "\n")

    def _message(self, message: dict[str, Any]) -> dict[str, Any]:
        result = dict(message)
        content = result.get("content")
        if isinstance(content, str):
            content = redact(content)
            result["content"] = self._blob(content) if len(content) > _BLOB_THRESHOLD else content
        if "tool_calls" in result:
            result["tool_calls"] = json.loads(redact(json.dumps(result["tool_calls"])))
        return result

    def _blob(self, text: str) -> dict[str, str]:
        digest = hashlib.sha256(text.encode()).hexdigest()[:20]
        rel = f"blobs/{digest}.txt"
        path = self.directory / rel
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        return {"$ref": rel}
