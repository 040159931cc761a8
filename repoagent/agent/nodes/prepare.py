"""prepare: pack the repository for the scout's context window (focused on the diff or paths).

The pack text goes to ``runs/<id>/pack.txt`` (not into the checkpoint); the state keeps where it
is and the manifest the report needs. Re-running this node (resume, overflow retry) rebuilds
the same bytes for the same budget: the pack is deterministic.
"""

from __future__ import annotations

import re
from typing import Any

from repoagent.agent.services import RunServices, services_for
from repoagent.agent.state import ReviewState
from repoagent.errors import PackError

#: Files listed in Maverick's repository map (the highest-ranked when there are more).
MAP_FILES = 400

#: Tokens kept free in the scout's window for the system prompt, the task and tool turns.
PROMPT_RESERVE = 6000


def scout_pack_budget(services: RunServices) -> int:
    """Tokens available to the pack in the scout's served context window."""
    window = services.scout.client.context_window()  # config, or discovered from /v1/models
    output = int(services.settings.scout.max_output_tokens)
    return max(1000, int(window) - output - PROMPT_RESERVE)


def prepare(state: ReviewState) -> dict[str, Any]:
    """Build the pack; return its location, revision, coverage and the ranked file list."""
    from repoagent.pack import PackOptions, pack_repository

    services = services_for(state)
    request = state["request"]
    budget = state.get("pack_budget") or scout_pack_budget(services)
    try:
        result = pack_repository(
            PackOptions(
                path=request["path"],
                rev=request["rev"],
                worktree=request["worktree"],
                budget=budget,
                focus=tuple(request["focus"]),
                base=request["base"],
                query=request["query"],
            )
        )
    except PackError as exc:
        if "is too small" not in str(exc):
            raise
        # `repoagent pack`'s advice (--budget, --exclude) names flags review does not have.
        needed = re.search(r"take (\d+) tokens", str(exc))
        size = f"{int(needed.group(1)):,} tokens" if needed else "more than the budget"
        raise PackError(
            f"the repository's file list alone takes {size}, more than the {budget:,} tokens "
            "the scout's context window leaves for the pack; leave directories out with a "
            ".repoagentignore file (gitignore syntax), or give the scout a larger window "
            "(--context-window, if the server allows it)"
        ) from None
    if not any(f.level is not None for f in result.files):
        why = "no files" if not result.files else "every file was left out (see `repoagent pack`)"
        raise PackError(f"nothing to review in {request['path']} at {request['rev']}: {why}")
    pack_file = services.directory / "pack.txt"
    pack_file.write_text(result.text, encoding="utf-8")
    ranked = sorted(
        (f for f in result.files if f.level in ("full", "outline")),
        key=lambda f: (-(f.score or 0.0), f.path),
    )
    services.say(
        f"packed {len(result.files)} files into {result.tokens:,} tokens (budget {budget:,})"
    )
    return {
        "pack_budget": budget,
        "overflowed": False,
        "pack": {
            "unchanged": bool(request["base"]) and not (result.diff or "").strip(),
            "file": str(pack_file),
            "tokens": result.tokens,
            "budget": budget,
            "revision": result.revision,
            "coverage": [c.model_dump() for c in result.coverage()],
            "ranked": [f.path for f in ranked][:50],
            "map_files": repo_map_files(result.files, ranked),
            "file_count": sum(1 for f in result.files if f.level is not None),
        },
    }


def repo_map_files(files: list[Any], ranked: list[Any]) -> list[str]:
    """Paths for Maverick's repository map: all packed files, or the highest-ranked ones."""
    packed = [f.path for f in files if f.level is not None]
    if len(packed) <= MAP_FILES:
        return sorted(packed)
    return sorted(f.path for f in ranked[:MAP_FILES])
