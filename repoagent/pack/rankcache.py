"""Rankings cached by everything they depend on, so repeating a pack ranks nothing.

A ranking is a pure function of the candidate files (path and blob SHA), the focus inputs
(focus, changed paths, diff, query, git recency and churn) and the code that ranks (the
``repoagent.code`` sources and queries, and this package's relevance module). The cache key
hashes all of them; a changed file, task or ranking code is a new key.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from repoagent.cache import files_fingerprint

if TYPE_CHECKING:
    from repoagent.pack.relevance import RankJob

KIND = "ranking"
PARAMS = "v1"


@cache
def code_fingerprint() -> str:
    """A hash of the sources and queries the ranking runs (so an upgrade is a new key)."""
    import repoagent.code

    code = Path(repoagent.code.__file__).parent
    files = sorted([*code.glob("*.py"), *code.glob("queries/*.scm")])
    # The roles and the compiled-output rules the ranking weighs files by live in the packer.
    files += [Path(__file__).with_name(name) for name in ("relevance.py", "filekinds.py")]
    return files_fingerprint(files)


def ranking_key(job: RankJob) -> str | None:
    """The cache key of ``job``'s ranking, or ``None`` when a file has no blob SHA."""
    if any(p not in job.shas for p in job.indexed):
        return None
    indexed = set(job.indexed)
    payload = [
        code_fingerprint(),
        sorted([p, job.shas[p] if p in indexed else None] for p in job.paths),
        sorted(job.focus),
        sorted(job.changed),
        job.diff,
        job.query,
        sorted(job.recency.items()),
        sorted(job.churn.items()),
    ]
    return hashlib.sha1(json.dumps(payload).encode()).hexdigest()


def cached_ranking(key: str) -> dict[str, float] | None:
    """The scores stored under ``key``, if any."""
    from repoagent.code.outline import shared_cache

    found = shared_cache().get_many(KIND, PARAMS, [key])
    return dict(found[key]) if key in found else None


def store_ranking(key: str, scores: dict[str, float]) -> None:
    """Remember ``scores`` under ``key``."""
    from repoagent.code.outline import shared_cache

    shared_cache().put(KIND, PARAMS, key, scores)
