"""repoagent: a whole-repository code analysis agent.

The public API, importable from the top level (loaded lazily, so ``import repoagent`` stays cheap
and ``repoagent pack`` never imports LangGraph)::

    from repoagent import PackOptions, pack_repository
    result = pack_repository(PackOptions(path=".", budget=128_000, query="unicode headers"))

    from repoagent import ReviewOptions, load_settings, render_report, run_review
    report = run_review(ReviewOptions(path=".", settings=load_settings(Path("."))))
    print(render_report(report, "markdown"))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it.
_EXPORTS: dict[str, str] = {
    "PackOptions": "repoagent.pack",
    "PackResult": "repoagent.pack",
    "pack_repository": "repoagent.pack",
    "load_settings": "repoagent.config",
    "Settings": "repoagent.config",
    "RoleConfig": "repoagent.config",
    "ReviewOptions": "repoagent.agent",
    "run_review": "repoagent.agent",
    "AuditOptions": "repoagent.audit",
    "run_audit": "repoagent.audit",
    "render_audit": "repoagent.audit",
    "render_report": "repoagent.report",
    "Finding": "repoagent.findings",
    "Fix": "repoagent.findings",
    "Report": "repoagent.findings",
    "SymbolIndex": "repoagent.code",
    "outline_file": "repoagent.code",
    "rank_files": "repoagent.code",
    "OpenAIChatClient": "repoagent.llm",
    "RepoAgentError": "repoagent.errors",
}

__all__ = [
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

if TYPE_CHECKING:
    from repoagent.agent import ReviewOptions, run_review
    from repoagent.audit import AuditOptions, render_audit, run_audit
    from repoagent.code import SymbolIndex, outline_file, rank_files
    from repoagent.config import RoleConfig, Settings, load_settings
    from repoagent.errors import RepoAgentError
    from repoagent.findings import Finding, Fix, Report
    from repoagent.llm import OpenAIChatClient
    from repoagent.pack import PackOptions, PackResult, pack_repository
    from repoagent.report import render_report


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'repoagent' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
