"""Run ids and the per-run directory ``REPOAGENT_HOME/runs/<run_id>/``.

A run id is sortable and readable (``20261127-213000-3f9a``): it names the checkpoint thread,
the trajectory and the recorded replies, so ``--resume RUN_ID`` finds all three.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from repoagent.errors import ConfigError
from repoagent.home import repoagent_home

_RUN_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$")


def new_run_id() -> str:
    """Return a fresh run id: UTC date and time plus four random hex digits."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(2)


def run_dir(run_id: str) -> Path:
    """Return (and create) the directory holding a run's pack, replies and trajectory."""
    if not _RUN_ID.match(run_id):
        raise ConfigError(f"not a run id: {run_id!r} (expected e.g. 20261127-213000-3f9a)")
    path = repoagent_home() / "runs" / run_id
    path.mkdir(parents=True, exist_ok=True)
    return path


def existing_run_dir(run_id: str) -> Path:
    """Return the directory of a run that has started before, or raise ``ConfigError``."""
    if not _RUN_ID.match(run_id) or not (repoagent_home() / "runs" / run_id).is_dir():
        raise ConfigError(f"no run with id {run_id!r} under {repoagent_home() / 'runs'}")
    return run_dir(run_id)


def save_request(run_id: str, request: dict[str, Any]) -> None:
    """Keep what a run was asked (``request.json``), so ``--resume`` needs no PATH."""
    (run_dir(run_id) / "request.json").write_text(json.dumps(request, indent=2), encoding="utf-8")


def saved_request(run_id: str) -> dict[str, Any]:
    """Return what an earlier run was asked, or raise ``ConfigError`` if there is no such run."""
    path = existing_run_dir(run_id) / "request.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"run {run_id} has no readable request.json ({exc})") from None
    return data
