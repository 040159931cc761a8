"""The LangGraph checkpointer named by the ``checkpointer`` setting.

``sqlite`` (default): ``REPOAGENT_HOME/checkpoints.sqlite``; ``sqlite:PATH``: that file;
``memory``: nothing survives the process (no ``--resume``); ``postgresql://…``: a team's
Postgres through ``langgraph-checkpoint-postgres`` (``pip install repoagent[postgres]``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

from repoagent.errors import ConfigError
from repoagent.home import state_path


@contextmanager
def open_checkpointer(spec: str = "sqlite") -> Iterator[BaseCheckpointSaver[Any]]:
    """Yield the checkpointer for a ``checkpointer`` setting value."""
    if spec.startswith(("postgres://", "postgresql://")):
        try:
            from langgraph.checkpoint.postgres import PostgresSaver
        except ImportError as exc:
            raise ConfigError(
                "a postgresql:// checkpointer needs `pip install repoagent[postgres]`"
            ) from exc
        with PostgresSaver.from_conn_string(spec) as saver:
            saver.setup()
            yield saver
        return
    if spec == "memory":
        yield InMemorySaver()
        return
    if spec != "sqlite" and not spec.startswith("sqlite:"):
        raise ConfigError(f"unknown checkpointer {spec!r}")
    path = Path(spec[len("sqlite:") :]).expanduser() if spec.startswith("sqlite:") else None
    path = path or state_path("checkpoints.sqlite")
    path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: investigate tasks run on LangGraph's thread pool; SqliteSaver
    # serialises access with its own lock.
    conn = sqlite3.connect(str(path), check_same_thread=False)
    try:
        yield SqliteSaver(conn)
    finally:
        conn.close()
