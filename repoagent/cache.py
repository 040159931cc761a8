"""A content-addressed cache in SQLite under ``REPOAGENT_HOME``.

Values (token counts, outlines, symbol tags) are keyed by git blob SHA + a ``kind`` (what was
computed, e.g. ``tokens``) + ``params`` (how: tokenizer name, detail level, query version), so a
second run over the same or the next commit only computes what changed. A corrupt or locked
database is set aside with a warning and rebuilt; the cache never crashes a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from repoagent.home import state_path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
    sha TEXT NOT NULL, kind TEXT NOT NULL, params TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (sha, kind, params)
) WITHOUT ROWID;
"""


def blob_sha(data: bytes) -> str:
    """Return the git blob SHA-1 of ``data`` (what ``git hash-object`` prints)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data))
    digest.update(data)  # not header + data: that would copy every blob once more
    return digest.hexdigest()


def files_fingerprint(paths: Iterable[Path]) -> str:
    """SHA-1 of the files' names and bytes, in the order given (a missing file counts as
    empty): the part of a cache key that changes with the code that computed the values, so an
    upgrade recomputes them instead of a version someone must remember to bump."""
    digest = hashlib.sha1()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        digest.update(path.name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def _decode(value: str) -> Any:
    """A stored JSON value; token counts (plain integers) and empty secret scans skip the JSON
    parser."""
    if value.isascii() and value.isdigit():
        return int(value)
    return [] if value == "[]" else json.loads(value)


class BlobCache:
    """JSON values keyed by (blob SHA, kind, params); safe to share between threads."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_path("cache", "blobs.sqlite")
        self._lock = threading.Lock()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        for attempt in range(2):
            db: sqlite3.Connection | None = None
            try:
                db = sqlite3.connect(self.path, timeout=2.0, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                # WAL + NORMAL is crash-safe for a cache and avoids an fsync per write.
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(_SCHEMA)
                db.execute("SELECT 1 FROM blobs LIMIT 1").fetchall()
                return db
            except sqlite3.Error as exc:
                if db is not None:
                    db.close()
                if attempt == 0:
                    self._set_aside(exc)
                else:
                    warnings.warn(f"repoagent cache disabled: {exc}", RuntimeWarning, stacklevel=3)
        return None

    def _set_aside(self, exc: Exception) -> None:
        warnings.warn(
            f"repoagent cache at {self.path} was unusable ({exc}); rebuilding it",
            RuntimeWarning,
            stacklevel=4,
        )
        for suffix in ("", "-wal", "-shm"):
            p = Path(f"{self.path}{suffix}")
            if p.exists():
                p.replace(p.with_name(p.name + ".corrupt"))

    def get_many(self, kind: str, params: str, shas: Iterable[str]) -> dict[str, Any]:
        """Return the cached values of ``shas`` that exist, by SHA."""
        wanted = list(dict.fromkeys(shas))
        found: dict[str, Any] = {}
        if self._db is None or not wanted:
            return found
        try:
            with self._lock:
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(
                        f"SELECT sha, value FROM blobs WHERE kind=? AND params=? AND sha IN ({marks})",
                        [kind, params, *chunk],
                    ).fetchall()
                    found.update((sha, _decode(value)) for sha, value in rows)
        except (sqlite3.Error, ValueError) as exc:
            warnings.warn(f"repoagent cache read failed: {exc}", RuntimeWarning, stacklevel=2)
        return found

    def get(self, kind: str, params: str, sha: str) -> Any | None:
        """Return one cached value, or ``None``."""
        return self.get_many(kind, params, [sha]).get(sha)

    def put_many(self, kind: str, params: str, values: dict[str, Any]) -> None:
        """Store values by SHA (last write wins); failures only warn."""
        if self._db is None or not values:
            return
        rows = [
            (sha, kind, params, json.dumps(v, separators=(",", ":"))) for sha, v in values.items()
        ]
        try:
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO blobs VALUES (?,?,?,?)", rows)
        except sqlite3.Error as exc:
            warnings.warn(f"repoagent cache write failed: {exc}", RuntimeWarning, stacklevel=2)

    def put(self, kind: str, params: str, sha: str, value: Any) -> None:
        """Store one value."""
        self.put_many(kind, params, {sha: value})

    def close(self) -> None:
        """Close the database connection."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> BlobCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A cache dropped without close() closes its connection (Python 3.13 warns otherwise).
        with contextlib.suppress(Exception):
            self.close()
