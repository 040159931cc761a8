"""Agent tools as a sandbox, not a shell: read-only views of one repository snapshot.

``load_tool_specs`` gives the model-facing specs (from the top-level ``tools/`` folder);
``SandboxToolRunner`` executes them against a revision or the working tree, refusing any path
that leaves the repository, capping output, and running tests only in a scratch clone.
"""

from repoagent.toolbox.runner import SandboxToolRunner, ToolCallRecord
from repoagent.toolbox.snapshot import Snapshot
from repoagent.toolbox.specs import (
    INVESTIGATE_TOOLS,
    SANDBOX_TOOLS,
    SCOUT_TOOLS,
    TOOL_ORDER,
    load_tool_specs,
    tool_names,
)

__all__ = [
    "INVESTIGATE_TOOLS",
    "SANDBOX_TOOLS",
    "SCOUT_TOOLS",
    "TOOL_ORDER",
    "SandboxToolRunner",
    "Snapshot",
    "ToolCallRecord",
    "load_tool_specs",
    "tool_names",
]
