"""The public API is pinned: changing it is a decision, not an accident."""

from __future__ import annotations

import subprocess
import sys

import repoagent

PUBLIC = [
    "AuditOptions",
    "Finding",
    "Fix",
    "OpenAIChatClient",
    "PackOptions",
    "PackResult",
    "RepoAgentError",
    "Report",
    "ReviewOptions",
    "RoleConfig",
    "Settings",
    "SymbolIndex",
    "__version__",
    "load_settings",
    "outline_file",
    "pack_repository",
    "rank_files",
    "render_audit",
    "render_report",
    "run_audit",
    "run_review",
]


def test_all_is_pinned() -> None:
    assert sorted(repoagent.__all__) == sorted(PUBLIC)


def test_every_public_name_resolves() -> None:
    for name in repoagent.__all__:
        assert getattr(repoagent, name) is not None, name


def test_import_and_pack_stay_light() -> None:
    """`import repoagent` and the pack command do not pay for LangGraph or the OpenAI client."""
    code = (
        "import sys, repoagent, repoagent.cli.pack;"
        "heavy = [m for m in ('langgraph', 'openai') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_lazy_export_is_public() -> None:
    assert set(repoagent._EXPORTS) | {"__version__"} == set(repoagent.__all__)
